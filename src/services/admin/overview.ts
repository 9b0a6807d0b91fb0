import type { Queryable } from '../../db/database.js';
import { validationFailed } from '../../http/errors.js';

/** The longest period the overview covers at once. */
export const MAX_OVERVIEW_DAYS = 366;

const DAILY_FIELDS = [
  'users_new', 'users_total', 'revenue_time_cards_cents', 'revenue_subscriptions_cents', 'refunds_cents',
  'seconds_sold', 'seconds_consumed', 'seconds_expired', 'seconds_granted', 'seconds_rewarded', 'sessions',
] as const;
type DailyField = (typeof DAILY_FIELDS)[number];
export type Daily = { date: string } & Record<DailyField, number>;

const DAY_MS = 86_400_000;
const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** The period: `from`..`to` inclusive (UTC days); the last 30 days by default. */
export function overviewPeriod(now: Date, from?: string, to?: string): { from: string; to: string } {
  const end = to ?? dayOf(now);
  const start = from ?? dayOf(new Date(Date.parse(`${end}T00:00:00Z`) - 29 * DAY_MS));
  const days = (Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / DAY_MS + 1;
  if (!Number.isFinite(days) || days < 1) throw validationFailed('from must be on or before to.', [{ field: 'from', message: 'must be on or before to' }]);
  if (days > MAX_OVERVIEW_DAYS) throw validationFailed(`The period is at most ${MAX_OVERVIEW_DAYS} days.`, [{ field: 'from', message: `at most ${MAX_OVERVIEW_DAYS} days before to` }]);
  return { from: start, to: end };
}

/**
 * The business at a glance, every figure counted by the database: per UTC day of the period,
 * sign-ups, payments by purpose, refunds, seconds sold (paid cards), consumed (session debits),
 * expired, granted (admin grants) and rewarded (ads), sessions started; totals are their sums,
 * plus what is true now (users, live subscriptions, live sessions).
 */
export async function overview(q: Queryable, period: { from: string; to: string }, now: Date) {
  const rows = await q.query<Record<string, string | number>>(
    `WITH days AS (
       SELECT d::date AS day, d AT TIME ZONE 'UTC' AS lo, (d + interval '1 day') AT TIME ZONE 'UTC' AS hi
         FROM generate_series($1::timestamp, $2::timestamp, interval '1 day') d
     )
     SELECT to_char(day, 'YYYY-MM-DD') AS date,
       (SELECT COUNT(*) FROM users WHERE created_at >= lo AND created_at < hi)::int AS users_new,
       (SELECT COUNT(*) FROM users WHERE created_at < hi)::int AS users_total,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM payment_history
         WHERE status = 'succeeded' AND purpose = 'time_card_purchase' AND created_at >= lo AND created_at < hi)::bigint AS revenue_time_cards_cents,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM payment_history
         WHERE status = 'succeeded' AND purpose = 'subscription' AND created_at >= lo AND created_at < hi)::bigint AS revenue_subscriptions_cents,
       (SELECT COALESCE(SUM(amount_cents), 0) FROM payment_history
         WHERE status = 'refunded' AND created_at >= lo AND created_at < hi)::bigint AS refunds_cents,
       (SELECT COALESCE(SUM(total_seconds), 0) FROM time_cards WHERE kind = 'purchase' AND paid_at >= lo AND paid_at < hi)::bigint AS seconds_sold,
       (SELECT COALESCE(-SUM(seconds), 0) FROM ledger_entries WHERE kind = 'session_debit' AND created_at >= lo AND created_at < hi)::bigint AS seconds_consumed,
       (SELECT COALESCE(-SUM(seconds), 0) FROM ledger_entries WHERE kind = 'expiry' AND created_at >= lo AND created_at < hi)::bigint AS seconds_expired,
       (SELECT COALESCE(SUM(seconds), 0) FROM ledger_entries WHERE kind = 'admin_grant' AND created_at >= lo AND created_at < hi)::bigint AS seconds_granted,
       (SELECT COALESCE(SUM(seconds), 0) FROM ledger_entries WHERE kind = 'ad_reward' AND created_at >= lo AND created_at < hi)::bigint AS seconds_rewarded,
       (SELECT COUNT(*) FROM time_sessions WHERE started_at >= lo AND started_at < hi)::int AS sessions
     FROM days ORDER BY day`,
    [period.from, period.to],
  );
  const daily: Daily[] = rows.map((r) => {
    const d = { date: String(r.date) } as Daily;
    for (const f of DAILY_FIELDS) d[f] = Number(r[f]);
    return d;
  });
  const sum = (f: DailyField) => daily.reduce((s, d) => s + d[f], 0);
  const [current] = await q.query<{ subs: number | string; live: number | string }>(
    `SELECT (SELECT COUNT(*) FROM user_subscriptions
              WHERE status IN ('active', 'trialing', 'past_due') AND (current_period_end IS NULL OR current_period_end > $1))::int AS subs,
            (SELECT COUNT(*) FROM time_sessions WHERE status = 'active')::int AS live`,
    [now],
  );
  const timeCards = sum('revenue_time_cards_cents');
  const subscriptions = sum('revenue_subscriptions_cents');
  const refunds = sum('refunds_cents');
  return {
    from: period.from,
    to: period.to,
    totals: {
      users: { total: daily[daily.length - 1]?.users_total ?? 0, new: sum('users_new') },
      active_subscriptions: Number(current?.subs ?? 0),
      revenue_cents: { time_cards: timeCards, subscriptions, refunds, net: timeCards + subscriptions - refunds },
      minutes: {
        sold: sum('seconds_sold') / 60,
        consumed: sum('seconds_consumed') / 60,
        expired: sum('seconds_expired') / 60,
        granted: sum('seconds_granted') / 60,
        rewarded: sum('seconds_rewarded') / 60,
      },
      seconds: {
        sold: sum('seconds_sold'),
        consumed: sum('seconds_consumed'),
        expired: sum('seconds_expired'),
        granted: sum('seconds_granted'),
        rewarded: sum('seconds_rewarded'),
      },
      sessions: { total: sum('sessions'), live_now: Number(current?.live ?? 0) },
    },
    daily,
  };
}

export { DAILY_FIELDS };
