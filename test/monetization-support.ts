import { randomBytes } from 'node:crypto';
import type { Platform } from '../src/platform.js';

/** Gives a user a live subscription straight in the database (for tier-dependent tests). */
export async function makePremium(platform: Platform, userId: string, periodEnd?: Date): Promise<string> {
  const id = `msub_${randomBytes(8).toString('hex')}`;
  const end = periodEnd ?? new Date(platform.clock.now().getTime() + 30 * 86400_000);
  await platform.db.query(
    `INSERT INTO user_subscriptions (id, user_id, plan_id, status, current_period_end, amount_cents)
     VALUES ($1, $2, 'premium_monthly', 'active', $3, 1999)`,
    [id, userId, end],
  );
  return id;
}

export async function balanceSeconds(platform: Platform, userId: string): Promise<number> {
  const [row] = await platform.db.query<{ s: number | string }>(
    `SELECT COALESCE(SUM(seconds), 0) AS s FROM ledger_entries WHERE user_id = $1`,
    [userId],
  );
  return Number(row?.s ?? 0);
}
