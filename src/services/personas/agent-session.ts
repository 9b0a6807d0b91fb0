import { one } from '../../db/database.js';
import { AppError } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { getUserTier } from '../monetization/tier.js';
import type { PersonaRow } from './catalogue.js';
import { voiceOf } from './catalogue.js';
import { readMemory } from './memory.js';
import { readPreferences } from './preferences.js';
import { assembleSessionInstructions } from './prompt.js';

interface SessionRow {
  id: string;
  session_id: string;
  room_name: string;
  user_id: string;
  status: 'active' | 'completed';
  billing_started_at: Date | string | null;
  quality: 'low' | 'standard' | 'high';
  full_name: string;
  memory_enabled: boolean;
  /** What the balance affords now within the session's limit, in wall seconds from billing start. */
  cap_now: number | null;
}

export const sessionNotFound = () => new AppError('session_not_found', 'No persona session with that time_session_id.');

/** The persona session behind a time session id, with its live cap; 404 for anything else. */
async function loadSession(platform: Platform, id: string, now: Date): Promise<{ s: SessionRow; persona: PersonaRow }> {
  const s = await one<SessionRow>(
    platform.db,
    `SELECT ts.id, ts.session_id, ts.room_name, ts.user_id, ts.status, ts.billing_started_at, ps.quality, u.full_name, u.memory_enabled,
            (SELECT time_session_cap(b.total_seconds,
                      ts.cost_multiplier_milli::bigint * (100 - ts.discount_percent) * (100 - ts.reward_discount_percent),
                      ts.limit_seconds, NULL)
               FROM time_usable_balance(ts.user_id, $2) b) AS cap_now
       FROM time_sessions ts
       JOIN persona_sessions ps ON ps.time_session_id = ts.id
       JOIN users u ON u.id = ts.user_id
      WHERE ts.id = $1`,
    [id, now],
  );
  if (!s) throw sessionNotFound();
  const persona = await one<PersonaRow>(
    platform.db,
    `SELECT p.* FROM personas p JOIN persona_sessions ps ON ps.persona_slug = p.slug WHERE ps.time_session_id = $1`,
    [id],
  );
  if (!persona) throw sessionNotFound();
  return { s, persona };
}

/** Wall seconds the session may still run from now: its live cap less what it has billed so far. */
function budgetOf(s: SessionRow, now: Date) {
  const cap = Math.max(0, s.cap_now ?? 0);
  const started = s.billing_started_at === null ? null : new Date(s.billing_started_at);
  if (s.status !== 'active') return { seconds_left: 0, billing_started_at: started?.toISOString() ?? null, ends_at: null };
  const elapsed = started === null ? 0 : Math.max(0, Math.ceil((now.getTime() - started.getTime()) / 1000));
  return {
    seconds_left: Math.max(0, cap - elapsed),
    billing_started_at: started?.toISOString() ?? null,
    ends_at: started === null ? null : new Date(started.getTime() + cap * 1000).toISOString(),
  };
}

/**
 * What the voice agent needs for one session (GET /agent/sessions/{id}): the persona with
 * its assembled instructions, what this user may use now (tier, premium features, quality),
 * their preferences and (with consent) memory as data, and the live budget.
 */
export async function agentSessionView(platform: Platform, id: string) {
  const now = platform.clock.now();
  const { s, persona } = await loadSession(platform, id, now);
  const tier = await getUserTier(platform.db, s.user_id, now);
  const preferences = await readPreferences(platform.db, s.user_id, persona);
  const memory = s.memory_enabled ? await readMemory(platform.db, s.user_id, persona.slug) : null;
  const budget = budgetOf(s, now);
  const firstName = s.full_name.trim().split(/\s+/)[0] ?? '';
  const instructions = assembleSessionInstructions(
    { name: persona.name, summary: persona.summary, persona: persona.persona, purpose: persona.purpose, category: persona.category, safety: persona.safety },
    { firstName, minutesLeft: budget.seconds_left / 60, preferences, memory: memory?.summary ?? null },
  );
  return {
    time_session_id: s.id,
    session_id: s.session_id,
    room_name: s.room_name,
    status: s.status === 'active' ? ('live' as const) : ('ended' as const),
    user: { id: s.user_id, first_name: firstName, tier },
    persona: {
      slug: persona.slug,
      name: persona.name,
      instructions,
      tools: persona.tools,
      premium_features: tier === 'premium' ? persona.premium_features : [],
      voice: voiceOf(persona),
      quality: s.quality,
      preferences,
      memory: memory?.summary ?? null,
    },
    budget,
    store_transcripts: platform.config.AGENT_STORE_TRANSCRIPTS,
    memory_enabled: s.memory_enabled,
  };
}
