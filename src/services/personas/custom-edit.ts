import { one } from '../../db/database.js';
import { forbidden, notFound, validationFailed } from '../../http/errors.js';
import type { Moderator } from '../../integrations/moderation/moderator.js';
import type { Platform } from '../../platform.js';
import { centsToDecimal } from '../../money.js';
import { getUserTier } from '../monetization/tier.js';
import { hourlyCents, multiplier, summaryBody, type PersonaRow } from './catalogue.js';
import { cleanPersonaText, FIELDS, MAX_CUSTOM_PERSONAS } from './custom.js';
import { assembleSystemPrompt, promptPreview } from './prompt.js';
import type { CustomPersonaBody, CustomPersonaPatch } from './schemas.js';

/** Someone else's persona, a catalogue one or a deleted one: "not found", like a slug that does not exist. */
const missing = (slug: string) => notFound(`You have no custom persona with the slug "${slug}".`);

/**
 * Edits a custom persona of its owner: the same tier, length limits and moderation as
 * creating one (failing closed); the system prompt is assembled again from the new texts.
 */
export async function updateCustomPersona(platform: Platform, moderator: Moderator, userId: string, slug: string, patch: CustomPersonaPatch) {
  const current = await one<PersonaRow>(platform.db, `SELECT * FROM personas WHERE slug = $1 AND owner_id = $2 AND deleted_at IS NULL`, [slug, userId]);
  if (!current) throw missing(slug);
  if (Object.values(patch).every((v) => v === undefined)) throw validationFailed('Send at least one of name, summary, persona, purpose or category to change.');
  if ((await getUserTier(platform.db, userId, platform.clock.now())) !== 'premium') {
    throw forbidden('Editing custom personas is a Premium feature: upgrade to Premium again to change it (you can still delete it).');
  }
  const merged = { ...Object.fromEntries(FIELDS.map((f) => [f, patch[f] ?? current[f]])), category: patch.category ?? current.category } as CustomPersonaBody;
  const clean = await cleanPersonaText(platform, moderator, merged);
  const systemPrompt = assembleSystemPrompt({ ...clean, category: merged.category });
  const updated = await one<PersonaRow>(
    platform.db,
    `UPDATE personas SET name = $3, summary = $4, persona = $5, purpose = $6, category = $7, system_prompt = $8
      WHERE slug = $1 AND owner_id = $2 AND deleted_at IS NULL RETURNING *`,
    [slug, userId, clean.name, clean.summary, clean.persona, clean.purpose, merged.category, systemPrompt],
  );
  if (!updated) throw missing(slug);
  return {
    slug,
    name: updated.name,
    message: 'Custom persona updated.',
    system_prompt_preview: promptPreview(systemPrompt),
    cost_multiplier: multiplier(updated.cost_multiplier_milli),
    estimated_hourly_cost: centsToDecimal(hourlyCents(platform.config.BASE_HOURLY_PRICE_CENTS, updated.cost_multiplier_milli)),
  };
}

/**
 * Deletes a custom persona of its owner: it frees a slot and can no longer be started or
 * rated, while the sessions held with it stay in the owner's history (the row stays, marked).
 */
export async function deleteCustomPersona(platform: Platform, userId: string, slug: string): Promise<void> {
  const rows = await platform.db.query(
    `UPDATE personas SET deleted_at = $3 WHERE slug = $1 AND owner_id = $2 AND deleted_at IS NULL RETURNING slug`,
    [slug, userId, platform.clock.now()],
  );
  if (rows.length === 0) throw missing(slug);
}

/** The user's own custom personas (not deleted), newest first, and the slots left. */
export async function listOwnPersonas(platform: Platform, userId: string) {
  const rows = await platform.db.query<PersonaRow>(
    `SELECT * FROM personas WHERE owner_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC, slug`,
    [userId],
  );
  const tier = await getUserTier(platform.db, userId, platform.clock.now());
  return {
    personas: rows.map((r) => ({ ...summaryBody(r, tier, platform.config.BASE_HOURLY_PRICE_CENTS), persona: r.persona, purpose: r.purpose })),
    limit: MAX_CUSTOM_PERSONAS,
    remaining: Math.max(0, MAX_CUSTOM_PERSONAS - rows.length),
  };
}
