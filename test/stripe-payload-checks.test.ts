import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { signStripePayload } from '../src/integrations/stripe/client.js';
import { billingRoutes } from './support/fake-stripe/billing.js';
import { deliverEvent, paymentIntentRoutes, signedEvent, startFakeStripe, type FakeStripe } from './support/fake-stripe/index.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

// Signed events are checked against what was ordered before they move money or plans; one
// that cannot be applied is refused (400) or recorded as rejected (200), never a 500 that
// Stripe would retry for days.
let fake: FakeStripe;
let platform: TestPlatform;
let app: App;
beforeAll(async () => {
  fake = await startFakeStripe([paymentIntentRoutes, billingRoutes({ failSubscriptionCreate: false })]);
  ({ platform, app } = await openGateway({ STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_BASE: fake.url }));
});
afterAll(async () => {
  await closeGateway(platform, app);
  await fake.close();
});

async function purchase(user: TestUser) {
  const res = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h' } });
  expect(res.statusCode).toBe(200);
  return res.json() as { time_card_id: string; payment_intent_id: string };
}
const intent = (p: { time_card_id: string; payment_intent_id: string }, user: TestUser, over: Record<string, unknown>) => ({
  id: p.payment_intent_id, object: 'payment_intent', amount: 999, amount_received: 999, currency: 'usd', status: 'succeeded',
  metadata: { user_id: user.id, time_card_id: p.time_card_id, purpose: 'time_card_purchase' }, ...over,
});
const cardStatus = async (id: string) => (await platform.db.query<{ status: string }>(`SELECT status FROM time_cards WHERE id = $1`, [id]))[0]?.status;
const rejected = async (eventId: string) =>
  (await platform.db.query<{ rejected_reason: string | null }>(`SELECT rejected_reason FROM stripe_events WHERE id = $1`, [eventId]))[0]?.rejected_reason;
const post = (payload: string) =>
  app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json', 'stripe-signature': signStripePayload(payload, platform.secrets.stripeWebhookSecret) }, payload });

describe('time-card payments', () => {
  it.each([
    ['nothing received', { amount_received: 0 }],
    ['less received', { amount_received: 500 }],
    ['no amount_received', { amount_received: undefined }],
    ['another currency', { currency: 'eur' }],
  ])('a succeeded intent with %s fulfils nothing and is recorded as rejected', async (_name, over) => {
    const user = await createUser(platform);
    const p = await purchase(user);
    const e = signedEvent(platform, 'payment_intent.succeeded', intent(p, user, over));
    expect((await deliverEvent(app, e)).statusCode).toBe(200);
    expect(await cardStatus(p.time_card_id)).toBe('pending_payment');
    expect(await rejected(e.id)).toMatch(/received/);
    expect(await platform.db.query(`SELECT 1 FROM payment_history WHERE payment_intent_id = $1`, [p.payment_intent_id])).toHaveLength(0);
    // The right payment still lands afterwards.
    expect((await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(p, user, {})))).statusCode).toBe(200);
    expect(await cardStatus(p.time_card_id)).toBe('paid');
  });

  it('a refund that is not a number is rejected without touching the card', async () => {
    const user = await createUser(platform);
    const p = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(p, user, {})));
    const e = signedEvent(platform, 'charge.refunded', { id: 'ch_x', object: 'charge', amount: 999, amount_refunded: 'all', currency: 'usd', payment_intent: p.payment_intent_id, metadata: {} });
    expect((await deliverEvent(app, e)).statusCode).toBe(200);
    expect(await rejected(e.id)).toBeTruthy();
    expect(await cardStatus(p.time_card_id)).toBe('paid');
  });
});

describe('subscription invoices', () => {
  const invoice = (subId: string, amount: number, currency = 'usd') => ({
    id: `in_${subId}_${amount}_${currency}`, object: 'invoice', currency, amount_paid: amount, amount_due: amount,
    parent: { type: 'subscription_details', subscription_details: { subscription: subId, metadata: {} } },
    lines: { object: 'list', data: [{ period: { start: 0, end: Math.floor(Date.now() / 1000) + 30 * 86400 } }] },
  });
  const status = async (user: TestUser) => (await app.inject({ method: 'GET', url: '/subscriptions/current', headers: user.auth })).json().status;

  it('an invoice.paid for less than the plan, or in another currency, activates nothing', async () => {
    const user = await createUser(platform);
    const res = await app.inject({ method: 'POST', url: '/subscriptions', headers: user.auth, payload: { plan_id: 'premium_monthly' } });
    expect(res.statusCode).toBe(200);
    const subId = res.json().subscription_id as string;
    for (const [amount, currency] of [[1, 'usd'], [0, 'usd'], [1999, 'jpy']] as const) {
      const e = signedEvent(platform, 'invoice.paid', invoice(subId, amount, currency));
      expect((await deliverEvent(app, e)).statusCode).toBe(200);
      expect(await rejected(e.id)).toMatch(/invoice paid/);
      expect(await status(user)).toBe('incomplete');
    }
    // Labelled a plan change's proration, it still cannot pay for a subscription never paid.
    const proration = signedEvent(platform, 'invoice.paid', { ...invoice(subId, 1), id: 'in_proration_unpaid', billing_reason: 'subscription_update' });
    expect((await deliverEvent(app, proration)).statusCode).toBe(200);
    expect(await rejected(proration.id)).toMatch(/invoice paid/);
    expect(await status(user)).toBe('incomplete');
    expect((await deliverEvent(app, signedEvent(platform, 'invoice.paid', invoice(subId, 1999)))).statusCode).toBe(200);
    expect(await status(user)).toBe('active');
  });
});

describe('malformed signed events', () => {
  it.each([
    ['without id', { object: 'event', type: 'payment_intent.succeeded', created: 1, data: { object: { id: 'pi_x' } } }],
    ['without data.object', { id: 'evt_nodata', object: 'event', type: 'payment_intent.succeeded', created: 1, data: {} }],
    ['with a null object', { id: 'evt_null', object: 'event', type: 'charge.refunded', created: 1, data: { object: null } }],
    ['without created', { id: 'evt_nocreated', object: 'event', type: 'charge.refunded', data: { object: {} } }],
  ])('%s: 400 webhook_event_invalid, nothing recorded', async (_name, body) => {
    const res = await post(JSON.stringify(body));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'webhook_event_invalid', detail: expect.any(String) });
    const id = (body as { id?: string }).id;
    if (id) expect(await platform.db.query(`SELECT 1 FROM stripe_events WHERE id = $1`, [id])).toHaveLength(0);
  });

  it('an object of the wrong shape is recorded as rejected (200), not a 500', async () => {
    const e = signedEvent(platform, 'payment_intent.succeeded', { id: 42, metadata: 'none', amount_received: 'lots' });
    expect((await deliverEvent(app, e)).statusCode).toBe(200);
    const e2 = signedEvent(platform, 'invoice.paid', { id: ['in'], parent: 'x', lines: 5 });
    expect((await deliverEvent(app, e2)).statusCode).toBe(200);
  });
});
