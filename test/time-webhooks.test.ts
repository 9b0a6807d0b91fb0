import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { buildServiceApp } from '../src/services/service.js';
import { sweepOnce } from '../src/services/time/sweeper.js';
import { webhookService } from '../src/services/webhooks/index.js';
import { deliverEvent, paymentIntentRoutes, signedEvent, startFakeStripe, type FakeStripe } from './support/fake-stripe/index.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';

// The real Stripe SDK against a local fake: purchases create PaymentIntents there and
// nothing completes them until the test delivers a signed event.
let fake: FakeStripe;
let platform: TestPlatform;
let app: App;

beforeAll(async () => {
  fake = await startFakeStripe([paymentIntentRoutes]);
});
afterAll(() => fake.close());
// Each test gets a fresh platform and manual clock: one test's jump in time never reaches another.
beforeEach(async () => ({ platform, app } = await openGateway({ STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_BASE: fake.url })));
afterEach(() => closeGateway(platform, app));

interface Purchase {
  time_card_id: string;
  payment_intent_id: string;
  activation_code: string;
}

async function purchase(user: TestUser, packageId = 'starter_1h'): Promise<Purchase> {
  const res = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: packageId } });
  expect(res.statusCode).toBe(200);
  return res.json();
}

const intent = (p: Purchase, user: TestUser, over: Record<string, unknown> = {}) => ({
  id: p.payment_intent_id,
  object: 'payment_intent',
  amount: 999,
  amount_received: 999,
  currency: 'usd',
  status: 'succeeded',
  metadata: { user_id: user.id, time_card_id: p.time_card_id, purpose: 'time_card_purchase' },
  ...over,
});

const charge = (p: Purchase, amountRefunded: number) => ({
  id: `ch_${p.time_card_id}`,
  object: 'charge',
  amount: 999,
  amount_refunded: amountRefunded,
  refunded: amountRefunded >= 999,
  currency: 'usd',
  payment_intent: p.payment_intent_id,
  metadata: {},
});

const cardOf = async (id: string) =>
  (await platform.db.query<{ status: string; remaining_seconds: number; refunded_cents: number }>(`SELECT status, remaining_seconds, refunded_cents FROM time_cards WHERE id = $1`, [id]))[0]!;
const historyOf = (pi: string) => platform.db.query<{ status: string; amount_cents: number }>(`SELECT status, amount_cents FROM payment_history WHERE payment_intent_id = $1 ORDER BY id`, [pi]);
const entriesOf = (cardId: string) => platform.db.query<{ kind: string; seconds: number }>(`SELECT kind, seconds FROM ledger_entries WHERE card_id = $1 ORDER BY id`, [cardId]);
const activate = (user: TestUser, code: string) => app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: code } });
const balanceSeconds = async (user: TestUser) => {
  const res = await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth });
  return Math.round(res.json().balance.total_minutes * 60);
};

describe('Stripe path through the SDK', () => {
  it('creates a real PaymentIntent with metadata and a deterministic idempotency key', async () => {
    const user = await createUser(platform);
    const p = await purchase(user, 'basic_5h');
    const req = fake.requests.find((r) => r.path === '/v1/payment_intents' && (r.body.metadata as Record<string, string>)?.time_card_id === p.time_card_id)!;
    expect(req.body).toMatchObject({ amount: '4499', currency: 'usd', metadata: { user_id: user.id, time_card_id: p.time_card_id, purpose: 'time_card_purchase' } });
    expect(req.headers['idempotency-key']).toBe(`time_card_purchase:${p.time_card_id}`);
    expect(p.payment_intent_id).toMatch(/^pi_/);
    expect((await cardOf(p.time_card_id)).status).toBe('pending_payment');
    expect((await activate(user, p.activation_code)).statusCode).toBe(409);
  });

  it('a declined card answers 402 with the reason and leaves a failed card', async () => {
    const user = await createUser(platform);
    const res = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_chargeDeclined' } });
    expect(res.statusCode).toBe(402);
    expect(res.json().detail).toMatch(/declined/);
    const [card] = await platform.db.query<{ status: string }>(`SELECT status FROM time_cards WHERE purchaser_user_id = $1`, [user.id]);
    expect(card?.status).toBe('failed');
  });
});

