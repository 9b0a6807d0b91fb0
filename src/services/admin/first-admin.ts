import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/database.js';
import { validationFailed } from '../../http/errors.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../auth/passwords.js';
import { findUserByEmail, insertUser, newUserId } from '../auth/users.js';
import { writeAudit } from './audit.js';

export type EnsureAdminOutcome = 'created' | 'promoted' | 'unchanged';

/**
 * Makes `email` an administrator: creates the account (with `password`) when there is none,
 * promotes it when it exists (its password stays as it is). Both are audited as the platform's
 * own action. Safe to run at every start.
 */
export async function ensureAdmin(
  db: Database,
  a: { email: string; password?: string; fullName?: string; now: Date; reason: string },
): Promise<EnsureAdminOutcome> {
  const existing = await findUserByEmail(db, a.email);
  if (existing?.role === 'admin') return 'unchanged';
  if (!existing && a.password === undefined) {
    throw validationFailed(`No account has the email ${a.email}: give a password to create it.`);
  }
  if (a.password !== undefined && (a.password.length < PASSWORD_MIN_LENGTH || a.password.length > PASSWORD_MAX_LENGTH)) {
    throw validationFailed(`The password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`);
  }
  const passwordHash = existing ? undefined : await hashPassword(a.password!);
  return db.transaction(async (tx) => {
    let user = await findUserByEmail(tx, a.email);
    let outcome: EnsureAdminOutcome = 'promoted';
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
    await writeAudit(tx, {
      adminId: null, action: outcome === 'created' ? 'user.create_admin' : 'user.promote', objectType: 'user', objectId: user.id,
      before: outcome === 'created' ? null : { role: row?.role }, after: { role: 'admin', email: user.email }, reason: a.reason, at: a.now,
    });
    return outcome;
  });
}

/** A password for an account made without one (printed once by the command). */
export const generatedPassword = (): string => randomBytes(18).toString('base64url');
