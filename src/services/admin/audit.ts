import type { Queryable } from '../../db/database.js';

export interface AuditEntry {
  /** The admin who acted; null for the platform itself (the first admin, from the environment or the CLI). */
  adminId: string | null;
  /** `<object>.<verb>`, e.g. `user.disable`, `card.void`. */
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  reason: string;
  at: Date;
}

/**
 * Records an admin action. Call it with the transaction that makes the change, so the entry
 * exists exactly when the change does. The table is append-only (a trigger refuses edits).
 */
export async function writeAudit(tx: Queryable, e: AuditEntry): Promise<void> {
  await tx.query(
    `INSERT INTO admin_audit (admin_id, action, object_type, object_id, before, after, reason, created_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
    [e.adminId, e.action, e.objectType, e.objectId, json(e.before), json(e.after), e.reason, e.at],
  );
}

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));
