import type { AgentSessionInfo, CallReport, EndReason, EndResult, PlatformClient } from '../platform/types.js';
import { PlatformError } from '../platform/types.js';

type PersonaOverrides = Partial<AgentSessionInfo['persona']>;

/** A session as the platform would serve it; tests override what they need. */
export function sessionInfo(
  over: Partial<Omit<AgentSessionInfo, 'persona' | 'budget'>> & { persona?: PersonaOverrides; budget?: Partial<AgentSessionInfo['budget']> } = {},
): AgentSessionInfo {
  const { persona, budget, ...rest } = over;
  return {
    time_session_id: '00000000-0000-4000-8000-000000000001',
    session_id: 'persona_test',
    room_name: 'persona_test',
    status: 'live',
    user: { id: 'user-1', first_name: 'Ada', tier: 'free' },
    store_transcripts: false,
    memory_enabled: false,
    ...rest,
    persona: {
      slug: 'professor-oak-tutor',
      name: 'Professor Oak',
      instructions: 'You are Professor Oak, a patient tutor. The user is Ada.',
      tools: ['check_time_balance', 'create_quiz', 'explain_concept', 'suggest_resources'],
      premium_features: [],
      voice: { tts: 'onyx', style: 'warm professorial tone' },
      quality: 'standard',
      preferences: {},
      memory: null,
      ...persona,
    },
    budget: { seconds_left: 1800, billing_started_at: null, ends_at: null, ...budget },
  };
}

/**
 * The platform in memory, for unit tests: one session whose budget counts down on the
 * wall clock from `joined` and can be topped up, an idempotent end, reports and memory kept.
 */
export class FakePlatform implements PlatformClient {
  readonly calls: { route: 'get' | 'joined' | 'end' | 'report' | 'memory'; body?: unknown }[] = [];
  readonly reports: CallReport[] = [];
  readonly memories: string[] = [];
  ended: EndResult | undefined;
  private budgetSeconds: number;
  private budgetFrom = Date.now();

  constructor(readonly info: AgentSessionInfo = sessionInfo()) {
    this.budgetSeconds = info.budget.seconds_left;
  }

  /** A top-up during the call: the session may last `seconds` more than it could. */
  topUp(seconds: number): void {
    this.budgetSeconds += seconds;
  }

  get endReasons(): EndReason[] {
    return this.calls.filter((c) => c.route === 'end').map((c) => (c.body as { reason: EndReason }).reason);
  }

  async getSession(id: string): Promise<AgentSessionInfo> {
    this.calls.push({ route: 'get' });
    return this.current(id);
  }

  async joined(id: string): Promise<AgentSessionInfo> {
    this.calls.push({ route: 'joined' });
    this.current(id);
    if (!this.billingStarted) {
      this.billingStarted = true;
      this.budgetFrom = Date.now();
    }
    return this.current(id);
  }

  async end(id: string, reason: EndReason): Promise<EndResult> {
    this.calls.push({ route: 'end', body: { reason } });
    this.current(id);
    this.ended ??= { time_session_id: id, status: 'ended', billed_seconds: 60, charged_seconds: 48, ended_reason: reason };
    return this.ended;
  }

  async report(id: string, report: CallReport): Promise<{ stored: boolean }> {
    this.calls.push({ route: 'report', body: report });
    this.current(id);
    this.reports.push(report);
    return { stored: this.reports.length === 1 };
  }

  async putMemory(id: string, summary: string): Promise<{ stored: boolean }> {
    this.calls.push({ route: 'memory', body: { summary } });
    this.current(id);
    if (!this.info.memory_enabled) return { stored: false };
    this.memories.push(summary);
    return { stored: true };
  }

  private billingStarted = false;

  private current(id: string): AgentSessionInfo {
    if (id !== this.info.time_session_id) throw new PlatformError(404, 'session_not_found');
    const elapsed = this.billingStarted ? (Date.now() - this.budgetFrom) / 1000 : 0;
    const secondsLeft = Math.max(0, Math.floor(this.budgetSeconds - elapsed));
    return {
      ...this.info,
      status: this.ended ? 'ended' : 'live',
      budget: {
        seconds_left: secondsLeft,
        billing_started_at: this.billingStarted ? new Date(this.budgetFrom).toISOString() : null,
        ends_at: this.billingStarted ? new Date(Date.now() + secondsLeft * 1000).toISOString() : null,
      },
    };
  }
}
