import { voice } from '@livekit/agents';
import type { AgentSessionInfo, CallReport, EndReason, EndResult, PlatformClient } from '../platform/types.js';
import { progressOf } from '../tools/premium.js';
import { keptBlocks, withoutKept } from '../tools/kept.js';
import type { CallServices, Delivery, TimerAction } from '../tools/types.js';
import { UsageCollector } from './usage.js';

export interface CallTiming {
  warningSeconds: number;
  idleSeconds: number;
  pollSeconds: number;
}

export interface CallLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
}

export interface CallOptions {
  session: voice.AgentSession;
  platform: PlatformClient;
  /** The session as `/joined` returned it: billing runs. */
  info: AgentSessionInfo;
  timing: CallTiming;
  models: { llm: string; stt: string; tts: string };
  log: CallLog;
  /** Summarises the call for the user's memory (an LLM call); the fallback is a plain outline. */
  summarize?: (conversation: string) => Promise<string>;
  /** After the platform has ended the session: delete the room, stop the job. */
  onEnded?: (reason: EndReason) => Promise<void> | void;
  /** Sends a file to the user's app; without it (console, tests) files are kept in `delivered`. */
  deliver?: (item: Delivery) => Promise<void>;
}

const INSTRUCTIONS = {
  warning: (seconds: number) => {
    const minutes = Math.round(seconds / 60);
    const left = seconds < 60 ? 'less than a minute remains' : `about ${minutes} minute${minutes === 1 ? ' remains' : 's remain'}`;
    return `Tell the user, in character and in one short sentence, that ${left} of this call. Do not offer free time.`;
  },
  goodbye: {
    budget: 'The time for this call is up. Say a warm, short goodbye in character, in one sentence. Do not ask a question.',
    idle: 'The user has not answered. Say a short, kind goodbye in character, in one sentence, and mention they can call again.',
    sleep_timer: 'The sleep timer has run out. Whisper a very short goodnight, in one sentence.',
    admin: 'The call has been ended by the platform. Say a short goodbye in character, in one sentence.',
  },
  stillThere: 'The user has been silent for a while. Ask once, briefly and in character, whether they are still there.',
} as const;

/** How long a goodbye may take before the call ends regardless. */
const GOODBYE_LIMIT_MS = 15_000;

/**
 * One call's clock and bookkeeping, independent of the room: follows the live budget
 * (re-read periodically and after tool calls, so a top-up extends it), warns before the
 * end, says goodbye and ends the time session at the end, asks an idle user once then ends,
 * and writes the report (and the memory summary) once.
 */
export class Call implements CallServices {
  private readonly usage: UsageCollector;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly toolState = new Map<string, unknown>();
  private budgetTimer: NodeJS.Timeout | undefined;
  private warningTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private endsAt = 0;
  private warnedFor = Number.POSITIVE_INFINITY;
  private askedIfThere = false;
  private agentState: voice.AgentState = 'initializing';
  private ending: Promise<EndReason> | undefined;
  private reason: EndReason | undefined;
  private reported = false;
  info: AgentSessionInfo;
  /** What the platform answered to the end (billed and charged seconds). */
  endResult: EndResult | undefined;
  /** Files sent to the user's app in this call (kept here too when there is no app). */
  readonly delivered: Delivery[] = [];

  constructor(private readonly o: CallOptions) {
    this.info = o.info;
    this.usage = new UsageCollector(o.models);
    const s = o.session;
    s.on(voice.AgentSessionEventTypes.MetricsCollected, (ev) => this.usage.onMetrics(ev.metrics));
    s.on(voice.AgentSessionEventTypes.ConversationItemAdded, (ev) => {
      const item = ev.item;
      if (item.type !== 'message') return;
      if (item.role === 'assistant') this.usage.onE2eLatency(item.metrics?.e2eLatency);
      if (item.role === 'user') this.userActive();
    });
    s.on(voice.AgentSessionEventTypes.UserStateChanged, (ev) => {
      if (ev.newState === 'speaking') this.userActive();
    });
    s.on(voice.AgentSessionEventTypes.UserInputTranscribed, (ev) => {
      if (ev.isFinal) this.userActive();
    });
    s.on(voice.AgentSessionEventTypes.AgentStateChanged, (ev) => {
      this.agentState = ev.newState;
      if (ev.newState === 'listening') this.scheduleIdle();
      else this.clear('idle');
    });
    s.on(voice.AgentSessionEventTypes.FunctionToolsExecuted, () => {
      // A tool call is a good moment to notice a top-up (or an end from elsewhere).
      void this.refreshBudget();
    });
  }

  get ended(): Promise<EndReason> | undefined {
    return this.ending;
  }

  /** Starts the clock from the budget `/joined` returned. */
  start(): void {
    this.budgetChanged(this.info);
    this.pollTimer = setInterval(() => void this.refreshBudget(), this.o.timing.pollSeconds * 1000);
    this.pollTimer.unref?.();
    if (this.agentState === 'listening') this.scheduleIdle();
  }

