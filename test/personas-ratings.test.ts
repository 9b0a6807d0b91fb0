import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { endTimeSession } from '../src/services/time/session-billing.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { giveBalance } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import { conversationStarts } from './support/calls.js';

let platform: TestPlatform;
let app: App;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

async function user(): Promise<TestUser> {
  const u = await createUser(platform);
  await giveBalance(platform, u.id, 4 * 3600);
  return u;
}

/** Starts and ends a session of `seconds` with a persona. */
async function talk(u: TestUser, slug: string, seconds: number, enableAds = false): Promise<void> {
  const res = await app.inject({ method: 'POST', url: `/personas/${slug}/session`, headers: u.auth, payload: { enable_ads: enableAds } });
  expect(res.statusCode).toBe(200);
  await conversationStarts(platform, u.id, res.json().session_id);
  platform.clock.advance(seconds);
  await endTimeSession(platform, { userId: u.id, sessionId: res.json().session_id });
}

const rate = (u: TestUser, slug: string, query: string) =>
  app.inject({ method: 'POST', url: `/personas/${slug}/rate?${query}`, headers: u.auth });
const detail = async (slug: string) => (await app.inject({ method: 'GET', url: `/personas/${slug}` })).json();

describe('POST /personas/{slug}/rate', () => {
  it('needs a session with that persona first (403)', async () => {
    const u = await user();
    const res = await rate(u, 'debug-duck', 'rating=5');
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('You can rate Debug Duck after you have had a session with them.');
    await talk(u, 'pixel', 60);
    expect((await rate(u, 'debug-duck', 'rating=5')).statusCode).toBe(403);
  });

  it('records the rating, updates the average, and rating again replaces the earlier one', async () => {
    const a = await user();
    const b = await user();
    await talk(a, 'debug-duck', 60);
    await talk(b, 'debug-duck', 60);

    const first = await rate(a, 'debug-duck', 'rating=5&feedback=Great%20tutor!');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      message: 'Thank you for your feedback!', rating_recorded: 5, persona: 'Debug Duck', average_rating: 5, rating_count: 1,
    });
    expect((await rate(b, 'debug-duck', 'rating=2')).json()).toMatchObject({ average_rating: 3.5, rating_count: 2 });
    // a changes their mind: still two ratings, average (4 + 2) / 2.
    expect((await rate(a, 'debug-duck', 'rating=4')).json()).toMatchObject({ average_rating: 3, rating_count: 2 });
    expect((await detail('debug-duck')).rating).toBe(3);
    const [stored] = await platform.db.query(`SELECT rating, feedback FROM persona_ratings WHERE user_id = $1`, [a.id]);
    expect(stored).toEqual({ rating: 4, feedback: null });

    const listed = await app.inject({ method: 'GET', url: '/personas?sort_by=rating&limit=1' });
    expect(listed.json().personas[0]).toMatchObject({ slug: 'debug-duck', rating: 3 });
  });

  it('refuses ratings outside 1–5 and feedback over 1000 characters with 422, changing nothing', async () => {
    const u = await user();
    await talk(u, 'chef-basil', 60);
    for (const q of ['rating=0', 'rating=6', 'rating=4.5', 'rating=great', '', `rating=3&feedback=${'x'.repeat(1001)}`]) {
      const res = await rate(u, 'chef-basil', q);
      expect(res.statusCode, q).toBe(422);
    }
    expect((await detail('chef-basil')).rating).toBeNull();
    expect((await rate(u, 'chef-basil', `rating=3&feedback=${'x'.repeat(1000)}`)).statusCode).toBe(200);
  });

  it('404s an unknown persona and 401s without a token', async () => {
    const u = await user();
    expect((await rate(u, 'ghost', 'rating=3')).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/personas/pixel/rate?rating=3' })).statusCode).toBe(401);
  });
});

