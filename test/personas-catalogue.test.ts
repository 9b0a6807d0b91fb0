import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Static } from '@sinclair/typebox';
import type { App } from '../src/http/app.js';
import type { PersonaSummary } from '../src/services/personas/schemas.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';
import { makePremium } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const list = async (query = '', headers: Record<string, string> = {}) => {
  const res = await app.inject({ method: 'GET', url: `/personas${query}`, headers });
  return { res, personas: res.statusCode === 200 ? (res.json().personas as Static<typeof PersonaSummary>[]) : [] };
};

describe('GET /personas', () => {
  it('lists the seeded catalogue, the guide\'s personas included, with every category represented several times', async () => {
    const { res, personas } = await list('?limit=100');
    expect(res.statusCode).toBe(200);
    const names = personas.map((p) => p.name);
    for (const n of ['MindBot', 'Professor Oak', 'Zen Master', 'Code Wizard', 'SizzleBot', 'Pixel']) expect(names).toContain(n);
    const perCategory = new Map<string, number>();
    for (const p of personas) perCategory.set(p.category, (perCategory.get(p.category) ?? 0) + 1);
    for (const c of ['entertainment', 'education', 'wellness', 'general', 'technical']) {
      expect(perCategory.get(c)).toBeGreaterThanOrEqual(3);
    }
  });

  it('renders the guide\'s summary shape with a derived hourly cost', async () => {
    const { personas } = await list('?category=education&limit=100');
    const oak = personas.find((p) => p.slug === 'professor-oak-tutor')!;
    expect(oak).toMatchObject({
      name: 'Professor Oak',
      category: 'education',
      access_level: 'free',
      cost_multiplier: 0.8,
      session_limit: 90,
      age_restriction: null,
      ad_supported: true,
      premium_features: ['homework_checker', 'study_plan_generator', 'progress_tracking'],
      estimated_cost_per_hour: 8,
      requires_upgrade: false,
      is_custom: false,
    });
    expect(oak.rating).toBeNull();
    expect(personas.every((p) => p.category === 'education')).toBe(true);
  });

  it('derives the hourly cost from BASE_HOURLY_PRICE_CENTS', async () => {
    const other = await createTestPlatform({ BASE_HOURLY_PRICE_CENTS: '1500' });
    const otherApp = await buildGatewayApp(other);
    const res = await otherApp.inject({ method: 'GET', url: '/personas/professor-oak-tutor' });
    expect(res.json().estimated_cost_per_hour).toBe(12);
    await otherApp.close();
    await other.db.close();
  });

  it('filters on ad support and sorts by name and cost in SQL', async () => {
    const ads = (await list('?ad_supported=true&limit=100')).personas;
    expect(ads.length).toBeGreaterThan(0);
    expect(ads.every((p) => p.ad_supported)).toBe(true);
    const noAds = (await list('?ad_supported=false&limit=100')).personas;
    expect(noAds.every((p) => !p.ad_supported)).toBe(true);

    const byName = (await list('?sort_by=name&limit=100')).personas.map((p) => p.name.toLowerCase());
    expect(byName).toEqual([...byName].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const byCost = (await list('?sort_by=cost&limit=100')).personas.map((p) => p.cost_multiplier);
    expect(byCost).toEqual([...byCost].sort((a, b) => a - b));
  });

  it('honours limit and refuses limits outside 1–100 and unknown filter values with 422', async () => {
    expect((await list('?limit=2')).personas).toHaveLength(2);
    for (const q of ['?limit=0', '?limit=101', '?category=cooking', '?sort_by=price', '?user_tier=gold', '?ad_supported=maybe']) {
      const { res } = await list(q);
      expect(res.statusCode, q).toBe(422);
      expect(res.json().detail).toMatch(/Invalid request/);
    }
  });

  it('lists premium personas for free users, marked as needing an upgrade', async () => {
    const anonymous = (await list('?limit=100')).personas;
    const wizard = anonymous.find((p) => p.slug === 'code-wizard')!;
    expect(wizard).toMatchObject({ access_level: 'premium', requires_upgrade: true });

    const free = await createUser(platform);
    const asFree = (await list('?limit=100&user_tier=premium', free.auth)).personas;
    // A signed-in caller is judged by their real tier, whatever user_tier says.
    expect(asFree.find((p) => p.slug === 'code-wizard')!.requires_upgrade).toBe(true);

    const premium = await createUser(platform);
    await makePremium(platform, premium.id);
    const asPremium = (await list('?limit=100', premium.auth)).personas;
    expect(asPremium.every((p) => p.requires_upgrade === false)).toBe(true);
  });

  it('is cacheable: an ETag, a short Cache-Control and 304 for a matching If-None-Match', async () => {
    const { res } = await list('?sort_by=rating');
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^".+"$/);
    expect(res.headers['cache-control']).toBe('public, max-age=15');
    const again = await app.inject({ method: 'GET', url: '/personas?sort_by=rating', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    const otherQuery = await app.inject({ method: 'GET', url: '/personas?sort_by=cost', headers: { 'if-none-match': etag } });
    expect(otherQuery.statusCode).toBe(200);
  });

  it('refuses a bad token rather than treating the caller as anonymous', async () => {
    const { res } = await list('', { authorization: 'Bearer nonsense' });
    expect(res.statusCode).toBe(401);
  });
});

describe('GET /personas/{slug}', () => {
  it('returns every field of the guide\'s detail', async () => {
    const res = await app.inject({ method: 'GET', url: '/personas/professor-oak-tutor' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      slug: 'professor-oak-tutor',
      name: 'Professor Oak',
      summary: 'Patient academic tutor who breaks down complex subjects into digestible lessons with encouraging guidance.',
      persona: 'Wise, patient, encouraging, uses analogies and real-world examples, celebrates small wins.',
      purpose: 'Help students understand difficult concepts, provide homework guidance, and build confidence in learning.',
      category: 'education',
      access_level: 'free',
      voice: { tts: 'onyx', style: 'warm professorial tone' },
      tools: ['check_time_balance', 'create_quiz', 'explain_concept', 'suggest_resources'],
      safety: 'Encourage academic integrity, never do homework for students, focus on teaching understanding.',
      age_restriction: null,
      rating: null,
      usage_count: 0,
      cost_multiplier: 0.8,
      session_limit: 90,
      daily_limit: null,
      ad_supported: true,
      premium_features: ['homework_checker', 'study_plan_generator', 'progress_tracking'],
      user_customizable_fields: ['subject_focus', 'difficulty_level'],
      estimated_cost_per_hour: 8,
      is_custom: false,
      created_at: '2025-06-01T00:00:00.000Z',
    });
  });

  it('describes the adults-only persona with its age restriction and daily limit', async () => {
    const res = await app.inject({ method: 'GET', url: '/personas/sizzlebot' });
    expect(res.json()).toMatchObject({ name: 'SizzleBot', age_restriction: 18, daily_limit: 120, access_level: 'premium' });
  });

  it('404s an unknown slug and 422s a malformed one', async () => {
    const missing = await app.inject({ method: 'GET', url: '/personas/no-such-persona' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toBe('No persona with the slug "no-such-persona".');
    const bad = await app.inject({ method: 'GET', url: '/personas/Bad_Slug!' });
    expect(bad.statusCode).toBe(422);
  });
});

describe('GET /categories', () => {
  it('lists the categories with value, label, description, icon and no popularity before any session', async () => {
    const res = await app.inject({ method: 'GET', url: '/categories' });
    expect(res.statusCode).toBe(200);
    const categories = res.json().categories as Record<string, unknown>[];
    expect(categories.map((c) => c.value)).toEqual(['general', 'education', 'wellness', 'entertainment', 'technical']);
    expect(categories.find((c) => c.value === 'entertainment')).toMatchObject({
      label: 'Entertainment',
      description: 'Fun, engaging personas for entertainment and leisure',
      icon: '🎉',
      persona_count: 3,
    });
    expect(res.headers.etag).toBeDefined();
  });
});
