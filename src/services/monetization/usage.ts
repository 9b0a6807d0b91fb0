import type { Queryable } from '../../db/database.js';
import { getBalance, type Balance } from '../time/ledger.js';

export interface MonthUsage {
  sessions: number;
  secondsUsed: number;
  personasAccessed: number;
}

/** The first instant of the calendar month (UTC) that `now` falls in. */
export const monthStart = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

/** This month's voice sessions, talk time billed and distinct personas, from the session records. */
export async function monthUsage(q: Queryable, userId: string, now: Date): Promise<MonthUsage> {
  const [row] = await q.query<{ sessions: number | string; seconds: number | string; personas: number | string }>(
    `SELECT COUNT(*) AS sessions,
            COALESCE(SUM(billed_seconds), 0) AS seconds,
            COUNT(DISTINCT persona_slug) AS personas
       FROM time_sessions
      WHERE user_id = $1 AND started_at >= $2 AND started_at <= $3`,
    [userId, monthStart(now), now],
  );
  return { sessions: Number(row?.sessions ?? 0), secondsUsed: Number(row?.seconds ?? 0), personasAccessed: Number(row?.personas ?? 0) };
}

export interface UserAnalytics {
  user: { id: string; email: string; full_name: string; created_at: Date | string; last_login: Date | string | null };
  balance: Balance;
  totalSessions: number;
  completedSessions: number;
  /** Seconds the ledger debited for voice sessions. */
  secondsUsed: number;
  spentCents: number;
  transactions: number;
}

/** Every figure from the records: users, the ledger, time sessions and payment history. */
export async function userAnalytics(q: Queryable, userId: string, now: Date): Promise<UserAnalytics | undefined> {
  const [user] = await q.query<UserAnalytics['user']>(
    `SELECT id, email, full_name, created_at, last_login FROM users WHERE id = $1`,
    [userId],
  );
  if (!user) return undefined;
  const [sessions] = await q.query<{ total: number | string; completed: number | string }>(
    `SELECT COUNT(*) AS total, COUNT(*) FILTER (WHERE status = 'completed') AS completed FROM time_sessions WHERE user_id = $1`,
    [userId],
  );
  const [used] = await q.query<{ seconds: number | string }>(
    `SELECT COALESCE(-SUM(seconds), 0) AS seconds FROM ledger_entries WHERE user_id = $1 AND kind = 'session_debit'`,
    [userId],
  );
  const [paid] = await q.query<{ spent: number | string; refunded: number | string; transactions: number | string }>(
    `SELECT COALESCE(SUM(amount_cents) FILTER (WHERE status = 'succeeded'), 0) AS spent,
            COALESCE(SUM(amount_cents) FILTER (WHERE status = 'refunded'), 0) AS refunded,
            COUNT(*) FILTER (WHERE status = 'succeeded') AS transactions
       FROM payment_history WHERE user_id = $1`,
    [userId],
  );
  return {
    user,
    balance: await getBalance(q, userId, now),
    totalSessions: Number(sessions?.total ?? 0),
    completedSessions: Number(sessions?.completed ?? 0),
    secondsUsed: Number(used?.seconds ?? 0),
    spentCents: Number(paid?.spent ?? 0) - Number(paid?.refunded ?? 0),
    transactions: Number(paid?.transactions ?? 0),
  };
}
