import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { one } from '../../db/database.js';

export interface UserRow {
  id: string;
  email: string;
  full_name: string;
  password_hash: string;
  role: 'user' | 'admin';
  date_of_birth: string | null;
  created_at: Date;
  last_login: Date | null;
  memory_enabled: boolean;
  email_verified_at: Date | null;
}

// date_of_birth as text: a calendar date, not an instant (no time-zone shifts).
const COLUMNS = `id, email, full_name, password_hash, role, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth, created_at, last_login, memory_enabled, email_verified_at`;

export function newUserId(): string {
  return `usr_${randomBytes(12).toString('hex')}`;
}

/** Inserts a user; undefined when the email (case-insensitively) is taken. */
export async function insertUser(
  q: Queryable,
  u: { id: string; email: string; fullName: string; passwordHash: string; dateOfBirth: string | null; now: Date },
): Promise<UserRow | undefined> {
  return one<UserRow>(
    q,
    `INSERT INTO users (id, email, full_name, password_hash, date_of_birth, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING ${COLUMNS}`,
    [u.id, u.email, u.fullName, u.passwordHash, u.dateOfBirth, u.now],
  );
}

export function findUserByEmail(q: Queryable, email: string): Promise<UserRow | undefined> {
  return one<UserRow>(q, `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1) AND deleted_at IS NULL`, [email]);
}

export function findUserById(q: Queryable, id: string): Promise<UserRow | undefined> {
  return one<UserRow>(q, `SELECT ${COLUMNS} FROM users WHERE id = $1 AND deleted_at IS NULL`, [id]);
}

export async function recordLogin(q: Queryable, id: string, now: Date): Promise<void> {
  await q.query(`UPDATE users SET last_login = $2 WHERE id = $1`, [id, now]);
}

export function updateProfile(
  q: Queryable,
  id: string,
  changes: { fullName?: string; dateOfBirth?: string; memoryEnabled?: boolean },
): Promise<UserRow | undefined> {
  return one<UserRow>(
    q,
    `UPDATE users SET full_name = COALESCE($2, full_name), date_of_birth = COALESCE($3::date, date_of_birth),
                      memory_enabled = COALESCE($4::boolean, memory_enabled)
     WHERE id = $1 RETURNING ${COLUMNS}`,
    [id, changes.fullName ?? null, changes.dateOfBirth ?? null, changes.memoryEnabled ?? null],
  );
}
