import { one, type Queryable } from '../db/database.js';
import { unauthenticated } from './errors.js';

export type Role = 'user' | 'admin';

/**
 * Whether a token issued at `issuedAt` for `userId` still counts: the account exists, is not
 * disabled, and the token is not older than the user's `tokens_valid_after`. The role is the
 * stored one, so a demoted admin loses admin rights at once, not when the token expires.
 * The one home of this rule, for access tokens and refresh tokens alike.
 */
export async function requireGoodStanding(q: Queryable, userId: string, issuedAt: Date): Promise<{ role: Role }> {
  const row = await one<{ role: Role; disabled_at: Date | null; tokens_valid_after: Date | null }>(
    q,
    'SELECT role, disabled_at, tokens_valid_after FROM users WHERE id = $1 AND deleted_at IS NULL',
    [userId],
  );
  if (!row) throw unauthenticated('This account no longer exists.');
  if (row.disabled_at) throw unauthenticated('This account is disabled.');
  if (row.tokens_valid_after && issuedAt.getTime() < row.tokens_valid_after.getTime()) {
    throw unauthenticated('This sign-in has been revoked: sign in again.');
  }
  return { role: row.role };
}

/**
 * Signs the user out everywhere as of `at`: access tokens issued before it stop working on
 * their next request, and every refresh-token family is revoked. Run it in the transaction
 * that makes the change requiring it (password reset, disable, …).
 */
export async function revokeUserTokens(q: Queryable, userId: string, at: Date): Promise<void> {
  await q.query('UPDATE users SET tokens_valid_after = $2 WHERE id = $1', [userId, at]);
  await q.query(
    `UPDATE refresh_token_families SET revoked_at = $2, revoked_reason = 'revoked_all'
      WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, at],
  );
}
