import { randomBytes } from 'node:crypto';
import type { Platform } from '../src/platform.js';
import { grantSeconds } from '../src/services/time/ledger.js';

/** Shared set-up for the Persona API tests. */

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

/** Gives the user an active subscription for the next 30 days (premium tier). */
export async function makePremium(platform: Platform, userId: string): Promise<void> {
  const end = new Date(platform.clock.now().getTime() + 30 * 86400_000);
  await platform.db.query(
    `INSERT INTO user_subscriptions (id, user_id, plan_id, status, current_period_end) VALUES ($1, $2, 'premium_monthly', 'active', $3)`,
    [`sub_${randomBytes(6).toString('hex')}`, userId, end],
  );
}

/** A free user who is 30 years old. */
export const ADULT_DOB = '1990-05-01';
