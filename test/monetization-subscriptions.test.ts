import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { monetizationService } from '../src/services/monetization/index.js';
import { getUserTier } from '../src/services/monetization/tier.js';
import { buildServiceApp } from '../src/services/service.js';
import { createGuideClient } from './support/guide-client.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;
// Each test gets a fresh platform and manual clock: one test's jump in time never reaches another.
beforeEach(async () => ({ platform, app } = await openGateway()));
afterEach(() => closeGateway(platform, app));

const subscribe = (user: TestUser, payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/subscriptions', headers: { ...user.auth, ...headers }, payload });
const current = (user: TestUser) => app.inject({ method: 'GET', url: '/subscriptions/current', headers: user.auth });
const tier = (user: TestUser) => getUserTier(platform.db, user.id, platform.clock.now());

describe('the Monetization service app (port 8005)', () => {
  it('serves its routes and documents them', async () => {
    const service = await buildServiceApp(platform, monetizationService);
    try {
      expect((await service.inject({ method: 'GET', url: '/plans' })).statusCode).toBe(200);
      const doc = (await service.inject({ method: 'GET', url: '/openapi.json' })).json();
      for (const path of ['/plans', '/subscriptions', '/subscriptions/current', '/subscriptions/cancel', '/ads/config', '/ads/viewed',
        '/coupons/validate/{code}', '/user/analytics', '/user/subscription', '/user/upgrade']) {
        expect(doc.paths).toHaveProperty([path]);
      }
      expect(monetizationService.port(platform.config)).toBe(8005);
    } finally {
      await service.close();
    }
  });
});

describe('GET /plans', () => {
  it("lists the guide's plans with decimal prices outside and cents inside", async () => {
    const res = await app.inject({ method: 'GET', url: '/plans' });
    expect(res.statusCode).toBe(200);
    const plans = res.json().plans;
    expect(plans[0]).toMatchObject({
      id: 'premium_monthly', name: 'Premium Monthly', price: 19.99, price_cents: 1999,
      price_display: '$19.99/month', currency: 'usd', interval: 'month',
    });
    expect(plans[0].features).toContain('Create up to 3 custom personas');
    expect(plans[1]).toMatchObject({ id: 'premium_yearly', price: 199.99, price_display: '$199.99/year', interval: 'year' });
    expect(plans[1].features).toContain('2 months free compared to monthly');
  });
});

describe('subscriptions (simulated provider)', () => {
  it("runs the guide's subscribeToPlan and getCurrentSubscription unchanged; the webhook makes the user premium", async () => {
    const user = await createUser(platform);
    const client = createGuideClient(app);
    client.localStorage.set('access_token', user.token);

    expect(await client.call('getCurrentSubscription')).toBeNull();

    const result = await client.call<{ success: boolean; subscription: Record<string, unknown> }>('subscribeToPlan', 'premium_monthly');
    expect(result.success).toBe(true);
    expect(result.subscription).toMatchObject({ plan: 'Premium Monthly', amount: 19.99, currency: 'usd', interval: 'month' });
    expect(result.subscription.subscription_id).toMatch(/^sub_/);
    expect(client.calls.confirmCardPayment?.[0]?.[0]).toMatch(/^pi_.+_secret_/);
    expect(client.calls.updateSubscriptionStatus).toEqual([['Premium Monthly']]);

    await platform.payments.flush();
    const sub = await client.call<Record<string, unknown>>('getCurrentSubscription');
    expect(sub).toMatchObject({ status: 'active', plan: 'premium_monthly', plan_name: 'Premium Monthly', cancel_at_period_end: false, amount: 19.99 });
    expect(new Date(sub.current_period_end as string).getTime()).toBeGreaterThan(platform.clock.now().getTime() + 27 * 86400_000);
    expect(await tier(user)).toBe('premium');

    const ads = await app.inject({ method: 'GET', url: '/ads/config', headers: user.auth });
    expect(ads.json().ads_enabled).toBe(false);
    const summary = await app.inject({ method: 'GET', url: '/user/subscription', headers: user.auth });
    expect(summary.json()).toMatchObject({ tier: 'premium', plan: 'premium_monthly', upgrade_benefits: null });

    const second = await subscribe(user, { plan_id: 'premium_yearly' });
    expect(second.statusCode).toBe(409);
    expect(second.json().detail).toMatch(/already have an active subscription/);
  });

  it('applies a coupon to the first payment and redeems it once', async () => {
    const user = await createUser(platform);
    const res = await subscribe(user, { plan_id: 'premium_monthly', payment_method_id: 'pm_card_visa', coupon_code: 'welcome25' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amount: 14.99, amount_cents: 1499, discount_cents: 500, coupon_code: 'WELCOME25' });
    await platform.payments.flush();
    const [paid] = await platform.db.query<{ amount_cents: number; purpose: string }>(
      `SELECT amount_cents, purpose FROM payment_history WHERE user_id = $1 AND status = 'succeeded'`,
      [user.id],
    );
    expect(paid).toMatchObject({ amount_cents: 1499, purpose: 'subscription' });
    expect((await current(user)).json().amount).toBe(19.99);
  });

  it('refuses an unusable coupon with 422 and creates nothing', async () => {
    const user = await createUser(platform);
    const res = await subscribe(user, { plan_id: 'premium_monthly', coupon_code: 'NOSUCHCODE' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'coupon_not_found' });
    expect(res.json().detail).toMatch(/coupon/i);
    expect((await current(user)).statusCode).toBe(404);
  });

  it('rate-limits guessing coupon codes through subscribe', async () => {
    const user = await createUser(platform);
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await subscribe(user, { plan_id: 'premium_monthly', coupon_code: `GUESS${i}` })).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('rejects unknown plans and bad bodies', async () => {
    const user = await createUser(platform);
    expect((await subscribe(user, { plan_id: 'gold_forever' })).statusCode).toBe(404);
    expect((await subscribe(user, {})).statusCode).toBe(422);
  });

  it('replays an Idempotency-Key request without creating a second subscription', async () => {
    const user = await createUser(platform);
    const key = { 'idempotency-key': 'sub-once-1' };
    const first = await subscribe(user, { plan_id: 'premium_yearly' }, key);
    const again = await subscribe(user, { plan_id: 'premium_yearly' }, key);
    expect(first.statusCode).toBe(200);
    expect(again.statusCode).toBe(200);
    expect(again.json().subscription_id).toBe(first.json().subscription_id);
    const rows = await platform.db.query(`SELECT 1 FROM user_subscriptions WHERE user_id = $1`, [user.id]);
    expect(rows).toHaveLength(1);
  });

  it('keeps a declined first payment incomplete (free tier) and lets the user try again', async () => {
    const user = await createUser(platform);
    const declined = await subscribe(user, { plan_id: 'premium_monthly', payment_method_id: 'pm_card_chargeDeclined', coupon_code: 'WELCOME25' });
    expect(declined.statusCode).toBe(200);
    await platform.payments.flush();
    expect((await current(user)).json()).toMatchObject({ status: 'incomplete' });
    expect(await tier(user)).toBe('free');

    // The abandoned attempt is replaced (at the platform's clock) and its coupon given back.
    platform.clock.advance(60);
    const replacedAt = platform.clock.now();
    const retry = await subscribe(user, { plan_id: 'premium_monthly', payment_method_id: 'pm_card_visa', coupon_code: 'WELCOME25' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().discount_cents).toBe(500);
    await platform.payments.flush();
    expect((await current(user)).json()).toMatchObject({ status: 'active', subscription_id: retry.json().subscription_id });
    const statuses = await platform.db.query<{ status: string }>(`SELECT status FROM user_subscriptions WHERE user_id = $1 ORDER BY created_at`, [user.id]);
    expect(statuses.map((s) => s.status).sort()).toEqual(['active', 'incomplete_expired']);
    const [expired] = await platform.db.query<{ updated_at: Date | string }>(`SELECT updated_at FROM user_subscriptions WHERE user_id = $1 AND status = 'incomplete_expired'`, [user.id]);
    expect(new Date(expired!.updated_at).getTime()).toBe(replacedAt.getTime());
  });

  it('cancels at period end: premium until then, free after', async () => {
    const user = await createUser(platform);
    await subscribe(user, { plan_id: 'premium_monthly' });
    await platform.payments.flush();
    const cancel = await app.inject({ method: 'POST', url: '/subscriptions/cancel', headers: user.auth });
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toMatchObject({
      cancelled: true,
      message: 'Your subscription will be cancelled at the end of the current billing period.',
    });
    await platform.payments.flush();
    expect((await current(user)).json()).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect(await tier(user)).toBe('premium');
    const again = await app.inject({ method: 'POST', url: '/subscriptions/cancel', headers: user.auth });
    expect(again.json().cancelled).toBe(true);

    platform.clock.advance(32 * 86400);
    expect(await tier(user)).toBe('free');
    const token = await platform.accessTokens.sign({ sub: user.id, email: user.email, role: 'user' });
    const later = { ...user, auth: { authorization: `Bearer ${token}` } };
    expect((await current(later)).statusCode).toBe(404);

    // The ended subscription does not block a new one.
    const renewed = await subscribe(later, { plan_id: 'premium_yearly' });
    expect(renewed.statusCode).toBe(200);
    await platform.payments.flush();
    expect((await current(later)).json()).toMatchObject({ status: 'active', plan: 'premium_yearly' });
  });

  it('answers 404 for cancel and current without a subscription', async () => {
    const user = await createUser(platform);
    const cancel = await app.inject({ method: 'POST', url: '/subscriptions/cancel', headers: user.auth });
    expect(cancel.statusCode).toBe(404);
    expect(cancel.json().detail).toMatch(/no subscription/);
    expect((await current(user)).statusCode).toBe(404);
  });
});

describe('/user/subscription and /user/upgrade', () => {
  it('shows a free user the free features, usage and the premium offer', async () => {
    const user = await createUser(platform);
    const res = await app.inject({ method: 'GET', url: '/user/subscription', headers: user.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      tier: 'free',
      plan: null,
      features: ['Basic personas', 'Ad-supported sessions', 'Standard voice quality'],
      usage: { sessions_this_month: 0, minutes_used: 0, personas_accessed: 0 },
      upgrade_benefits: {
        premium: ['Remove all ads', 'Access to premium personas', 'Custom persona creation', 'Priority support', 'Advanced analytics'],
        premium_price: '$19.99/month',
      },
    });
  });

  it('answers an upgrade with a payment URL for the plan; unknown tier is 422', async () => {
    const user = await createUser(platform);
    const res = await app.inject({ method: 'POST', url: '/user/upgrade?tier=premium', headers: user.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      upgrade_initiated: true,
      target_tier: 'premium',
      message: "Upgrade process initiated. You'll be redirected to payment.",
      payment_url: '/payment/subscribe?tier=premium&plan=premium_monthly',
    });
    // The URL leads somewhere: the subscribe step for that plan.
    const step = await app.inject({ url: res.json().payment_url, headers: user.auth });
    expect(step.statusCode).toBe(200);
    expect(step.json()).toMatchObject({ tier: 'premium', plan: { id: 'premium_monthly' }, next: { method: 'POST', path: '/subscriptions', body: { plan_id: 'premium_monthly' } } });
    expect((await app.inject({ url: '/payment/subscribe?tier=premium&plan=nope' })).statusCode).toBe(404);
    const bad = await app.inject({ method: 'POST', url: '/user/upgrade?tier=platinum', headers: user.auth });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toMatch(/tier/);
  });
});
