import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { claimAdDiscount } from '../src/services/monetization/ad-rewards.js';
import { grantSeconds } from '../src/services/time/ledger.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { ledgerSeconds, makePremium } from './support/accounts.js';
import { createGuideClient } from './support/guide-client.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { conversationStarts } from './support/calls.js';

let platform: TestPlatform;
let app: App;
// Each test gets a fresh platform and manual clock: one test's jump in time never reaches another.
beforeEach(async () => {
  platform = await createTestPlatform({ AD_REWARDS_PER_DAY: '3' });
  app = await buildGatewayApp(platform);
});
afterEach(async () => {
  await app.close();
  await platform.db.close();
});

const view = (user: TestUser, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/ads/viewed', headers: user.auth, payload });

describe('GET /ads/config', () => {
  it('offers free users ads and both rewards, premium users none', async () => {
    const free = await createUser(platform);
    const res = await app.inject({ method: 'GET', url: '/ads/config', headers: free.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      ads_enabled: true,
      ad_frequency: 3,
      ad_types: ['banner', 'video', 'sponsored_message'],
      reward_options: {
        watch_ad_for_time: { ad_length: 30, time_reward: 5 },
        watch_ad_for_discount: { ad_length: 15, discount_percent: 50 },
      },
    });
    const premium = await createUser(platform);
    await makePremium(platform, premium.id);
    const res2 = await app.inject({ method: 'GET', url: '/ads/config', headers: premium.auth });
    expect(res2.json()).toMatchObject({ ads_enabled: false });
  });

  it('needs a signed-in user', async () => {
    const res = await app.inject({ method: 'GET', url: '/ads/config' });
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/access token/i);
  });
});

