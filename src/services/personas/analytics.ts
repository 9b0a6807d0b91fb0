import type { Queryable } from '../../db/database.js';
import type { Tier } from '../monetization/tier.js';
import { centsToDecimal } from '../../money.js';

const round = (n: number, places: number): number => Math.round(n * 10 ** places) / 10 ** places;
const MAX_RECOMMENDATIONS = 5;
const TOP_PERSONAS = 5;

/**
 * The user's persona usage (from their time sessions), recommendations among catalogue
 * personas they have not tried, and catalogue-wide popularity as shares of all sessions.
 */
export async function personaAnalytics(q: Queryable, userId: string, tier: Tier, now: Date, baseHourlyCents: number) {
  const [usage] = await q.query<{
    sessions: number | string;
    completed: number | string;
    billed: number | string;
    saved: number | string;
  }>(
    `SELECT COUNT(*) AS sessions, COUNT(billed_seconds) AS completed,
            COALESCE(SUM(billed_seconds), 0) AS billed, COALESCE(SUM(saved_seconds), 0) AS saved
       FROM time_sessions WHERE user_id = $1 AND persona_slug IS NOT NULL`,
    [userId],
  );
  const byPersona = await q.query<{ slug: string; category: string; sessions: number | string; billed: number | string }>(
    `SELECT p.slug, p.category, COUNT(*) AS sessions, COALESCE(SUM(t.billed_seconds), 0) AS billed
       FROM time_sessions t JOIN personas p ON p.slug = t.persona_slug
      WHERE t.user_id = $1
      GROUP BY p.slug, p.category
      ORDER BY COUNT(*) DESC, SUM(t.billed_seconds) DESC NULLS LAST, p.slug`,
    [userId],
  );
  const categoryTotals = new Map<string, number>();
  for (const r of byPersona) categoryTotals.set(r.category, (categoryTotals.get(r.category) ?? 0) + Number(r.sessions));
  const myCategories = [...categoryTotals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);

  const completed = Number(usage?.completed ?? 0);
  const billedSeconds = Number(usage?.billed ?? 0);
  // A balance second is worth the base hourly price / 3600; savings are shown in dollars.
  const savedCents = Math.round((Number(usage?.saved ?? 0) * baseHourlyCents) / 3600);

  return {
    user_usage: {
      total_sessions: Number(usage?.sessions ?? 0),
      total_minutes: round(billedSeconds / 60, 2),
      favorite_persona: byPersona[0]?.slug ?? null,
      most_used_category: myCategories[0] ?? null,
      average_session_length: completed === 0 ? 0 : round(billedSeconds / 60 / completed, 1),
      cost_savings_from_ads: centsToDecimal(savedCents),
    },
    persona_recommendations: await recommendations(q, userId, tier, now, myCategories),
    ...(await popularity(q)),
  };
}

/** Untried catalogue personas the user can start: first from their categories, then globally popular. */
async function recommendations(q: Queryable, userId: string, tier: Tier, now: Date, myCategories: string[]) {
  const candidates = await q.query<{ slug: string; name: string; category: string; usage_count: number }>(
    `SELECT p.slug, p.name, p.category, p.usage_count
       FROM personas p, users u
      WHERE u.id = $1 AND p.owner_id IS NULL
        AND ($2 = 'premium' OR p.access_level = 'free')
        AND (p.age_restriction IS NULL
             OR (u.date_of_birth + make_interval(years => p.age_restriction)) <= ($3::timestamptz AT TIME ZONE 'UTC')::date)
        AND NOT EXISTS (SELECT 1 FROM time_sessions t WHERE t.user_id = $1 AND t.persona_slug = p.slug)
      ORDER BY p.usage_count DESC, p.rating DESC NULLS LAST, p.slug`,
    [userId, tier, now],
  );
  const picked: { slug: string; name: string; reason: string }[] = [];
  for (const category of myCategories) {
    const match = candidates.find((c) => c.category === category && !picked.some((p) => p.slug === c.slug));
    if (match) picked.push({ slug: match.slug, name: match.name, reason: `Based on your ${category} interests` });
  }
  for (const c of candidates) {
    if (picked.length >= MAX_RECOMMENDATIONS) break;
    if (picked.some((p) => p.slug === c.slug)) continue;
    const reason = c.usage_count > 0 ? `Popular with MindBot users in ${c.category}` : `New to you in ${c.category}`;
    picked.push({ slug: c.slug, name: c.name, reason });
  }
  return picked.slice(0, MAX_RECOMMENDATIONS);
}

/** Shares of all catalogue sessions, by persona (top few) and by category. */
async function popularity(q: Queryable) {
  const rows = await q.query<{ slug: string; name: string; category: string; usage_count: number }>(
    `SELECT slug, name, category, usage_count FROM personas
      WHERE owner_id IS NULL AND usage_count > 0 ORDER BY usage_count DESC, slug`,
  );
  const total = rows.reduce((n, r) => n + r.usage_count, 0);
  const pct = (n: number) => (total === 0 ? 0 : round((n / total) * 100, 1));
  const categories: Record<string, number> = {};
  for (const r of rows) categories[r.category] = (categories[r.category] ?? 0) + r.usage_count;
  return {
    popular_personas: rows.slice(0, TOP_PERSONAS).map((r) => ({ slug: r.slug, name: r.name, usage_percent: pct(r.usage_count) })),
    category_usage: Object.fromEntries(
      Object.entries(categories).sort((a, b) => b[1] - a[1]).map(([c, n]) => [c, pct(n)]),
    ),
  };
}
