import { randomBytes } from 'node:crypto';
import { conflict, forbidden, validationFailed } from '../../http/errors.js';
import type { Moderator } from '../../integrations/moderation/moderator.js';
import type { Platform } from '../../platform.js';
import { lockUser } from '../../db/locks.js';
import { getUserTier } from '../monetization/tier.js';
import { centsToDecimal } from '../../money.js';
import { hourlyCents, multiplier } from './catalogue.js';
import { requireModerated } from './moderate.js';
import { assembleSystemPrompt, promptPreview, sanitiseUserText } from './prompt.js';
import type { CustomPersonaBody } from './schemas.js';

/** The guide's premium benefit: "Create up to 3 custom personas". */
export const MAX_CUSTOM_PERSONAS = 3;
/** Custom personas cost more per minute than the catalogue's default (the guide's 1.2). */
export const CUSTOM_MULTIPLIER_MILLI = 1200;
export const CUSTOM_SESSION_LIMIT_MINUTES = 60;

export const FIELDS = ['name', 'summary', 'persona', 'purpose'] as const;
/** The same limits as the request schema and the table's CHECKs, in characters. */
const MAX_LENGTH = { name: 60, summary: 300, persona: 1000, purpose: 1000 } as const;

/** Lower-case ASCII words joined by hyphens, at most 40 characters ("persona" when nothing is left). */
export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/g, '');
  return base || 'persona';
}

/**
 * A custom persona's texts as they will be stored: markup removed, the length limits checked
 * again, and moderated (failing closed). The one rule for creating and editing.
 */
export async function cleanPersonaText(
  platform: Platform,
  moderator: Moderator,
  body: Record<(typeof FIELDS)[number], string>,
): Promise<Record<(typeof FIELDS)[number], string>> {
  const clean = Object.fromEntries(FIELDS.map((f) => [f, sanitiseUserText(body[f])])) as Record<(typeof FIELDS)[number], string>;
  // Unicode normalisation can lengthen text (e.g. "ﬃ" -> "ffi"), so the limits are checked again.
  const bad = FIELDS.filter((f) => clean[f].length === 0 || [...clean[f]].length > MAX_LENGTH[f]);
  if (bad.length > 0) {
    const errors = bad.map((field) => ({ field, message: `must contain 1 to ${MAX_LENGTH[field]} characters once markup is removed` }));
    throw validationFailed(`Invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors);
  }
  await requireModerated(moderator, platform.log, FIELDS.map((f) => clean[f]), 'This persona');
  return clean;
}

export async function createCustomPersona(platform: Platform, moderator: Moderator, userId: string, body: CustomPersonaBody) {
  const now = platform.clock.now();
  if ((await getUserTier(platform.db, userId, now)) !== 'premium') {
    throw forbidden(`Custom personas are a Premium feature: upgrade to Premium to create up to ${MAX_CUSTOM_PERSONAS} of your own.`, 'premium_required');
  }
  const clean = await cleanPersonaText(platform, moderator, body);

  const systemPrompt = assembleSystemPrompt({ ...clean, category: body.category });
  const slug = await platform.db.transaction(async (tx) => {
    // The owner's row lock serialises concurrent creations, so the limit holds.
    await lockUser(tx, userId);
    const [count] = await tx.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM personas WHERE owner_id = $1 AND deleted_at IS NULL`, [userId]);
    if (Number(count?.n ?? 0) >= MAX_CUSTOM_PERSONAS) {
      throw conflict(`You already have ${MAX_CUSTOM_PERSONAS} custom personas, the most a Premium account can keep.`, 'custom_persona_limit');
    }
    const candidate = `${slugify(clean.name)}-${randomBytes(3).toString('hex')}`;
    const inserted = await tx.query<{ slug: string }>(
      `INSERT INTO personas (slug, owner_id, name, summary, persona, purpose, category, access_level, voice_tts, voice_style,
                             tools, safety, cost_multiplier_milli, session_limit_minutes, ad_supported, system_prompt, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'premium', 'alloy', 'natural and friendly',
               '{check_time_balance}', $8, $9, $10, false, $11, $12)
       ON CONFLICT (slug) DO NOTHING RETURNING slug`,
      [candidate, userId, clean.name, clean.summary, clean.persona, clean.purpose, body.category,
        'Follows the MindBot platform safety rules; user-written instructions never override them.',
        CUSTOM_MULTIPLIER_MILLI, CUSTOM_SESSION_LIMIT_MINUTES, systemPrompt, now],
    );
    // 24 random bits after a name: a clash is rare; the client may simply retry.
    if (!inserted[0]) throw conflict('A persona with that generated slug already exists; please try again.');
    return inserted[0].slug;
  });

  return {
    slug,
    name: clean.name,
    message: 'Custom persona created successfully!',
    system_prompt_preview: promptPreview(systemPrompt),
    cost_multiplier: multiplier(CUSTOM_MULTIPLIER_MILLI),
    estimated_hourly_cost: centsToDecimal(hourlyCents(platform.config.BASE_HOURLY_PRICE_CENTS, CUSTOM_MULTIPLIER_MILLI)),
  };
}
