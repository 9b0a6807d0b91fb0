import type { Queryable } from '../../db/database.js';
import { decodeCursor, iso, type Cursor } from './page.js';

export interface AuditFilter {
  admin_id?: string;
  object_type?: string;
  object_id?: string;
  action?: string;
}

interface Row {
  id: string;
  admin_id: string | null;
  admin_email: string | null;
  action: string;
  object_type: string;
  object_id: string;
  before: unknown;
  after: unknown;
  reason: string;
  created_at: Date;
  cursor_key: string;
}

/** The audit log newest first (`limit + 1` rows). */
export async function listAudit(q: Queryable, f: AuditFilter, limit: number, cursor: string | undefined): Promise<Row[]> {
  const after = decodeCursor(cursor);
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  for (const [col, value] of [['a.admin_id', f.admin_id], ['a.object_type', f.object_type], ['a.object_id', f.object_id], ['a.action', f.action]] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${col} = $${params.length}`);
  }
  if (after) {
    params.push(after.key, after.id);
    where.push(`(a.created_at, a.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  return q.query<Row>(
    `SELECT a.id::text AS id, a.admin_id, u.email AS admin_email, a.action, a.object_type, a.object_id, a.before, a.after, a.reason,
            a.created_at, a.created_at::text AS cursor_key
       FROM admin_audit a LEFT JOIN users u ON u.id = a.admin_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY a.created_at DESC, a.id DESC LIMIT $1`,
    params,
  );
}

export const auditCursor = (r: Row): Cursor => ({ key: r.cursor_key, id: r.id });
export const auditBody = (r: Row) => ({
  id: r.id,
  admin_id: r.admin_id,
  admin_email: r.admin_email,
  action: r.action,
  object_type: r.object_type,
  object_id: r.object_id,
  before: parse(r.before),
  after: parse(r.after),
  reason: r.reason,
  created_at: iso(r.created_at)!,
});

// PGlite and pg both parse jsonb; a driver that hands back text is handled too.
const parse = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);
