import { one, type Queryable } from '../../db/database.js';
import { notFound } from '../../http/errors.js';
import type { Tier } from '../monetization/tier.js';
import type { ListQuery } from './schemas.js';
import { centsToDecimal } from '../../money.js';

/** A row of `personas` (catalogue or custom) as the database holds it. */
export interface PersonaRow {
  slug: string;
  owner_id: string | null;
  name: string;
  summary: string;
  persona: string;
  purpose: string;
  category: string;
  access_level: 'free' | 'premium';
  voice_tts: string;
  voice_style: string;
  tools: string[];
  safety: string;
  age_restriction: number | null;
  cost_multiplier_milli: number;
  session_limit_minutes: number | null;
  daily_limit_minutes: number | null;
  ad_supported: boolean;
  premium_features: string[];
  user_customizable_fields: string[];
  /** Per field: `{values}` (one of them) or `{max_length}` (free text); see preferences.ts. */
  customizable_field_rules: Record<string, { values?: string[]; max_length?: number }>;
  system_prompt: string | null;
  rating: string | number | null;
  rating_count: number;
  usage_count: number;
  created_at: Date | string;
}

/** Multiplier in thousandths -> the guide's decimal (800 -> 0.8). */
export const multiplier = (milli: number): number => milli / 1000;

/** Cents per hour: the configured base hourly price times the persona's multiplier. */
export const hourlyCents = (baseHourlyCents: number, milli: number): number => Math.round((baseHourlyCents * milli) / 1000);


const ratingOf = (r: PersonaRow): number | null => (r.rating === null ? null : Number(r.rating));

/**
 * The catalogue list, filtered and sorted in SQL (the partial indexes on `personas` back
 * each sort). The viewer's own custom personas are listed with the catalogue; nobody
 * else's are.
 */
export async function listPersonas(q: Queryable, query: ListQuery, viewerId: string | null): Promise<PersonaRow[]> {
  const where = [viewerId ? '(owner_id IS NULL OR owner_id = $1)' : 'owner_id IS NULL', 'published', 'deleted_at IS NULL'];
  const params: unknown[] = viewerId ? [viewerId] : [];
  if (query.category) {
    params.push(query.category);
    where.push(`category = $${params.length}`);
  }
  if (query.ad_supported !== undefined) {
    params.push(query.ad_supported);
    where.push(`ad_supported = $${params.length}`);
  }
  params.push(query.limit);
  const order = ORDER[query.sort_by ?? 'popular'];
  return q.query<PersonaRow>(
    `SELECT * FROM personas WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`,
    params,
  );
}

const ORDER: Record<NonNullable<ListQuery['sort_by']>, string> = {
  rating: 'rating DESC NULLS LAST, slug',
  popular: 'usage_count DESC, slug',
  name: 'lower(name), slug',
  cost: 'cost_multiplier_milli, slug',
};

/**
 * A persona the viewer may see: any published catalogue persona, or a published custom
 * persona they own (an admin unpublishes or takes one down).
 * Someone else's custom persona is "not found", exactly like a slug that does not exist.
 */
export async function findVisiblePersona(q: Queryable, slug: string, viewerId: string | null): Promise<PersonaRow> {
  const row = await one<PersonaRow>(
    q,
    `SELECT * FROM personas WHERE slug = $1 AND (owner_id IS NULL OR owner_id = $2) AND published AND deleted_at IS NULL`,
    [slug, viewerId],
  );
  if (!row) throw notFound(`No persona with the slug "${slug}".`, 'persona_not_found');
  return row;
}

function commonFields(r: PersonaRow) {
  return {
    slug: r.slug,
    name: r.name,
    summary: r.summary,
    category: r.category,
    access_level: r.access_level,
    rating: ratingOf(r),
    cost_multiplier: multiplier(r.cost_multiplier_milli),
    session_limit: r.session_limit_minutes,
    age_restriction: r.age_restriction,
    ad_supported: r.ad_supported,
    premium_features: r.premium_features,
    is_custom: r.owner_id !== null,
  };
}

export function summaryBody(r: PersonaRow, tier: Tier, baseHourlyCents: number) {
  return {
    ...commonFields(r),
    estimated_cost_per_hour: centsToDecimal(hourlyCents(baseHourlyCents, r.cost_multiplier_milli)),
    requires_upgrade: r.access_level === 'premium' && tier === 'free',
  };
}

export function detailBody(r: PersonaRow, baseHourlyCents: number) {
  return {
    ...commonFields(r),
    persona: r.persona,
    purpose: r.purpose,
    voice: voiceOf(r),
    tools: r.tools,
    safety: r.safety,
    usage_count: r.usage_count,
    daily_limit: r.daily_limit_minutes,
    user_customizable_fields: r.user_customizable_fields,
    estimated_cost_per_hour: centsToDecimal(hourlyCents(baseHourlyCents, r.cost_multiplier_milli)),
    created_at: new Date(r.created_at).toISOString(),
  };
}

export const voiceOf = (r: PersonaRow) => ({ tts: r.voice_tts, style: r.voice_style });
