import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimAdDiscount, pendingAdDiscount } from '../src/services/monetization/ad-rewards.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await createTestPlatform();
});
afterAll(async () => {
  await platform.db.close();
});

async function discountReward(userId: string, adId: string, percent: number, at: Date, expiresAt: Date) {
  await platform.db.query(
    `INSERT INTO ad_interactions (user_id, ad_id, view_duration, reward_type, reward_earned, discount_percent, reward_expires_at, created_at)
     VALUES ($1, $2, 15, 'discount', true, $3, $4, $5)`,
    [userId, adId, percent, expiresAt, at],
  );
}

describe('claimAdDiscount', () => {
  it('returns 0 when the user has no discount', async () => {
    const user = await createUser(platform);
    const percent = await platform.db.transaction((tx) => claimAdDiscount(tx, user.id, platform.clock.now()));
    expect(percent).toBe(0);
  });

  it('spends the oldest unexpired discount once, in the caller transaction', async () => {
    const user = await createUser(platform);
    const now = platform.clock.now();
    const hour = 3600_000;
    await discountReward(user.id, 'ad-old-expired', 90, new Date(now.getTime() - 5 * hour), new Date(now.getTime() - hour));
    await discountReward(user.id, 'ad-b', 50, new Date(now.getTime() - 2 * hour), new Date(now.getTime() + hour));
    await discountReward(user.id, 'ad-c', 30, new Date(now.getTime() - 1 * hour), new Date(now.getTime() + hour));

    expect(await pendingAdDiscount(platform.db, user.id, now)).toBe(50);
    await expect(
      platform.db.transaction(async (tx) => {
        expect(await claimAdDiscount(tx, user.id, now)).toBe(50);
        throw new Error('session insert failed');
      }),
    ).rejects.toThrow('session insert failed');
    // The rolled-back claim left the discount unspent.
    expect(await platform.db.transaction((tx) => claimAdDiscount(tx, user.id, now))).toBe(50);
    expect(await platform.db.transaction((tx) => claimAdDiscount(tx, user.id, now))).toBe(30);
    expect(await platform.db.transaction((tx) => claimAdDiscount(tx, user.id, now))).toBe(0);
  });

  it('keeps ad history append-only: a spent discount cannot be re-opened or deleted', async () => {
    const user = await createUser(platform);
    const now = platform.clock.now();
    await discountReward(user.id, 'ad-x', 50, now, new Date(now.getTime() + 3600_000));
    await platform.db.transaction((tx) => claimAdDiscount(tx, user.id, now));
    await expect(
      platform.db.query(`UPDATE ad_interactions SET discount_consumed_at = NULL WHERE user_id = $1`, [user.id]),
    ).rejects.toThrow(/append|spend/);
    await expect(platform.db.query(`DELETE FROM ad_interactions WHERE user_id = $1`, [user.id])).rejects.toThrow();
    await expect(
      platform.db.query(`UPDATE ad_interactions SET discount_percent = 100 WHERE user_id = $1`, [user.id]),
    ).rejects.toThrow();
  });
});
