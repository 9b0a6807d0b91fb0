import { one } from '../../db/database.js';
import { forbidden, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';

/**
 * Records (or replaces) the user's rating of a persona they have talked to, and keeps the
 * persona's running total and count in step in the same transaction.
 */
export async function ratePersona(
  platform: Platform,
  input: { userId: string; slug: string; rating: number; feedback: string | null },
) {
  const now = platform.clock.now();
  return platform.db.transaction(async (tx) => {
    // Locking the persona row serialises concurrent ratings of it, so the totals stay exact.
    const persona = await one<{ name: string }>(
      tx,
      `SELECT name FROM personas WHERE slug = $1 AND (owner_id IS NULL OR owner_id = $2) AND deleted_at IS NULL FOR UPDATE`,
      [input.slug, input.userId],
    );
    if (!persona) throw notFound(`No persona with the slug "${input.slug}".`, 'persona_not_found');
    const talked = await one(
      tx,
      `SELECT 1 FROM time_sessions WHERE user_id = $1 AND persona_slug = $2 LIMIT 1`,
      [input.userId, input.slug],
    );
    if (!talked) throw forbidden(`You can rate ${persona.name} after you have had a session with them.`, 'rating_requires_session');

    const previous = await one<{ rating: number }>(
      tx,
      `SELECT rating FROM persona_ratings WHERE user_id = $1 AND persona_slug = $2`,
      [input.userId, input.slug],
    );
    await tx.query(
      `INSERT INTO persona_ratings (user_id, persona_slug, rating, feedback, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (user_id, persona_slug) DO UPDATE SET rating = EXCLUDED.rating, feedback = EXCLUDED.feedback, updated_at = EXCLUDED.updated_at`,
      [input.userId, input.slug, input.rating, input.feedback, now],
    );
    const [totals] = await tx.query<{ rating: string | number; rating_count: number }>(
      `UPDATE personas SET rating_total = rating_total + $2 - $3, rating_count = rating_count + $4
        WHERE slug = $1 RETURNING rating, rating_count`,
      [input.slug, input.rating, previous?.rating ?? 0, previous ? 0 : 1],
    );
    return {
      message: 'Thank you for your feedback!',
      rating_recorded: input.rating,
      persona: persona.name,
      average_rating: Number(totals!.rating),
      rating_count: totals!.rating_count,
    };
  });
}
