import type { Queryable } from '../../db/database.js';
import { decodeCursor, iso, type Cursor } from './page.js';

export interface SessionFilter {
  status?: 'active' | 'completed';
  user_id?: string;
  persona_slug?: string;
}

/** Columns every session has; any other column of time_sessions (usage, latency, provider cost …) is reported in `extra`. */
const KNOWN = new Set([
  'id', 'user_id', 'session_id', 'room_name', 'persona_slug', 'cost_multiplier_milli', 'discount_percent', 'reward_discount_percent',
  'cap_seconds', 'status', 'started_at', 'ended_at', 'client_duration_seconds', 'billed_seconds', 'charged_seconds', 'saved_seconds',
  'end_reason', 'end_response', 'limit_seconds',
]);

interface Row {
  row: Record<string, unknown>;
  email: string;
  cursor_key: string;
}

/** time_sessions newest first (`limit + 1` rows). */
export async function listAdminSessions(q: Queryable, f: SessionFilter, limit: number, cursor: string | undefined): Promise<Row[]> {
  const after = decodeCursor(cursor);
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  for (const [col, value] of [['s.status', f.status], ['s.user_id', f.user_id], ['s.persona_slug', f.persona_slug]] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${col} = $${params.length}`);
  }
  if (after) {
    params.push(after.key, after.id);
    where.push(`(s.started_at, s.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  // The row as JSON: columns another part of the platform adds to sessions show up without a
  // change here; so does what the voice agent reported (usage, latency, provider cost; never the transcript).
  return q.query<Row>(
    `SELECT (to_jsonb(s) - 'end_response')
              || CASE WHEN r.time_session_id IS NULL THEN '{}'::jsonb ELSE jsonb_build_object(
                   'agent_ended_reason', r.ended_reason, 'usage', r.usage, 'latency', r.latency,
                   'provider_cost_micros', r.provider_cost_micros) END AS row,
            u.email, s.started_at::text AS cursor_key
       FROM time_sessions s JOIN users u ON u.id = s.user_id
       LEFT JOIN agent_reports r ON r.time_session_id = s.id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY s.started_at DESC, s.id DESC LIMIT $1`,
    params,
  );
}

export const sessionCursor = (r: Row): Cursor => ({ key: r.cursor_key, id: String(r.row.id) });

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function adminSessionBody(r: Row) {
  const s = typeof r.row === 'string' ? (JSON.parse(r.row) as Record<string, unknown>) : r.row;
  const extra = Object.fromEntries(Object.entries(s).filter(([k]) => !KNOWN.has(k)));
  return {
    id: String(s.id),
    user_id: String(s.user_id),
    email: r.email,
    session_id: String(s.session_id),
    room_name: String(s.room_name),
    persona_slug: (s.persona_slug as string | null) ?? null,
    status: s.status as 'active' | 'completed',
    started_at: iso(s.started_at as string)!,
    ended_at: iso((s.ended_at as string | null) ?? null),
    billed_seconds: num(s.billed_seconds),
    charged_seconds: num(s.charged_seconds),
    end_reason: (s.end_reason as string | null) ?? null,
    extra,
  };
}