  // CallServices ---------------------------------------------------------------------------

  budgetChanged(info: AgentSessionInfo): void {
    if (this.reason) return;
    this.info = info;
    if (info.status === 'ended') {
      void this.end('admin');
      return;
    }
    const left = info.budget.seconds_left;
    this.endsAt = Date.now() + left * 1000;
    clearTimeout(this.budgetTimer);
    this.budgetTimer = setTimeout(() => void this.onBudgetElapsed(), left * 1000);
    // A warning is due once per approach to the end: a top-up that moves the end past the
    // warning window again allows a new one later.
    if (left > this.o.timing.warningSeconds) this.warnedFor = Number.POSITIVE_INFINITY;
    clearTimeout(this.warningTimer);
    const warnIn = left - this.o.timing.warningSeconds;
    if (warnIn > 0) this.warningTimer = setTimeout(() => void this.onWarningDue(), warnIn * 1000);
    else if (this.warnedFor === Number.POSITIVE_INFINITY && left > 0) void this.onWarningDue(false);
  }

  after(seconds: number, action: TimerAction): () => void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.reason) return;
      if ('endCall' in action) void this.end('user_left', INSTRUCTIONS.goodbye.sleep_timer);
      else this.speak(action.announce);
    }, seconds * 1000);
    this.timers.add(t);
    return () => {
      clearTimeout(t);
      this.timers.delete(t);
    };
  }

  state<T>(key: string, init: () => T): T {
    if (!this.toolState.has(key)) this.toolState.set(key, init());
    return this.toolState.get(key) as T;
  }

  async deliver(item: Delivery): Promise<boolean> {
    this.delivered.push(item);
    if (!this.o.deliver) return false;
    try {
      await this.o.deliver(item);
      return true;
    } catch (err) {
      this.o.log.warn({ err: errorName(err) }, 'delivery failed');
      return false;
    }
  }

  transcript(): { role: 'user' | 'assistant'; text: string }[] {
    return transcriptOf(this.o.session);
  }

  // The clock ------------------------------------------------------------------------------

  private async refreshBudget(): Promise<void> {
    if (this.reason) return;
    try {
      this.budgetChanged(await this.o.platform.getSession(this.info.time_session_id));
    } catch (err) {
      this.o.log.warn({ err: errorName(err) }, 'budget refresh failed; keeping the last known end');
    }
  }

  private async onWarningDue(refresh = true): Promise<void> {
    if (refresh) await this.refreshBudget();
    if (this.reason) return;
    const left = Math.max(0, Math.round((this.endsAt - Date.now()) / 1000));
    if (left > this.o.timing.warningSeconds || left <= 0 || this.warnedFor <= left) return;
    this.warnedFor = left;
    this.speak(INSTRUCTIONS.warning(left));
  }

  private async onBudgetElapsed(): Promise<void> {
    // The budget may have grown since it was last read (a top-up): read it once more.
    await this.refreshBudget();
    if (this.reason) return;
    if (this.endsAt - Date.now() > 1000) return; // rescheduled by the refresh
    await this.end('budget');
  }

  private userActive(): void {
    this.askedIfThere = false;
    this.clear('idle');
    if (this.agentState === 'listening') this.scheduleIdle();
  }

  private scheduleIdle(): void {
    if (this.reason) return;
    this.clear('idle');
    this.idleTimer = setTimeout(() => {
      if (this.reason) return;
      if (!this.askedIfThere) {
        this.askedIfThere = true;
        this.speak(INSTRUCTIONS.stillThere);
      } else void this.end('idle');
    }, this.o.timing.idleSeconds * 1000);
  }

  private clear(which: 'idle'): void {
    if (which === 'idle') clearTimeout(this.idleTimer);
  }

  private speak(instructions: string): void {
    try {
      this.o.session.generateReply({ instructions });
    } catch (err) {
      this.o.log.warn({ err: errorName(err) }, 'could not speak');
    }
  }

  // The end --------------------------------------------------------------------------------

  /**
   * Ends the call once, whatever asks first: a goodbye when the user may still hear it,
   * then the platform's idempotent end, then `onEnded` (room deletion). Later calls get the
   * same promise.
   */
  end(reason: EndReason, goodbye?: string): Promise<EndReason> {
    if (this.ending !== undefined) return this.ending;
    this.reason = reason;
    this.stopTimers();
    this.ending = (async () => {
      const words = goodbye ?? (reason === 'budget' || reason === 'idle' || reason === 'admin' ? INSTRUCTIONS.goodbye[reason] : undefined);
      if (words) await this.sayGoodbye(words);
      try {
        this.endResult = await this.o.platform.end(this.info.time_session_id, reason);
      } catch (err) {
        this.o.log.warn({ err: errorName(err), reason }, 'ending the time session failed');
      }
      this.o.log.info({ reason }, 'call ended');
      try {
        await this.o.onEnded?.(reason);
      } catch (err) {
        this.o.log.warn({ err: errorName(err) }, 'after-end step failed');
      }
      return reason;
    })();
    return this.ending;
  }

  private async sayGoodbye(instructions: string): Promise<void> {
    try {
      this.o.session.interrupt({ force: true });
    } catch {
      // nothing was playing
    }
    try {
      const handle = this.o.session.generateReply({ instructions, allowInterruptions: false });
      await Promise.race([handle.waitForPlayout(), delay(GOODBYE_LIMIT_MS)]);
    } catch (err) {
      this.o.log.warn({ err: errorName(err) }, 'goodbye could not be spoken');
    }
  }

  private stopTimers(): void {
    clearTimeout(this.budgetTimer);
    clearTimeout(this.warningTimer);
    clearTimeout(this.idleTimer);
    clearInterval(this.pollTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Stops everything without ending (the job is being torn down after an end elsewhere). */
  dispose(): void {
    this.stopTimers();
  }

  /** The report for `/report`; the transcript only when the platform stores them. */
  buildReport(reason: EndReason): CallReport {
    const report: CallReport = { ended_reason: reason, ...this.usage.report() };
    if (this.info.store_transcripts) report.transcript = transcriptOf(this.o.session);
    return report;
  }

  /** What mattered in this call (topics, goals, progress), at most 1000 characters. */
  private async summary(): Promise<string | undefined> {
    const blocks = keptBlocks(this, this.info);
    // Braces are the kept blocks' own: the free text cannot forge one.
    const text = (await this.summaryText())?.replace(/[{}]/g, '');
    const joined = [blocks, text ?? ''].filter(Boolean).join(' ').trim();
    return joined ? joined.slice(0, 1000) : undefined;
  }

  /** The free-text part of the summary (kept blocks travel separately, verbatim). */
  private async summaryText(): Promise<string | undefined> {
    const outline = memorySummary(this.o.session, this.info, progressOf(this));
    if (!outline || !this.o.summarize) return outline;
    const progress = progressOf(this);
    const kept = [...progress.covered.map((c) => `note: ${c}`), ...progress.next.map((n) => `next: ${n}`)];
    const conversation = [...transcriptOf(this.o.session).map((t) => `${t.role}: ${t.text}`), ...kept].join('\n').slice(-12_000);
    try {
      const text = (await this.o.summarize(conversation)).trim();
      return text ? text.slice(0, 1000) : outline;
    } catch (err) {
      this.o.log.warn({ err: errorName(err) }, 'summary failed; keeping the outline');
      return outline;
    }
  }

  /** Sends the report, and the memory summary when the user opted in; once. */
  async finish(reason: EndReason = this.reason ?? 'error'): Promise<void> {
    if (this.reported) return;
    this.reported = true;
    this.stopTimers();
    try {
      await this.o.platform.report(this.info.time_session_id, this.buildReport(reason));
    } catch (err) {
      this.o.log.warn({ err: errorName(err) }, 'report failed');
    }
    if (this.info.memory_enabled) {
      const summary = await this.summary();
      if (summary) {
        try {
          await this.o.platform.putMemory(this.info.time_session_id, summary);
        } catch (err) {
          this.o.log.warn({ err: errorName(err) }, 'memory write failed');
        }
      }
    }
  }
}

export function transcriptOf(session: voice.AgentSession): { role: 'user' | 'assistant'; text: string }[] {
  const out: { role: 'user' | 'assistant'; text: string }[] = [];
  for (const item of session.history.items) {
    if (item.type !== 'message' || (item.role !== 'user' && item.role !== 'assistant')) continue;
    const text = item.textContent;
    if (text) out.push({ role: item.role, text });
  }
  return out;
}

/** A short, capped summary of what the call covered: topics and progress, no transcript. */
export function memorySummary(session: voice.AgentSession, info: AgentSessionInfo, progress: { covered: string[]; next: string[] }): string | undefined {
  const userTurns = transcriptOf(session).filter((t) => t.role === 'user');
  if (userTurns.length === 0 && progress.covered.length === 0) return undefined;
  const date = new Date().toISOString().slice(0, 10);
  const parts = [`Call on ${date} with ${info.persona.name}: ${userTurns.length} user turn${userTurns.length === 1 ? '' : 's'}.`];
  if (progress.covered.length > 0) parts.push(`Covered: ${progress.covered.join('; ')}.`);
  if (progress.next.length > 0) parts.push(`Next: ${progress.next.join('; ')}.`);
  const earlier = withoutKept(info.persona.memory);
  const previous = earlier ? `Earlier: ${earlier}` : '';
  return `${parts.join(' ')} ${previous}`.trim().slice(0, 1000);
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref?.());
}

/** Error class names only: messages can carry user text. */
export function errorName(err: unknown): string {
  return err instanceof Error ? `${err.name}${'status' in err ? ` ${String((err as { status: unknown }).status)}` : ''}` : typeof err;
}
