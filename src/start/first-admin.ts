import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import { writeAudit } from '../services/admin/audit.js';
import { ensureAdmin, type EnsureAdminOutcome } from '../services/auth/admins.js';

/**
 * The first administrator (Auth makes the account an admin; the admin service's audit log
 * records it, as the platform's own action, in the same transaction).
 */
export function ensureFirstAdmin(
  db: Database,
  a: { email: string; password?: string; fullName?: string; now: Date; reason: string },
): Promise<EnsureAdminOutcome> {
  return ensureAdmin(db, a, (tx, change) =>
    writeAudit(tx, {
      adminId: null,
      action: change.outcome === 'created' ? 'user.create_admin' : 'user.promote',
      objectType: 'user',
      objectId: change.userId,
      before: change.roleBefore === null ? null : { role: change.roleBefore },
      after: { role: 'admin', email: change.email },
      reason: a.reason,
      at: a.now,
    }),
  );
}

/** MINDBOT_ADMIN_EMAIL (and _PASSWORD) at start: that account is an administrator. */
export async function ensureAdminFromConfig(db: Database, config: Config, log: Logger): Promise<void> {
  if (!config.MINDBOT_ADMIN_EMAIL) return;
  const outcome = await ensureFirstAdmin(db, {
    email: config.MINDBOT_ADMIN_EMAIL,
    password: config.MINDBOT_ADMIN_PASSWORD,
    now: new Date(),
    reason: 'MINDBOT_ADMIN_EMAIL at start',
  });
  if (outcome !== 'unchanged') log.info({ email: config.MINDBOT_ADMIN_EMAIL, outcome }, 'first administrator set up');
}
