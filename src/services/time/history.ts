import type { Queryable } from '../../db/database.js';
import { toMinutes } from './ledger.js';

interface Row {
  id: string;
  session_id: string;
  room_name: string;
  persona_slug: string | null;
  started_at: Date | string;
  ended_at: Date | string | null;
  billed_seconds: number | null;
  charged_seconds: number | null;
  status: 'active' | 'completed';
}

/** The user's time sessions, newest first. */
export async function listSessions(q: Queryable, userId: string, limit: number) {
  const rows = await q.query<Row>(
    `SELECT id, session_id, room_name, persona_slug, started_at, ended_at, billed_seconds, charged_seconds, status
       FROM time_sessions WHERE user_id = $1 ORDER BY started_at DESC, id DESC LIMIT $2`,
    [userId, limit],
  );
  return rows.map((r) => ({
    id: r.id,
    session_id: r.session_id,
    room_name: r.room_name,
    persona_slug: r.persona_slug,
    start_time: new Date(r.started_at).toISOString(),
    end_time: r.ended_at === null ? null : new Date(r.ended_at).toISOString(),
    duration_seconds: r.billed_seconds,
    cost_minutes: r.charged_seconds === null ? null : toMinutes(r.charged_seconds),
    status: r.status,
  }));
}
