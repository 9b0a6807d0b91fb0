import type { Queryable } from '../../db/database.js';

export type Tier = 'free' | 'premium';

/**
 * The user's tier, derived in this one place from their subscriptions: premium while a
 * subscription is active, trialing or past due (Stripe's retry window) and its period has
 * not ended. Every service asks here; nothing stores a tier.
 */
export async function getUserTier(q: Queryable, userId: string, now: Date): Promise<Tier> {
  const rows = await q.query<{ premium: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM user_subscriptions
        WHERE user_id = $1
          AND status IN ('active', 'trialing', 'past_due')
          AND (current_period_end IS NULL OR current_period_end > $2)
     ) AS premium`,
    [userId, now],
  );
  return rows[0]?.premium ? 'premium' : 'free';
}
