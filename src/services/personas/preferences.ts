import type { Queryable } from '../../db/database.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import type { Moderator } from '../../integrations/moderation/moderator.js';
import type { Platform } from '../../platform.js';
import type { PersonaRow } from './catalogue.js';
import { requireModerated } from './moderate.js';
import { sanitiseUserText } from './prompt.js';

/** A persona's rule for one customisable field: one of `values`, or free text up to `max_length`. */
export interface FieldRule {
  values?: string[];
  max_length?: number;
}

/** Free-text fields without a rule of their own. */
export const DEFAULT_MAX_LENGTH = 80;

type RuledPersona = Pick<PersonaRow, 'slug' | 'user_customizable_fields'> & { customizable_field_rules?: Record<string, FieldRule> | null };

/** The persona's customisable fields with their rules, as the preferences routes show them. */
export function fieldsOf(persona: RuledPersona) {
  const rules = persona.customizable_field_rules ?? {};
  return persona.user_customizable_fields.map((name) => {
    const rule = rules[name] ?? {};
    return rule.values
      ? { name, allowed_values: rule.values, max_length: Math.max(...rule.values.map((v) => v.length)) }
      : { name, allowed_values: null, max_length: rule.max_length ?? DEFAULT_MAX_LENGTH };
  });
}

/**
 * The user's stored values for the persona's fields. Only fields the persona still lists are
 * returned, so a field the persona drops stops reaching its prompt.
 */
export async function readPreferences(q: Queryable, userId: string, persona: RuledPersona): Promise<Record<string, string>> {
  const [row] = await q.query<{ preferences: Record<string, string> }>(
    `SELECT preferences FROM persona_preferences WHERE user_id = $1 AND persona_slug = $2`,
    [userId, persona.slug],
  );
  const stored = row?.preferences ?? {};
  return Object.fromEntries(persona.user_customizable_fields.filter((f) => typeof stored[f] === 'string').map((f) => [f, stored[f]!]));
}

/**
 * Replaces the user's values for a persona: only its listed fields, each sanitised like
 * custom persona text, within its length, one of its allowed values where it has them, and
 * moderated; a null or empty value clears the field. Anything wrong → 422, nothing stored.
 */
export async function writePreferences(
  platform: Platform,
  moderator: Moderator,
  userId: string,
  persona: RuledPersona,
  input: Record<string, string | null>,
): Promise<Record<string, string>> {
  const fields = new Map(fieldsOf(persona).map((f) => [f.name, f]));
  const errors: FieldError[] = [];
  const clean: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    const field = fields.get(name);
    if (!field) {
      errors.push({ field: `preferences.${name}`, message: `is not a customisable field of this persona (${[...fields.keys()].join(', ') || 'none'})` });
      continue;
    }
    if (raw === null) continue;
    const value = sanitiseUserText(raw);
    if (value === '') continue;
    if (field.allowed_values && !field.allowed_values.includes(value)) {
      errors.push({ field: `preferences.${name}`, message: `must be one of: ${field.allowed_values.join(', ')}` });
    } else if ([...value].length > field.max_length) {
      errors.push({ field: `preferences.${name}`, message: `must be at most ${field.max_length} characters` });
    } else {
      clean[name] = value;
    }
  }
  if (errors.length > 0) throw validationFailed(`Invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}.`, errors);
  if (Object.keys(clean).length > 0) await requireModerated(moderator, platform.log, Object.values(clean), 'Your preferences');

  await platform.db.query(
    `INSERT INTO persona_preferences (user_id, persona_slug, preferences, updated_at) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (user_id, persona_slug) DO UPDATE SET preferences = EXCLUDED.preferences, updated_at = EXCLUDED.updated_at`,
    [userId, persona.slug, JSON.stringify(clean), platform.clock.now()],
  );
  return clean;
}
