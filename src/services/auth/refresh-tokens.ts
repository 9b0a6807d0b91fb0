import { createHash, randomBytes } from 'node:crypto';
import type { Queryable, Tx } from '../../db/database.js';
import { one } from '../../db/database.js';

/** `rt_` + 256 random bits (base64url). Only its SHA-256 is stored. */
export const REFRESH_TOKEN_PATTERN = '^rt_[A-Za-z0-9_-]{43}$';

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function newToken(): string {
  return `rt_${randomBytes(32).toString('base64url')}`;
}

async function insertToken(q: Queryable, familyId: string, now: Date, ttlDays: number): Promise<string> {
  const token = newToken();
  const expires = new Date(now.getTime() + ttlDays * 86_400_000);
  await q.query(`INSERT INTO refresh_tokens (token_hash, family_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)`, [
    hashRefreshToken(token),
    familyId,
    now,
    expires,
  ]);
  return token;
}

/** Starts a new token family (one per login) and returns its first token. */
export async function startRefreshFamily(q: Queryable, userId: string, now: Date, ttlDays: number): Promise<string> {
  const familyId = `rtf_${randomBytes(12).toString('hex')}`;
  await q.query(`INSERT INTO refresh_token_families (id, user_id, created_at) VALUES ($1, $2, $3)`, [familyId, userId, now]);
  return insertToken(q, familyId, now, ttlDays);
}

export type RotationResult =
  | { ok: true; userId: string; token: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'revoked' | 'reused' };

/**
 * Exchanges a live refresh token for a new one of the same family. A token that was
 * already rotated is a replayed copy: the family is revoked (in this transaction, so
 * the caller must commit before answering 401) and every token of it stops working.
 */
export async function rotateRefreshToken(tx: Tx, token: string, now: Date, ttlDays: number): Promise<RotationResult> {
  const row = await one<{ family_id: string; user_id: string; expires_at: Date; rotated_at: Date | null; revoked_at: Date | null }>(
    tx,
    // Locks the family so concurrent presentations of one token serialise: one rotates, the other is reuse.
    `SELECT t.family_id, f.user_id, t.expires_at, t.rotated_at, f.revoked_at
       FROM refresh_tokens t JOIN refresh_token_families f ON f.id = t.family_id
      WHERE t.token_hash = $1
      FOR UPDATE OF f`,
    [hashRefreshToken(token)],
  );
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.revoked_at) return { ok: false, reason: 'revoked' };
  // Re-read under the lock: another transaction may have rotated it while we waited.
  const current = await one<{ rotated_at: Date | null }>(tx, `SELECT rotated_at FROM refresh_tokens WHERE token_hash = $1`, [
    hashRefreshToken(token),
  ]);
  if (current?.rotated_at) {
    await revokeFamily(tx, row.family_id, 'reuse', now);
    return { ok: false, reason: 'reused' };
  }
  if (row.expires_at.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  await tx.query(`UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1`, [hashRefreshToken(token), now]);
  return { ok: true, userId: row.user_id, token: await insertToken(tx, row.family_id, now, ttlDays) };
}

async function revokeFamily(q: Queryable, familyId: string, reason: 'logout' | 'reuse', now: Date): Promise<void> {
  await q.query(
    `UPDATE refresh_token_families SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL`,
    [familyId, now, reason],
  );
}

/** Revokes the family of `token` (logout). False when the token was never issued. */
export async function revokeFamilyOf(q: Queryable, token: string, now: Date): Promise<boolean> {
  const row = await one<{ family_id: string }>(q, `SELECT family_id FROM refresh_tokens WHERE token_hash = $1`, [
    hashRefreshToken(token),
  ]);
  if (!row) return false;
  await revokeFamily(q, row.family_id, 'logout', now);
  return true;
}
