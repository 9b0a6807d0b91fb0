import { randomBytes } from 'node:crypto';
import type { Platform } from '../../src/platform.js';

export interface TestUser {
  id: string;
  email: string;
  token: string;
  /** Headers with the user's bearer token. */
  auth: { authorization: string };
}

/**
 * Inserts a user straight into the database and signs an access token for it: for tests
 * of other services that need a signed-in user without going through registration.
 */
export async function createUser(
  platform: Platform,
  opts: { email?: string; fullName?: string; role?: 'user' | 'admin'; dateOfBirth?: string } = {},
): Promise<TestUser> {
  const id = `usr_${randomBytes(8).toString('hex')}`;
  const email = opts.email ?? `${id}@example.com`;
  await platform.db.query(
    `INSERT INTO users (id, email, full_name, password_hash, role, date_of_birth) VALUES ($1, $2, $3, $4, $5, $6)`,
    [id, email, opts.fullName ?? 'Test User', 'not-a-usable-hash', opts.role ?? 'user', opts.dateOfBirth ?? null],
  );
  const token = await platform.accessTokens.sign({ sub: id, email, role: opts.role ?? 'user' });
  return { id, email, token, auth: { authorization: `Bearer ${token}` } };
}