describe('GET /analytics/personas and popularity', () => {
  it('reports the user\'s real usage, untried recommendations and real popularity shares', async () => {
    const fresh = await createTestPlatform({}, {});
    const freshApp = await buildGatewayApp(fresh);
    const u = await createUser(fresh);
    await giveBalance(fresh, u.id, 4 * 3600);
    const other = await createUser(fresh);
    await giveBalance(fresh, other.id, 4 * 3600);
    const session = async (who: TestUser, slug: string, seconds: number, enableAds: boolean) => {
      const res = await freshApp.inject({ method: 'POST', url: `/personas/${slug}/session`, headers: who.auth, payload: { enable_ads: enableAds } });
      expect(res.statusCode).toBe(200);
      await conversationStarts(fresh, who.id, res.json().session_id);
      fresh.clock.advance(seconds);
      await endTimeSession(fresh, { userId: who.id, sessionId: res.json().session_id });
    };
    try {
      const empty = (await freshApp.inject({ method: 'GET', url: '/analytics/personas', headers: u.auth })).json();
      expect(empty.user_usage).toEqual({
        total_sessions: 0, total_minutes: 0, favorite_persona: null, most_used_category: null,
        average_session_length: 0, cost_savings_from_ads: 0,
      });
      expect(empty.popular_personas).toEqual([]);

      await session(u, 'professor-oak-tutor', 600, true); // 0.8, ads: 600 s billed, 240 s saved
      await session(u, 'professor-oak-tutor', 300, false);
      await session(u, 'pixel', 300, false);
      await session(other, 'pixel', 60, false);

      const res = await freshApp.inject({ method: 'GET', url: '/analytics/personas', headers: u.auth });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.user_usage).toEqual({
        total_sessions: 3,
        total_minutes: 20,
        favorite_persona: 'professor-oak-tutor',
        most_used_category: 'education',
        average_session_length: 6.7,
        // 240 balance seconds at $10.00 an hour.
        cost_savings_from_ads: 0.67,
      });
      const recommended = body.persona_recommendations as { slug: string; reason: string }[];
      expect(recommended.length).toBeGreaterThan(0);
      expect(recommended.map((r) => r.slug)).not.toContain('professor-oak-tutor');
      expect(recommended.map((r) => r.slug)).not.toContain('pixel');
      expect(recommended[0]).toMatchObject({ slug: 'chronos-historian', reason: 'Based on your education interests' });
      expect(recommended[1]!.reason).toBe('Based on your entertainment interests');
      // A free user is not sent to premium or age-restricted personas.
      expect(recommended.map((r) => r.slug)).not.toContain('sizzlebot');
      expect(recommended.map((r) => r.slug)).not.toContain('code-wizard');

      expect(body.popular_personas).toEqual([
        { slug: 'pixel', name: 'Pixel', usage_percent: 50 },
        { slug: 'professor-oak-tutor', name: 'Professor Oak', usage_percent: 50 },
      ]);
      expect(body.category_usage).toEqual({ entertainment: 50, education: 50 });

      const popular = (await freshApp.inject({ method: 'GET', url: '/personas?sort_by=popular&limit=3' })).json().personas as { slug: string }[];
      expect(popular.map((p) => p.slug)).toEqual(['pixel', 'professor-oak-tutor', 'ava-architect']);

      const categories = (await freshApp.inject({ method: 'GET', url: '/categories' })).json().categories as { value: string; popular_personas: string[] }[];
      expect(categories.find((c) => c.value === 'entertainment')!.popular_personas).toEqual(['pixel']);
      expect(categories.find((c) => c.value === 'education')!.popular_personas).toEqual(['professor-oak-tutor']);
      expect(categories.find((c) => c.value === 'wellness')!.popular_personas).toEqual([]);

      expect((await freshApp.inject({ method: 'GET', url: '/analytics/personas' })).statusCode).toBe(401);
    } finally {
      await freshApp.close();
      await fresh.db.close();
    }
  });

  it('shows only the caller\'s own usage', async () => {
    const a = await user();
    const b = await user();
    await talk(a, 'captain-quill', 120);
    const mine = (await app.inject({ method: 'GET', url: '/analytics/personas', headers: b.auth })).json();
    expect(mine.user_usage.total_sessions).toBe(0);
    expect(mine.user_usage.favorite_persona).toBeNull();
  });
});
