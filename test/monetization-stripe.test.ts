import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { getUserTier } from '../src/services/monetization/tier.js';
import { billingRoutes, type BillingFaults } from './support/fake-stripe/billing.js';
import { deliverEvent, signedEvent, startFakeStripe, type FakeStripe } from './support/fake-stripe/index.js';
import { createGuideClient } from './support/guide-client.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;
let fake: FakeStripe;
const faults: BillingFaults = { failSubscriptionCreate: false };

beforeAll(async () => {
  fake = await startFakeStripe([billingRoutes(faults)]);
  ({ platform, app } = await openGateway({ STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_BASE: fake.url }));
});
afterAll(async () => {
  await closeGateway(platform, app);
  await fake.close();
});

const subscribe = (user: TestUser, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/subscriptions', headers: user.auth, payload });
const current = (user: TestUser) => app.inject({ method: 'GET', url: '/subscriptions/current', headers: user.auth });
const requestsTo = (method: string, path: RegExp) => fake.requests.filter((r) => r.method === method && path.test(r.path));
const sub = (id: string, status: string, extra: Record<string, unknown> = {}, periodEnd = Math.floor(Date.now() / 1000) + 30 * 86400) => ({
  id,
  object: 'subscription',
  status,
  cancel_at_period_end: false,
  metadata: {},
  items: { object: 'list', data: [{ id: 'si_1', current_period_end: periodEnd }] },
  ...extra,
});
const invoice = (subId: string, amount: number, periodEnd: number) => ({
  id: `in_${subId}_${periodEnd}`,
  object: 'invoice',
  currency: 'usd',
  amount_paid: amount,
  amount_due: amount,
  parent: { type: 'subscription_details', subscription_details: { subscription: subId, metadata: {} } },
  lines: { object: 'list', data: [{ period: { start: periodEnd - 30 * 86400, end: periodEnd } }] },
});

async function subscribed(user: TestUser): Promise<string> {
  const res = await subscribe(user, { plan_id: 'premium_monthly' });
  expect(res.statusCode).toBe(200);
  return res.json().subscription_id as string;
}

describe('subscriptions through Stripe (real SDK, local fake)', () => {
  it("creates an incomplete subscription for the guide's subscribeToPlan and returns the invoice's client secret", async () => {
    const user = await createUser(platform);
    const client = createGuideClient(app);
    client.localStorage.set('access_token', user.token);
    const result = await client.call<{ subscription: Record<string, unknown> }>('subscribeToPlan', 'premium_monthly');
    const subId = result.subscription.subscription_id as string;
    const created = fake.objects.get(subId)!;
    const inv = fake.objects.get(created.latest_invoice as string) as { confirmation_secret: { client_secret: string } };
    expect(result.subscription.client_secret).toBe(inv.confirmation_secret.client_secret);
    expect(client.calls.confirmCardPayment?.[0]?.[0]).toBe(inv.confirmation_secret.client_secret);

    const [call] = requestsTo('POST', /^\/v1\/subscriptions$/).slice(-1);
    expect(call?.body).toMatchObject({
      payment_behavior: 'default_incomplete',
      expand: { 0: 'latest_invoice.confirmation_secret' },
      metadata: { user_id: user.id, plan_id: 'premium_monthly' },
    });
    expect(call?.headers['idempotency-key']).toMatch(/^mindbot-subscription-msub_/);
    expect((await current(user)).json()).toMatchObject({ status: 'incomplete', subscription_id: subId });
    expect(await getUserTier(platform.db, user.id, platform.clock.now())).toBe('free');
  });

  it('creates the customer once per user and the price once per plan', async () => {
    const user = await createUser(platform);
    const customersBefore = requestsTo('POST', /^\/v1\/customers$/).length;
    await subscribed(user);
    await subscribed(user); // replaces the unpaid first attempt
    expect(requestsTo('POST', /^\/v1\/customers$/).length - customersBefore).toBe(1);
    const [row] = await platform.db.query<{ stripe_customer_id: string }>(`SELECT stripe_customer_id FROM users WHERE id = $1`, [user.id]);
    expect(row?.stripe_customer_id).toMatch(/^cus_/);
    expect(requestsTo('POST', /^\/v1\/prices$/)).toHaveLength(1);
    // The replaced attempt was cancelled at Stripe.
    expect(requestsTo('DELETE', /^\/v1\/subscriptions\//).length).toBeGreaterThanOrEqual(1);
  });

  it('replaces a customer id left by the simulation with a real one', async () => {
    const user = await createUser(platform);
    await platform.db.query(`UPDATE users SET stripe_customer_id = 'cus_sim_leftover' WHERE id = $1`, [user.id]);
    await subscribed(user);
    const [row] = await platform.db.query<{ stripe_customer_id: string }>(`SELECT stripe_customer_id FROM users WHERE id = $1`, [user.id]);
    expect(row?.stripe_customer_id).not.toBe('cus_sim_leftover');
    expect(fake.objects.get(row!.stripe_customer_id)).toMatchObject({ object: 'customer', email: user.email });
  });

  it('applies a coupon as a once-only Stripe coupon', async () => {
    const user = await createUser(platform);
    const res = await subscribe(user, { plan_id: 'premium_yearly', coupon_code: 'WELCOME25' });
    expect(res.json()).toMatchObject({ amount: 149.99, amount_cents: 14999, discount_cents: 5000 });
    const [couponCall] = requestsTo('POST', /^\/v1\/coupons$/);
    expect(couponCall?.body).toMatchObject({ id: 'mindbot_WELCOME25_25pct', percent_off: '25', duration: 'once' });
    const created = fake.objects.get(res.json().subscription_id)!;
    expect(created.discounts).toEqual(['mindbot_WELCOME25_25pct']);
    const inv = fake.objects.get(created.latest_invoice as string)!;
    expect(inv.amount_due).toBe(14999);
  });

  it('answers 503 when Stripe fails, charging nothing and giving the coupon back', async () => {
    const user = await createUser(platform);
    faults.failSubscriptionCreate = true;
    try {
      const res = await subscribe(user, { plan_id: 'premium_monthly', coupon_code: 'WELCOME25' });
      expect(res.statusCode).toBe(503);
      expect(res.json().detail).toMatch(/nothing was charged/);
    } finally {
      faults.failSubscriptionCreate = false;
    }
    expect((await current(user)).statusCode).toBe(404);
    const redemptions = await platform.db.query(`SELECT 1 FROM coupon_redemptions WHERE user_id = $1`, [user.id]);
    expect(redemptions).toHaveLength(0);
    expect((await subscribe(user, { plan_id: 'premium_monthly', coupon_code: 'WELCOME25' })).statusCode).toBe(200);
  });

  it('cancels at period end through Stripe', async () => {
    const user = await createUser(platform);
    const subId = await subscribed(user);
    await deliverEvent(app, signedEvent(platform, 'invoice.paid', invoice(subId, 1999, Math.floor(Date.now() / 1000) + 30 * 86400)));
    const res = await app.inject({ method: 'POST', url: '/subscriptions/cancel', headers: user.auth });
    expect(res.statusCode).toBe(200);
    expect(fake.objects.get(subId)?.cancel_at_period_end).toBe(true);
    expect((await current(user)).json()).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect(await getUserTier(platform.db, user.id, platform.clock.now())).toBe('premium');
  });

  it('changes plan through Stripe with proration invoiced at once, and resumes a cancelled subscription', async () => {
    const user = await createUser(platform);
    const subId = await subscribed(user);
    await deliverEvent(app, signedEvent(platform, 'invoice.paid', invoice(subId, 1999, Math.floor(Date.now() / 1000) + 30 * 86400)));
    const res = await app.inject({ method: 'POST', url: '/subscriptions/change-plan', headers: user.auth, payload: { plan_id: 'premium_yearly' } });
    expect(res.statusCode).toBe(200);
    const [update] = requestsTo('POST', new RegExp(`^/v1/subscriptions/${subId}$`)).slice(-1);
    expect(update?.body).toMatchObject({ proration_behavior: 'always_invoice', items: { 0: { price: expect.stringMatching(/^price_/) } } });
    // Stripe credited the (nearly whole) unused month: about 199.99 − 19.99 is charged now.
    expect(res.json()).toMatchObject({ plan: 'premium_yearly', interval: 'year' });
    expect(res.json().proration_amount_cents).toBeGreaterThan(19999 - 1999 - 5);
    expect(res.json().proration_amount_cents).toBeLessThanOrEqual(19999 - 1999 + 5);
    expect((await current(user)).json()).toMatchObject({ plan: 'premium_yearly', amount_cents: 19999 });

    expect((await app.inject({ method: 'POST', url: '/subscriptions/cancel', headers: user.auth })).statusCode).toBe(200);
    expect(fake.objects.get(subId)?.cancel_at_period_end).toBe(true);
    const resumed = await app.inject({ method: 'POST', url: '/subscriptions/resume', headers: user.auth });
    expect(resumed.statusCode).toBe(200);
    expect(fake.objects.get(subId)?.cancel_at_period_end).toBe(false);
    expect((await current(user)).json()).toMatchObject({ cancel_at_period_end: false });
    // Cancelling again after the resume reaches Stripe again.
    expect((await app.inject({ method: 'POST', url: '/subscriptions/cancel', headers: user.auth })).statusCode).toBe(200);
    expect(fake.objects.get(subId)?.cancel_at_period_end).toBe(true);
  });
});

describe('Stripe subscription events', () => {
  const orders = [
    ['created', 'paid', 'updated'],
    ['created', 'updated', 'paid'],
    ['paid', 'created', 'updated'],
    ['paid', 'updated', 'created'],
    ['updated', 'created', 'paid'],
    ['updated', 'paid', 'created'],
  ];
  for (const order of orders) {
    it(`end active with the latest period whatever the order (${order.join(', ')}), duplicates included`, async () => {
      const user = await createUser(platform);
      const subId = await subscribed(user);
      const periodEnd = Math.floor(Date.now() / 1000) + 31 * 86400;
      const events = {
        created: signedEvent(platform, 'customer.subscription.created', sub(subId, 'incomplete', {}, periodEnd)),
        paid: signedEvent(platform, 'invoice.paid', invoice(subId, 1999, periodEnd)),
        updated: signedEvent(platform, 'customer.subscription.updated', sub(subId, 'active', {}, periodEnd)),
      };
      for (const name of order) {
        const e = events[name as keyof typeof events];
        expect((await deliverEvent(app, e)).statusCode).toBe(200);
        expect((await deliverEvent(app, e)).statusCode).toBe(200);
      }
      const body = (await current(user)).json();
      expect(body).toMatchObject({ status: 'active', cancel_at_period_end: false });
      expect(new Date(body.current_period_end).getTime()).toBe(periodEnd * 1000);
      expect(await getUserTier(platform.db, user.id, platform.clock.now())).toBe('premium');
      const payments = await platform.db.query(`SELECT 1 FROM payment_history WHERE user_id = $1 AND status = 'succeeded'`, [user.id]);
      expect(payments).toHaveLength(1);
    });
  }

  it('gives the coupon back when Stripe expires the unpaid subscription', async () => {
    const user = await createUser(platform);
    const res = await subscribe(user, { plan_id: 'premium_monthly', coupon_code: 'WELCOME25' });
    expect(res.statusCode).toBe(200);
    const redemptions = () => platform.db.query(`SELECT 1 FROM coupon_redemptions WHERE user_id = $1`, [user.id]);
    expect(await redemptions()).toHaveLength(1);
    platform.clock.advance(5);
    await deliverEvent(app, signedEvent(platform, 'customer.subscription.deleted', sub(res.json().subscription_id, 'incomplete_expired')));
    expect(await redemptions()).toHaveLength(0);
    expect((await current(user)).statusCode).toBe(404);
    expect((await subscribe(user, { plan_id: 'premium_monthly', coupon_code: 'WELCOME25' })).json()).toMatchObject({ discount_cents: 500 });
  });

  it('never goes backwards: an older event arriving late changes nothing; deletion is final', async () => {
    const user = await createUser(platform);
    const subId = await subscribed(user);
    const end = Math.floor(Date.now() / 1000) + 30 * 86400;
    const stale = signedEvent(platform, 'customer.subscription.updated', sub(subId, 'past_due', {}, end - 86400));
    platform.clock.advance(5);
    await deliverEvent(app, signedEvent(platform, 'customer.subscription.updated', sub(subId, 'active', { cancel_at_period_end: true }, end)));
    await deliverEvent(app, stale);
    let body = (await current(user)).json();
    expect(body).toMatchObject({ status: 'active', cancel_at_period_end: true });
    expect(new Date(body.current_period_end).getTime()).toBe(end * 1000);

    platform.clock.advance(5);
    await deliverEvent(app, signedEvent(platform, 'invoice.payment_failed', invoice(subId, 1999, end)));
    body = (await current(user)).json();
    expect(body.status).toBe('past_due');

    platform.clock.advance(5);
    const deleted = signedEvent(platform, 'customer.subscription.deleted', sub(subId, 'canceled', {}, end));
    const lateRevival = signedEvent(platform, 'customer.subscription.updated', sub(subId, 'active', {}, end + 86400));
    await deliverEvent(app, deleted);
    await deliverEvent(app, lateRevival);
    expect((await current(user)).statusCode).toBe(404);
    expect(await getUserTier(platform.db, user.id, platform.clock.now())).toBe('free');
  });

  it('follows a plan change made at Stripe (the price names the plan)', async () => {
    const user = await createUser(platform);
    const subId = await subscribed(user);
    await platform.db.query(`UPDATE plans SET stripe_price_id = 'price_yearly_test' WHERE id = 'premium_yearly' AND stripe_price_id IS NULL`);
    const [yearly] = await platform.db.query<{ stripe_price_id: string }>(`SELECT stripe_price_id FROM plans WHERE id = 'premium_yearly'`);
    const end = Math.floor(Date.now() / 1000) + 365 * 86400;
    const changed = sub(subId, 'active', {}, end);
    (changed.items.data[0] as Record<string, unknown>).price = { id: yearly!.stripe_price_id };
    platform.clock.advance(1);
    await deliverEvent(app, signedEvent(platform, 'customer.subscription.updated', changed));
    expect((await current(user)).json()).toMatchObject({ status: 'active', plan: 'premium_yearly', plan_name: 'Premium Yearly', amount: 199.99 });
  });

  it('refuses unsigned or tampered events and changes nothing', async () => {
    const user = await createUser(platform);
    const subId = await subscribed(user);
    const e = signedEvent(platform, 'customer.subscription.updated', sub(subId, 'active'));
    const tampered = await deliverEvent(app, { ...e, payload: e.payload.replace('"active"', '"trialing"') });
    expect(tampered.statusCode).toBe(400);
    const unsigned = await app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json' }, payload: e.payload });
    expect(unsigned.statusCode).toBe(400);
    expect((await current(user)).json().status).toBe('incomplete');
  });
});