describe('POST /webhooks/stripe', () => {
  it('refuses a missing, forged or tampered signature with 400 and changes nothing', async () => {
    const user = await createUser(platform);
    const p = await purchase(user);
    const good = signedEvent(platform, 'payment_intent.succeeded', intent(p, user));
    const missing = await app.inject({ method: 'POST', url: '/webhooks/stripe', headers: { 'content-type': 'application/json' }, payload: good.payload });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().detail).toMatch(/Stripe-Signature/);
    const forged = { ...platform, secrets: { ...platform.secrets, stripeWebhookSecret: 'whsec_attacker' } };
    const bad = signedEvent(forged, 'payment_intent.succeeded', intent(p, user));
    expect((await deliverEvent(app, bad)).statusCode).toBe(400);
    const tampered = { ...good, payload: good.payload.replace('"amount":999', '"amount":1') };
    expect((await deliverEvent(app, tampered)).statusCode).toBe(400);
    expect((await cardOf(p.time_card_id)).status).toBe('pending_payment');
    expect(await platform.db.query(`SELECT id FROM stripe_events WHERE id = $1`, [good.id])).toHaveLength(0);
  });

  it('applies payment_intent.succeeded once however often it is delivered', async () => {
    const user = await createUser(platform);
    const p = await purchase(user);
    const e = signedEvent(platform, 'payment_intent.succeeded', intent(p, user));
    const first = await deliverEvent(app, e);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ status: 'received' });
    expect((await deliverEvent(app, e)).json()).toEqual({ status: 'received' });
    // Stripe may also resend the same fact under a new event id.
    expect((await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(p, user)))).statusCode).toBe(200);
    expect((await cardOf(p.time_card_id)).status).toBe('paid');
    expect(await historyOf(p.payment_intent_id)).toEqual([{ status: 'succeeded', amount_cents: 999 }]);
    expect((await activate(user, p.activation_code)).statusCode).toBe(200);
    expect(await balanceSeconds(user)).toBe(3600);
  });

  it('is served by the webhook service on its own app too', async () => {
    const hooks = await buildServiceApp(platform, webhookService);
    try {
      const user = await createUser(platform);
      const p = await purchase(user);
      expect((await deliverEvent(hooks, signedEvent(platform, 'payment_intent.succeeded', intent(p, user)))).statusCode).toBe(200);
      expect((await cardOf(p.time_card_id)).status).toBe('paid');
    } finally {
      await hooks.close();
    }
  });

  it('a failure delivered after the success does not undo it; a success after a failure wins', async () => {
    const user = await createUser(platform);
    const a = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(a, user)));
    await deliverEvent(app, signedEvent(platform, 'payment_intent.payment_failed', intent(a, user, { status: 'requires_payment_method', amount_received: 0 })));
    expect((await cardOf(a.time_card_id)).status).toBe('paid');

    const b = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.payment_failed', intent(b, user, { status: 'requires_payment_method', amount_received: 0 })));
    expect((await cardOf(b.time_card_id)).status).toBe('failed');
    expect((await activate(user, b.activation_code)).statusCode).toBe(409);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(b, user)));
    expect((await cardOf(b.time_card_id)).status).toBe('paid');
  });

  it('a canceled payment fails its pending card', async () => {
    const user = await createUser(platform);
    const p = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.canceled', intent(p, user, { status: 'canceled', amount_received: 0 })));
    expect((await cardOf(p.time_card_id)).status).toBe('failed');
  });

  it('gives a coupon back when its payment is canceled, not when one attempt fails', async () => {
    const user = await createUser(platform);
    const res = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', coupon_code: 'WELCOME25' } });
    expect(res.json()).toMatchObject({ amount_cents: 749, discount_cents: 250 });
    const p: Purchase = res.json();
    const redemptions = () => platform.db.query(`SELECT 1 FROM coupon_redemptions WHERE user_id = $1`, [user.id]);
    const discounted = { amount: 749, amount_received: 0 };
    // A failed attempt: the same intent may still succeed with another card, so the coupon stays used.
    await deliverEvent(app, signedEvent(platform, 'payment_intent.payment_failed', intent(p, user, { ...discounted, status: 'requires_payment_method' })));
    expect(await redemptions()).toHaveLength(1);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.canceled', intent(p, user, { ...discounted, status: 'canceled' })));
    expect(await redemptions()).toHaveLength(0);
    const check = await app.inject({ method: 'GET', url: '/coupons/validate/WELCOME25', headers: user.auth });
    expect(check.json().valid).toBe(true);
  });

  it('does not fulfil a payment whose amount differs from the card price', async () => {
    const user = await createUser(platform);
    const p = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(p, user, { amount: 50, amount_received: 50 })));
    expect((await cardOf(p.time_card_id)).status).toBe('pending_payment');
  });

  it('charge.refunded removes the unspent seconds by a new entry, once', async () => {
    const user = await createUser(platform);
    const p = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(p, user)));
    await activate(user, p.activation_code);
    const room = `room_${user.id}`;
    await app.inject({ method: 'POST', url: '/time/session/start', headers: user.auth, payload: { session_id: 'r1', room_name: room } });
    platform.clock.advance(600);
    await app.inject({ method: 'POST', url: '/time/session/end', headers: user.auth, payload: { session_id: 'r1' } });
    expect(await balanceSeconds(user)).toBe(3000);

    const refund = signedEvent(platform, 'charge.refunded', charge(p, 999));
    expect((await deliverEvent(app, refund)).statusCode).toBe(200);
    await deliverEvent(app, refund);
    await deliverEvent(app, signedEvent(platform, 'charge.refunded', charge(p, 999)));
    expect(await balanceSeconds(user)).toBe(0);
    expect(await entriesOf(p.time_card_id)).toEqual([
      { kind: 'activation', seconds: 3600 },
      { kind: 'session_debit', seconds: -600 },
      { kind: 'refund_reversal', seconds: -3000 },
    ]);
    expect(await cardOf(p.time_card_id)).toMatchObject({ status: 'refunded', remaining_seconds: 0, refunded_cents: 999 });
    expect((await historyOf(p.payment_intent_id)).map((h) => h.status)).toEqual(['succeeded', 'refunded']);
  });

  it('a partial refund takes its share; a refund before the success leaves the card unusable', async () => {
    const user = await createUser(platform);
    const p = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(p, user)));
    await activate(user, p.activation_code);
    await deliverEvent(app, signedEvent(platform, 'charge.refunded', charge(p, 333)));
    expect(await balanceSeconds(user)).toBe(3600 - Math.ceil((3600 * 333) / 999));

    const q = await purchase(user);
    await deliverEvent(app, signedEvent(platform, 'charge.refunded', charge(q, 999)));
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(q, user)));
    expect((await cardOf(q.time_card_id)).status).toBe('refunded');
    expect((await activate(user, q.activation_code)).statusCode).toBe(409);
  });

  it('cancels a payment left unpaid for PENDING_PAYMENT_TTL_HOURS; the canceled event fails the card and frees its coupon', async () => {
    const user = await createUser(platform);
    const res = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', coupon_code: 'WELCOME25' } });
    const p: Purchase = res.json();
    const paidBuyer = await createUser(platform);
    const paid = await purchase(paidBuyer);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.succeeded', intent(paid, paidBuyer)));
    const cancels = (pi: string) => fake.requests.filter((r) => r.method === 'POST' && r.path === `/v1/payment_intents/${pi}/cancel`);

    platform.clock.advance(23 * 3600);
    await sweepOnce(platform);
    expect(cancels(p.payment_intent_id)).toHaveLength(0);
    platform.clock.advance(2 * 3600);
    await sweepOnce(platform);
    await sweepOnce(platform);
    expect(cancels(p.payment_intent_id)).toHaveLength(1);
    expect(cancels(p.payment_intent_id)[0]!.body).toMatchObject({ cancellation_reason: 'abandoned' });
    expect(cancels(p.payment_intent_id)[0]!.headers['idempotency-key']).toBe(`cancel_abandoned:${p.payment_intent_id}`);
    expect(cancels(paid.payment_intent_id)).toHaveLength(0);
    // The card changes when Stripe's event says so, like every other payment state.
    expect((await cardOf(p.time_card_id)).status).toBe('pending_payment');
    expect(await platform.db.query(`SELECT 1 FROM coupon_redemptions WHERE user_id = $1`, [user.id])).toHaveLength(1);
    await deliverEvent(app, signedEvent(platform, 'payment_intent.canceled', intent(p, user, { amount: 749, amount_received: 0, status: 'canceled' })));
    expect((await cardOf(p.time_card_id)).status).toBe('failed');
    expect((await cardOf(paid.time_card_id)).status).toBe('paid');
    expect(await platform.db.query(`SELECT 1 FROM coupon_redemptions WHERE user_id = $1`, [user.id])).toHaveLength(0);
  });

  it('accepts events larger than the API body limit', async () => {
    const e = signedEvent(platform, 'invoice.created', { id: 'in_big', object: 'invoice', lines: { data: Array.from({ length: 800 }, (_, i) => ({ id: `il_${i}`, description: 'x'.repeat(100) })) } });
    expect(e.payload.length).toBeGreaterThan(64 * 1024);
    expect((await deliverEvent(app, e)).statusCode).toBe(200);
  });

  it('acknowledges event types it does not handle', async () => {
    const e = signedEvent(platform, 'customer.created', { id: 'cus_1', object: 'customer' });
    expect((await deliverEvent(app, e)).json()).toEqual({ status: 'received' });
    expect(await platform.db.query(`SELECT type FROM stripe_events WHERE id = $1`, [e.id])).toEqual([{ type: 'customer.created' }]);
  });
});
