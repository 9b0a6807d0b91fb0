import type { Queryable } from '../../db/database.js';

/** How many of a category's most-used personas `GET /categories` names. */
export const POPULAR_PER_CATEGORY = 3;

/** Categories with their catalogue size and most-used personas (by real sessions started). */
export async function listCategories(q: Queryable) {
  const rows = await q.query<{
    value: string;
    label: string;
    description: string;
    icon: string;
    persona_count: number | string;
    popular_personas: string[];
  }>(
    `SELECT c.value, c.label, c.description, c.icon,
            (SELECT COUNT(*) FROM personas p WHERE p.category = c.value AND p.owner_id IS NULL AND p.published) AS persona_count,
            ARRAY(SELECT p.slug FROM personas p
                   WHERE p.category = c.value AND p.owner_id IS NULL AND p.published AND p.usage_count > 0
                   ORDER BY p.usage_count DESC, p.slug LIMIT $1) AS popular_personas
       FROM persona_categories c
      ORDER BY c.sort_order, c.value`,
    [POPULAR_PER_CATEGORY],
  );
  return { categories: rows.map((r) => ({ ...r, persona_count: Number(r.persona_count) })) };
}
