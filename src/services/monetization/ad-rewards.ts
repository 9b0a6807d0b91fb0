import type { Queryable } from '../../db/database.js';

/**
 * Spends the user's oldest unexpired, unspent ad discount and returns its percent
 * (0 when there is none). Runs in the caller's transaction, so the discount is spent
 * exactly when the session it cheapens is committed; the row lock makes two concurrent
 * sessions unable to spend the same discount.
 */
export async function claimAdDiscount(tx: Queryable, userId: string, now: Date): Promise<number> {
  const [row] = await tx.query<{ id: number; discount_percent: number }>(
    `SELECT id, discount_percent FROM ad_interactions
      WHERE user_id = $1 AND reward_earned AND discount_percent IS NOT NULL
        AND discount_consumed_at IS NULL AND reward_expires_at > $2
      ORDER BY created_at, id
      LIMIT 1
      FOR UPDATE SKIP LOCKED`,
    [userId, now],
  );
  if (!row) return 0;
  await tx.query(`UPDATE ad_interactions SET discount_consumed_at = $2 WHERE id = $1`, [row.id, now]);
  return row.discount_percent;
}

/** The percent of the discount the user's next session would get, without spending it. */
export async function pendingAdDiscount(q: Queryable, userId: string, now: Date): Promise<number> {
  const [row] = await q.query<{ discount_percent: number }>(
    `SELECT discount_percent FROM ad_interactions
      WHERE user_id = $1 AND reward_earned AND discount_percent IS NOT NULL
        AND discount_consumed_at IS NULL AND reward_expires_at > $2
      ORDER BY created_at, id
      LIMIT 1`,
    [userId, now],
  );
  return row?.discount_percent ?? 0;
}
