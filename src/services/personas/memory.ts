import { one, type Queryable } from '../../db/database.js';
import type { Moderator } from '../../integrations/moderation/moderator.js';
import type { Platform } from '../../platform.js';
import { passesModeration } from './moderate.js';
import { sanitiseUserText } from './prompt.js';

/** The most a memory may hold, in characters (the contract's cap). */
export const MEMORY_MAX_LENGTH = 1000;

export interface Memory {
  summary: string;
  updated_at: Date;
}

export async function readMemory(q: Queryable, userId: string, slug: string): Promise<Memory | null> {
  const row = await one<{ summary: string; updated_at: Date | string }>(
    q,
    `SELECT summary, updated_at FROM persona_memories WHERE user_id = $1 AND persona_slug = $2`,
    [userId, slug],
  );
  return row ? { summary: row.summary, updated_at: new Date(row.updated_at) } : null;
}

/** Forgets what a persona remembers of the user; true when there was something. */
export async function deleteMemory(q: Queryable, userId: string, slug: string): Promise<boolean> {
  const rows = await q.query(`DELETE FROM persona_memories WHERE user_id = $1 AND persona_slug = $2 RETURNING user_id`, [userId, slug]);
  return rows.length > 0;
}

export type MemoryOutcome = { stored: true } | { stored: false; reason: 'memory_disabled' | 'empty' | 'flagged' };

/**
 * Keeps the agent's summary of a call for the session's user and persona, replacing the last
 * one: only when the user has opted in (checked at write time, so a consent withdrawn during
 * the call holds), sanitised like custom persona text, capped, and moderated.
 */
export async function storeMemory(
  platform: Platform,
  moderator: Moderator,
  session: { id: string; userId: string; slug: string },
  summary: string,
): Promise<MemoryOutcome> {
  const consent = await one<{ memory_enabled: boolean }>(platform.db, `SELECT memory_enabled FROM users WHERE id = $1`, [session.userId]);
  if (!consent?.memory_enabled) return { stored: false, reason: 'memory_disabled' };
  const clean = [...sanitiseUserText(summary)].slice(0, MEMORY_MAX_LENGTH).join('').trim();
  if (clean === '') return { stored: false, reason: 'empty' };
  if (!(await passesModeration(moderator, platform.log, [clean])).ok) return { stored: false, reason: 'flagged' };
  // The consent is checked again in the write itself: a user who turned memory off meanwhile keeps nothing.
  const rows = await platform.db.query(
    `INSERT INTO persona_memories (user_id, persona_slug, summary, time_session_id, updated_at)
     SELECT $1, $2, $3, $4, $5 FROM users WHERE id = $1 AND memory_enabled
     ON CONFLICT (user_id, persona_slug) DO UPDATE
       SET summary = EXCLUDED.summary, time_session_id = EXCLUDED.time_session_id, updated_at = EXCLUDED.updated_at
     RETURNING user_id`,
    [session.userId, session.slug, clean, session.id, platform.clock.now()],
  );
  return rows.length > 0 ? { stored: true } : { stored: false, reason: 'memory_disabled' };
}
