import { randomBytes } from 'node:crypto';
import type { Platform } from '../../src/platform.js';
import { grantSeconds } from '../../src/services/time/ledger.js';

/** What a test user has: a tier, talk time. Set straight in the database, for tests of other areas. */

/** Gives the user a live premium subscription (until `periodEnd`, 30 days by default); returns its id. */
export async function makePremium(platform: Platform, userId: string, periodEnd?: Date): Promise<string> {
  const id = `sub_${randomBytes(8).toString('hex')}`;
  const end = periodEnd ?? new Date(platform.clock.now().getTime() + 30 * 86400_000);
  await platform.db.query(
    `INSERT INTO user_subscriptions (id, user_id, plan_id, status, current_period_end, amount_cents)
     VALUES ($1, $2, 'premium_monthly', 'active', $3, 1999)`,
    [id, userId, end],
  );
  return id;
}

/** Credits `seconds` of talk time as an admin grant valid for 30 days. */
export async function giveBalance(platform: Platform, userId: string, seconds: number): Promise<void> {
  const now = platform.clock.now();
  await platform.db.transaction((tx) =>
    grantSeconds(tx, {
      userId,
      seconds,
      kind: 'admin_grant',
      expiresAt: new Date(now.getTime() + 30 * 86400_000),
      reference: `test_${randomBytes(6).toString('hex')}`,
      now,
    }),
  );
}

/** The user's ledger total in seconds (every entry, credits and debits). */
export async function ledgerSeconds(platform: Platform, userId: string): Promise<number> {
  const [row] = await platform.db.query<{ s: number | string }>(
    `SELECT COALESCE(SUM(seconds), 0) AS s FROM ledger_entries WHERE user_id = $1`,
    [userId],
  );
  return Number(row?.s ?? 0);
}

/** A date of birth that makes a user an adult (for 18+ personas). */
export const ADULT_DOB = '1990-05-01';
