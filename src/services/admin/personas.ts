import { one, type Queryable } from '../../db/database.js';
import { notFound, validationFailed } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { responseCache } from '../../http/response-cache.js';
import { writeAudit } from './audit.js';
import { decodeCursor, iso, type Cursor } from './page.js';
import type { Actor } from './user-actions.js';

export interface PersonaFilter {
  kind?: 'catalogue' | 'custom';
  published?: boolean;
}

interface Row {
  slug: string;
  name: string;
  category: string;
  access_level: string;
  owner_id: string | null;
  owner_email: string | null;
  published: boolean;
  usage_count: number;
  rating: string | number | null;
  rating_count: number;
  cost_multiplier_milli: number;
  sessions: number | string;
  billed_seconds: number | string;
  revenue_cents: number | string;
  summary: string;
  created_at: Date;
}

/**
 * Personas with what they earn: sessions and minutes talked (time_sessions), rating, and
 * revenue, the paid value of the seconds spent with them (each debit priced at its card's
 * price per second; granted and rewarded time is worth nothing).
 */
export async function listAdminPersonas(q: Queryable, f: PersonaFilter, limit: number, cursor: string | undefined): Promise<Row[]> {
  const after = decodeCursor(cursor);
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  if (f.kind) where.push(f.kind === 'custom' ? 'p.owner_id IS NOT NULL' : 'p.owner_id IS NULL');
  if (f.published !== undefined) {
    params.push(f.published);
    where.push(`p.published = $${params.length}`);
  }
  if (after) {
    params.push(after.id);
    where.push(`p.slug > $${params.length}`);
  }
  return q.query<Row>(
    `SELECT p.slug, p.name, p.category, p.access_level, p.owner_id, u.email AS owner_email, p.published, p.usage_count,
            p.rating, p.rating_count, p.cost_multiplier_milli, p.summary, p.created_at,
            (SELECT COUNT(*) FROM time_sessions s WHERE s.persona_slug = p.slug)::int AS sessions,
            (SELECT COALESCE(SUM(s.billed_seconds), 0) FROM time_sessions s WHERE s.persona_slug = p.slug)::bigint AS billed_seconds,
            (SELECT COALESCE(SUM(round(-e.seconds::numeric * c.amount_cents / c.total_seconds)), 0)
               FROM time_sessions s
               JOIN ledger_entries e ON e.time_session_id = s.id AND e.kind = 'session_debit'
               JOIN time_cards c ON c.id = e.card_id
              WHERE s.persona_slug = p.slug)::bigint AS revenue_cents
       FROM personas p LEFT JOIN users u ON u.id = p.owner_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.slug LIMIT $1`,
    params,
  );
}

export const personaCursor = (r: Row): Cursor => ({ key: '', id: r.slug });
export const adminPersonaBody = (r: Row) => ({
  slug: r.slug,
  name: r.name,
  summary: r.summary,
  category: r.category,
  access_level: r.access_level,
  is_custom: r.owner_id !== null,
  owner_id: r.owner_id,
  owner_email: r.owner_email,
  published: r.published,
  usage_count: Number(r.usage_count),
  sessions: Number(r.sessions),
  minutes: Math.round(Number(r.billed_seconds) / 60 * 100) / 100,
  rating: r.rating === null ? null : Number(r.rating),
  rating_count: Number(r.rating_count),
  cost_multiplier: r.cost_multiplier_milli / 1000,
  revenue_cents: Number(r.revenue_cents),
  created_at: iso(r.created_at)!,
});

export interface PersonaPatch {
  published?: boolean;
  name?: string;
  summary?: string;
  access_level?: 'free' | 'premium';
  ad_supported?: boolean;
  cost_multiplier_milli?: number;
  session_limit_minutes?: number;
  daily_limit_minutes?: number;
}

/**
 * Publishes, unpublishes (a custom persona taken down after review) or edits a persona.
 * An unpublished persona leaves the catalogue and cannot be started, even by its owner.
 */
export async function patchPersona(platform: Platform, actor: Actor, slug: string, patch: PersonaPatch) {
  const fields = (Object.keys(patch) as (keyof PersonaPatch)[]).filter((k) => patch[k] !== undefined);
  if (fields.length === 0) throw validationFailed('Nothing to change: give at least one field.');
  const now = platform.clock.now();
  const cols = fields.join(', ');
  const result = await platform.db.transaction(async (tx) => {
    const before = await one<Record<string, unknown>>(tx, `SELECT ${cols}, owner_id FROM personas WHERE slug = $1 FOR UPDATE`, [slug]);
    if (!before) throw notFound(`No persona with the slug "${slug}".`, 'persona_not_found');
    const [after] = await tx.query<Record<string, unknown>>(
      `UPDATE personas SET ${fields.map((f, i) => `${f} = $${i + 2}`).join(', ')} WHERE slug = $1 RETURNING ${cols}`,
      [slug, ...fields.map((f) => patch[f])],
    );
    const takeDown = patch.published === false && before.owner_id !== null;
    await writeAudit(tx, {
      adminId: actor.adminId, action: takeDown ? 'persona.take_down' : 'persona.update', objectType: 'persona', objectId: slug,
      reason: actor.reason, at: now, before: Object.fromEntries(fields.map((f) => [f, before[f]])), after,
    });
    return after!;
  });
  // This process's cached public lists would show the old catalogue for a few more seconds.
  responseCache(platform).clear();
  return { slug, ...result };
}
