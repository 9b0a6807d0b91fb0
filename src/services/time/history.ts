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
  billing_started_at: Date | string | null;
  end_reason: string | null;
  usage: unknown;
  latency: unknown;
  provider_cost_micros: number | string | null;
}

/** The user's time sessions, newest first. */
export async function listSessions(q: Queryable, userId: string, limit: number) {
  const rows = await q.query<Row>(
    `SELECT ts.id, ts.session_id, ts.room_name, ts.persona_slug, ts.started_at, ts.ended_at, ts.billed_seconds, ts.charged_seconds,
            ts.status, ts.billing_started_at, ts.end_reason, ar.usage, ar.latency, ar.provider_cost_micros
       FROM time_sessions ts LEFT JOIN agent_reports ar ON ar.time_session_id = ts.id
      WHERE ts.user_id = $1 ORDER BY ts.started_at DESC, ts.id DESC LIMIT $2`,
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
    billing_started_at: r.billing_started_at === null ? null : new Date(r.billing_started_at).toISOString(),
    ended_reason: r.end_reason,
    // From the voice agent's report, when it sent one.
    usage: r.usage ?? null,
    latency: r.latency ?? null,
    provider_cost_usd: r.provider_cost_micros === null ? null : Number(r.provider_cost_micros) / 1_000_000,
  }));
}