describe('POST /ads/viewed', () => {
  it("runs the guide's showAdForReward unchanged and earns the next-session discount", async () => {
    const user = await createUser(platform);
    const client = createGuideClient(app, {
      displayAd: async () => ({ adId: 'video_ad_123', viewDuration: 30 }),
      currentPersona: { slug: 'professor-oak-tutor' },
    });
    client.localStorage.set('access_token', user.token);
    const data = await client.call<Record<string, unknown>>('showAdForReward', 'video');
    expect(data).toMatchObject({ reward_earned: true, cost_reduction_percentage: 50, next_session_discount: 0.5 });
    expect(client.calls.applyCostReduction).toEqual([[50]]);
    expect(client.calls.showRewardMessage?.[0]?.[0]).toMatch(/50% off/);
    expect(client.calls.addFreeTime).toBeUndefined();

    // The discount is spent once, by the next session's charge.
    const now = platform.clock.now();
    expect(await platform.db.transaction((tx) => claimAdDiscount(tx, user.id, now))).toBe(50);
    expect(await platform.db.transaction((tx) => claimAdDiscount(tx, user.id, now))).toBe(0);
  });

  it('credits 5 expiring minutes through the ledger for a time reward', async () => {
    const user = await createUser(platform);
    const res = await view(user, { ad_id: 'ad-time-1', view_duration: 30, reward_type: 'time' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ reward_earned: true, reward_type: 'time', time_reward: 5 });
    expect(await ledgerSeconds(platform, user.id)).toBe(300);
    const balance = await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth });
    expect(balance.statusCode).toBe(200);
    expect(balance.json().balance.total_minutes).toBe(5);
    const [card] = await platform.db.query<{ kind: string; expires_at: Date }>(
      `SELECT kind, expires_at FROM time_cards WHERE user_id = $1`,
      [user.id],
    );
    expect(card?.kind).toBe('ad_reward');
    expect(new Date(card!.expires_at).getTime()).toBe(platform.clock.now().getTime() + 7 * 86400_000);
  });

  it('rewards a replayed ad once and says why the replay earned nothing', async () => {
    const user = await createUser(platform);
    const first = await view(user, { ad_id: 'ad-replay', view_duration: 30, reward_type: 'time' });
    expect(first.json().reward_earned).toBe(true);
    const replays = await Promise.all([1, 2, 3].map(() => view(user, { ad_id: 'ad-replay', view_duration: 30, reward_type: 'time' })));
    for (const r of replays) expect(r.json()).toMatchObject({ reward_earned: false, reason: 'already_rewarded' });
    expect(await ledgerSeconds(platform, user.id)).toBe(300);
    const [row] = await platform.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ad_interactions WHERE user_id = $1`, [user.id]);
    expect(Number(row?.n)).toBe(4);
  });

  it('answers a retry under the same Idempotency-Key with the first answer, reward included', async () => {
    const user = await createUser(platform);
    const headers = { ...user.auth, 'idempotency-key': 'ad-view-1' };
    const payload = { ad_id: 'ad-retried', view_duration: 30, reward_type: 'time' };
    const first = await app.inject({ method: 'POST', url: '/ads/viewed', headers, payload });
    const retry = await app.inject({ method: 'POST', url: '/ads/viewed', headers, payload });
    expect(first.json().reward_earned).toBe(true);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await ledgerSeconds(platform, user.id)).toBe(300);
  });

  it('refuses a reward for a view shorter than the ad', async () => {
    const user = await createUser(platform);
    const short = await view(user, { ad_id: 'ad-short', view_duration: 29.9, reward_type: 'time' });
    expect(short.json()).toMatchObject({ reward_earned: false, reason: 'view_too_short' });
    const shortDiscount = await view(user, { ad_id: 'ad-short-2', view_duration: 14 });
    expect(shortDiscount.json()).toMatchObject({ reward_earned: false, reason: 'view_too_short' });
    expect(await ledgerSeconds(platform, user.id)).toBe(0);
  });

  it('gives premium users no reward', async () => {
    const user = await createUser(platform);
    await makePremium(platform, user.id);
    const res = await view(user, { ad_id: 'ad-premium', view_duration: 60, reward_type: 'time' });
    expect(res.json()).toMatchObject({ reward_earned: false, reason: 'premium_user' });
    expect(await ledgerSeconds(platform, user.id)).toBe(0);
  });

  it('caps rewards at AD_REWARDS_PER_DAY in a rolling day', async () => {
    const user = await createUser(platform);
    for (let i = 0; i < 3; i++) {
      expect((await view(user, { ad_id: `cap-${i}`, view_duration: 15 })).json().reward_earned).toBe(true);
    }
    const fourth = await view(user, { ad_id: 'cap-3', view_duration: 15 });
    expect(fourth.json()).toMatchObject({ reward_earned: false, reason: 'daily_limit_reached' });
    platform.clock.advance(24 * 3600 + 1);
    // A fresh access token: the old one expired while the clock moved on.
    const token = await platform.accessTokens.sign({ sub: user.id, email: user.email, role: 'user' });
    const later = { ...user, auth: { authorization: `Bearer ${token}` } };
    expect((await view(later, { ad_id: 'cap-4', view_duration: 15 })).json().reward_earned).toBe(true);
  });

  it('rejects bad input with 422 and records nothing', async () => {
    const user = await createUser(platform);
    const bad = [
      { view_duration: 30 },
      { ad_id: '', view_duration: 30 },
      { ad_id: 'x', view_duration: -1 },
      { ad_id: 'x', view_duration: 30, reward_type: 'cash' },
    ];
    for (const payload of bad) {
      const res = await view(user, payload);
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toEqual(expect.any(String));
    }
    const rows = await platform.db.query(`SELECT 1 FROM ad_interactions WHERE user_id = $1`, [user.id]);
    expect(rows).toHaveLength(0);
  });
});

describe('a discount reward in the next persona session', () => {
  async function personaSession(user: TestUser, seconds: number) {
    const start = await app.inject({
      method: 'POST',
      url: '/personas/mindbot/session',
      headers: user.auth,
      payload: { enable_ads: false },
    });
    expect(start.statusCode).toBe(200);
    const sessionId = start.json().session_id as string;
    await conversationStarts(platform, user.id, sessionId);
    platform.clock.advance(seconds);
    const token = await platform.accessTokens.sign({ sub: user.id, email: user.email, role: 'user' });
    const end = await app.inject({
      method: 'POST',
      url: '/time/session/end',
      headers: { authorization: `Bearer ${token}` },
      payload: { session_id: sessionId },
    });
    expect(end.statusCode).toBe(200);
    const [row] = await platform.db.query<{ charged_seconds: number; reward_discount_percent: number }>(
      `SELECT charged_seconds, reward_discount_percent FROM time_sessions WHERE user_id = $1 AND session_id = $2`,
      [user.id, sessionId],
    );
    return row!;
  }

  it('halves that one session’s charge in the ledger, then is spent', async () => {
    const user = await createUser(platform);
    await platform.db.transaction((tx) =>
      grantSeconds(tx, { userId: user.id, seconds: 7200, kind: 'admin_grant', expiresAt: new Date(platform.clock.now().getTime() + 30 * 86400_000), reference: `test:${user.id}`, now: platform.clock.now() }),
    );
    expect((await view(user, { ad_id: 'ad-for-discount', view_duration: 15 })).json().cost_reduction_percentage).toBe(50);

    const discounted = await personaSession(user, 600);
    const full = await personaSession(user, 600);
    expect(discounted.reward_discount_percent).toBe(50);
    expect(full.reward_discount_percent).toBe(0);
    expect(full.charged_seconds).toBeGreaterThan(0);
    expect(discounted.charged_seconds).toBe(Math.ceil(full.charged_seconds / 2));
    expect(await ledgerSeconds(platform, user.id)).toBe(7200 - discounted.charged_seconds - full.charged_seconds);
  });
});
