import { one, type Queryable } from '../db/database.js';
import { noticedCache, RecentChanges } from '../db/noticed-cache.js';
import { USER_STANDING_CHANNEL } from '../db/notices.js';
import type { Platform } from '../platform.js';
import { unauthenticated } from './errors.js';

export type Role = 'user' | 'admin';

interface Standing {
  role: Role;
  disabled_at: Date | null;
  tokens_valid_after: Date | null;
}

/**
 * Whether a token issued at `issuedAt` for `userId` still counts: the account exists, is not
 * disabled, and the token is not older than the user's `tokens_valid_after`. The role is the
 * stored one, so a demoted admin loses admin rights at once, not when the token expires.
 * The one home of this rule, for access tokens and refresh tokens alike.
 */
export async function requireGoodStanding(q: Queryable, userId: string, issuedAt: Date): Promise<{ role: Role }> {
  return judge(await readStanding(q, userId), issuedAt);
}

const readStanding = (q: Queryable, userId: string) =>
  one<Standing>(q, 'SELECT role, disabled_at, tokens_valid_after FROM users WHERE id = $1 AND deleted_at IS NULL', [userId]);

function judge(row: Standing | undefined, issuedAt: Date): { role: Role } {
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
  revoking.mark(userId, at.getTime());
  await q.query('UPDATE users SET tokens_valid_after = $2 WHERE id = $1', [userId, at]);
  await q.query(
    `UPDATE refresh_token_families SET revoked_at = $2, revoked_reason = 'revoked_all'
      WHERE user_id = $1 AND revoked_at IS NULL`,
    [userId, at],
  );
}

/**
 * How long a looked-up standing serves the requests that follow, while changes can be heard.
 * Every change to a user's role, disabled_at or tokens_valid_after (and a deletion) sends
 * a notice (sql/functions/change-notices.sql) that drops it in every process, so elsewhere
 * a revocation counts once its notice arrives, and never later than this. In this process
 * revokeUserTokens counts at once: the user's standing is read from the database, not kept,
 * from the moment it runs until 30 s later. While notices cannot be heard nothing is kept.
 */
export const STANDING_CACHE_MS = 5000;
/** Users whose standing this process is changing (shared by every cache of the process). */
const revoking = new RecentChanges(30_000);
const STANDING_CACHE = { maxAgeMs: STANDING_CACHE_MS, maxEntries: 10_000, changing: revoking };

/** requireGoodStanding for the authenticated request path: the same rule, the lookup briefly kept (see STANDING_CACHE_MS). */
export async function requireGoodStandingCached(
  platform: Pick<Platform, 'db' | 'clock'>,
  userId: string,
  issuedAt: Date,
): Promise<{ role: Role }> {
  const { db, clock } = platform;
  const cache = noticedCache<Standing | undefined>(db, USER_STANDING_CHANNEL, STANDING_CACHE);
  return judge(await cache.read(userId, () => clock.now().getTime(), async () => ({ value: await readStanding(db, userId) })), issuedAt);
}
