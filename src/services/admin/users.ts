import type { Queryable } from '../../db/database.js';
import { one } from '../../db/database.js';
import { getBalance } from '../time/ledger.js';
import { currentSubscription } from '../monetization/subscriptions.js';
import { decodeCursor, iso, type Cursor } from './page.js';

export interface UserListRow {
  id: string;
  email: string;
  full_name: string;
  role: 'user' | 'admin';
  disabled_at: Date | null;
  created_at: Date;
  last_login: Date | null;
  balance_seconds: number | string;
  cursor_key: string;
}

export interface UserFilter {
  /** Part of the email or name, any case. */
  q?: string;
}

/** `%`, `_` and `\` typed by the admin are matched literally. */
export const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Users newest first; `limit + 1` rows (see toPage). The balance is the ledger's usable balance. */
export async function listUsers(q: Queryable, f: UserFilter, limit: number, cursor: string | undefined, now: Date): Promise<UserListRow[]> {
  const after = decodeCursor(cursor);
  const params: unknown[] = [now, limit + 1];
  const where: string[] = [];
  if (f.q) {
    params.push(likePattern(f.q));
    where.push(`(lower(u.email) LIKE $${params.length} OR lower(u.full_name) LIKE $${params.length})`);
  }
  if (after) {
    params.push(after.key, after.id);
    where.push(`(u.created_at, u.id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  return q.query<UserListRow>(
    `SELECT u.id, u.email, u.full_name, u.role, u.disabled_at, u.created_at, u.last_login, u.created_at::text AS cursor_key,
            (SELECT total_seconds FROM time_usable_balance(u.id, $1)) AS balance_seconds
       FROM users u ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY u.created_at DESC, u.id DESC LIMIT $2`,
    params,
  );
}

export const userCursor = (r: UserListRow): Cursor => ({ key: r.cursor_key, id: r.id });

export function userBody(r: UserListRow) {
  return {
    id: r.id,
    email: r.email,
    full_name: r.full_name,
    role: r.role,
    status: r.disabled_at ? ('disabled' as const) : ('active' as const),
    disabled_at: iso(r.disabled_at),
    created_at: iso(r.created_at)!,
    last_login: iso(r.last_login),
    balance_seconds: Number(r.balance_seconds ?? 0),
  };
}

/** Everything an operator looks at for one user. */
export async function userDetail(q: Queryable, id: string, now: Date) {
  const user = await one<UserListRow & { date_of_birth: string | null }>(
    q,
    `SELECT id, email, full_name, role, disabled_at, created_at, last_login, created_at::text AS cursor_key,
            to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, 0 AS balance_seconds
       FROM users WHERE id = $1`,
    [id],
  );
  if (!user) return undefined;
  const balance = await getBalance(q, id, now);
  const cards = await q.query<Record<string, unknown>>(
    `SELECT id, kind, status, total_seconds, remaining_seconds, amount_cents, refunded_cents, currency, tier_id,
            activation_code IS NOT NULL AS has_code, created_at, activated_at, expires_at,
            (user_id = $1) AS held, reference
       FROM time_cards WHERE user_id = $1 OR purchaser_user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 100`,
    [id],
  );
  const sessions = await q.query<Record<string, unknown>>(
    `SELECT id, session_id, room_name, persona_slug, status, started_at, ended_at, billed_seconds, charged_seconds, end_reason
       FROM time_sessions WHERE user_id = $1 ORDER BY started_at DESC, id DESC LIMIT 50`,
    [id],
  );
  const payments = await q.query<Record<string, unknown>>(
    `SELECT id::text AS id, amount_cents, currency, status, payment_intent_id, purpose, reference, created_at
       FROM payment_history WHERE user_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50`,
    [id],
  );
  const adRewards = await q.query<Record<string, unknown>>(
    `SELECT id::text AS id, ad_id, reward_type, time_reward_seconds, discount_percent, reward_expires_at, discount_consumed_at, created_at
       FROM ad_interactions WHERE user_id = $1 AND reward_earned ORDER BY created_at DESC, id DESC LIMIT 50`,
    [id],
  );
  const sub = await currentSubscription(q, id, now);
  return {
    ...userBody({ ...user, balance_seconds: balance.totalSeconds }),
    date_of_birth: user.date_of_birth,
    balance: {
      total_seconds: balance.totalSeconds,
      active_cards: balance.activeCards,
      next_expiration: iso(balance.nextExpiration),
    },
    cards: cards.map((c) => ({ ...c, created_at: iso(c.created_at as Date), activated_at: iso(c.activated_at as Date | null), expires_at: iso(c.expires_at as Date | null) })),
    sessions: sessions.map((s) => ({ ...s, started_at: iso(s.started_at as Date), ended_at: iso(s.ended_at as Date | null) })),
    payments: payments.map((p) => ({ ...p, created_at: iso(p.created_at as Date) })),
    subscription: sub
      ? { id: sub.id, plan_id: sub.plan_id, status: sub.status, current_period_end: iso(sub.current_period_end), cancel_at_period_end: sub.cancel_at_period_end }
      : null,
    ad_rewards: adRewards.map((a) => ({
      ...a,
      reward_expires_at: iso(a.reward_expires_at as Date | null),
      discount_consumed_at: iso(a.discount_consumed_at as Date | null),
      created_at: iso(a.created_at as Date),
    })),
  };
}
