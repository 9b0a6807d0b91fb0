import { randomBytes } from 'node:crypto';
import type { Database, Queryable } from '../../db/database.js';
import { validationFailed } from '../../http/errors.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';
import { findUserByEmail, insertUser, newUserId } from './users.js';

export type EnsureAdminOutcome = 'created' | 'promoted' | 'unchanged';

/** What ensureAdmin changed, for the caller to record (the admin service audits it) in the same transaction. */
export interface AdminChange {
  outcome: 'created' | 'promoted';
  userId: string;
  email: string;
  roleBefore: string | null;
}

/**
 * Makes `email` an administrator: creates the account (with `password`) when there is none,
 * promotes it when it exists (its password stays as it is). Safe to run at every start.
 * `record` runs in the transaction of the change.
 */
export async function ensureAdmin(
  db: Database,
  a: { email: string; password?: string; fullName?: string; now: Date },
  record: (tx: Queryable, change: AdminChange) => Promise<void>,
): Promise<EnsureAdminOutcome> {
  const existing = await findUserByEmail(db, a.email);
  if (existing?.role === 'admin') return 'unchanged';
  if (!existing && a.password === undefined) {
    throw validationFailed(`No account has the email ${a.email}: give a password to create it.`);
  }
  if (!existing && a.password !== undefined && (a.password.length < PASSWORD_MIN_LENGTH || a.password.length > PASSWORD_MAX_LENGTH)) {
    throw validationFailed(`The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`);
  }
  const passwordHash = existing ? undefined : await hashPassword(a.password!);
  return db.transaction(async (tx) => {
    let user = await findUserByEmail(tx, a.email);
    let outcome: AdminChange['outcome'] = 'promoted';
    if (!user) {
      user = await insertUser(tx, {
        id: newUserId(), email: a.email, fullName: a.fullName ?? 'Administrator', passwordHash: passwordHash!, dateOfBirth: null, now: a.now,
      });
      if (!user) throw new Error('ensureAdmin: the account appeared and vanished concurrently');
      outcome = 'created';
    }
    const [row] = await tx.query<{ role: string }>(`SELECT role FROM users WHERE id = $1 FOR UPDATE`, [user.id]);
    if (row?.role === 'admin') return 'unchanged';
    await tx.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [user.id]);
    await record(tx, { outcome, userId: user.id, email: user.email, roleBefore: outcome === 'created' ? null : (row?.role ?? null) });
    return outcome;
  });
}

/** A password for an account made without one (printed once by the command). */
export const generatedPassword = (): string => randomBytes(18).toString('base64url');
