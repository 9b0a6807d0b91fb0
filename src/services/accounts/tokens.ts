import { createHash, randomBytes } from 'node:crypto';
import { one, type Queryable } from '../../db/database.js';
import { AppError } from '../../http/errors.js';

/** What a one-time link is for; a token works only for its own purpose. */
export type TokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** How long each link works, in minutes. */
export const TOKEN_TTL_MINUTES: Record<TokenPurpose, number> = {
  verify_email: 24 * 60,
  reset_password: 30,
  change_email: 24 * 60,
};

/** `at_` + 256 random bits (base64url). Only its SHA-256 is stored. */
export const ACCOUNT_TOKEN_PATTERN = '^at_[A-Za-z0-9_-]{43}$';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Issues a link token for `userId` and `email` (the address it was sent to). */
export async function issueToken(q: Queryable, input: { userId: string; purpose: TokenPurpose; email: string; now: Date }): Promise<string> {
  const token = `at_${randomBytes(32).toString('base64url')}`;
  const expires = new Date(input.now.getTime() + TOKEN_TTL_MINUTES[input.purpose] * 60_000);
  await q.query(
    `INSERT INTO account_tokens (token_hash, user_id, purpose, email, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
    [hashToken(token), input.userId, input.purpose, input.email, input.now, expires],
  );
  return token;
}

/** How many links of `purpose` the user was sent since `since` (the per-account send limit). */
export async function tokensSentSince(q: Queryable, userId: string, purpose: TokenPurpose, since: Date): Promise<number> {
  const [row] = await q.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM account_tokens WHERE user_id = $1 AND purpose = $2 AND created_at > $3`,
    [userId, purpose, since],
  );
  return Number(row?.n ?? 0);
}

export interface ConsumedToken {
  userId: string;
  email: string;
}

/**
 * Uses a token once, inside the caller's transaction: unknown, of another purpose, already
 * used, or for another user than `expectedUserId` (when given) is `invalid_token`; past its
 * time is `token_expired`. The row is locked, so two concurrent uses cannot both succeed.
 */
export async function consumeToken(
  tx: Queryable,
  token: string,
  purpose: TokenPurpose,
  now: Date,
  expectedUserId?: string,
): Promise<ConsumedToken> {
  const row = await one<{ user_id: string; email: string; expires_at: Date; used_at: Date | null; deleted_at: Date | null }>(
    tx,
    `SELECT t.user_id, t.email, t.expires_at, t.used_at, u.deleted_at
       FROM account_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_hash = $1 AND t.purpose = $2
      FOR UPDATE OF t`,
    [hashToken(token), purpose],
  );
  if (!row || row.used_at || row.deleted_at || (expectedUserId !== undefined && row.user_id !== expectedUserId)) {
    throw new AppError('invalid_token', 'That link is not valid or was already used; ask for a new one.');
  }
  if (new Date(row.expires_at).getTime() <= now.getTime()) {
    throw new AppError('token_expired', 'That link has expired; ask for a new one.');
  }
  await tx.query(`UPDATE account_tokens SET used_at = $2 WHERE token_hash = $1`, [hashToken(token), now]);
  return { userId: row.user_id, email: row.email };
}

/** Retires every unused link of `purpose` for the user (a new password makes older reset links useless). */
export async function retireTokens(q: Queryable, userId: string, purpose: TokenPurpose, now: Date): Promise<void> {
  await q.query(`UPDATE account_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [userId, purpose, now]);
}
