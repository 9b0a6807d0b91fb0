import { notFound } from '../http/errors.js';
import type { Queryable } from './database.js';

/**
 * Serialises the changes of one user's money and limits across services (balance, coupons,
 * subscriptions, custom personas): take it first, inside the transaction, before touching
 * their rows. One lock per user, always taken first, so no two transactions deadlock on it.
 * A user that no longer exists is a 404, like any other missing resource.
 */
export async function lockUser(tx: Queryable, userId: string): Promise<void> {
  const rows = await tx.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [userId]);
  if (rows.length === 0) throw notFound('No such user.', 'user_not_found');
}
