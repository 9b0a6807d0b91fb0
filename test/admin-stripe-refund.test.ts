import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { buildAdminTestApp, signInAdmin } from './support/admin.js';
import { deliverEvent, paymentIntentRoutes, refundRoutes, signedEvent, startFakeStripe, type FakeStripe } from './support/fake-stripe/index.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let fake: FakeStripe;
let platform: TestPlatform;
let gateway: App;
let admin: App;

beforeAll(async () => {
  fake = await startFakeStripe([paymentIntentRoutes, refundRoutes]);
  ({ platform, app: gateway } = await openGateway({ STRIPE_SECRET_KEY: 'sk_test_fake', STRIPE_API_BASE: fake.url }));
  ({ app: admin } = await buildAdminTestApp(platform));
});
afterAll(async () => {
  await admin?.close();
  await closeGateway(platform, gateway);
  await fake?.close();
});

describe('an admin refund with Stripe', () => {
  it('asks Stripe\'s Refunds API once per request and changes nothing until charge.refunded arrives', async () => {
    const { auth } = await signInAdmin(platform, admin);
    const user = await createUser(platform);
    const bought = await gateway.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h' } });
    const p = bought.json() as { time_card_id: string; payment_intent_id: string };
    const intent = { id: p.payment_intent_id, object: 'payment_intent', amount: 999, amount_received: 999, currency: 'usd', status: 'succeeded', metadata: { user_id: user.id, time_card_id: p.time_card_id, purpose: 'time_card_purchase' } };
    expect((await deliverEvent(gateway, signedEvent(platform, 'payment_intent.succeeded', intent))).statusCode).toBe(200);
    const [payment] = await platform.db.query<{ id: string }>(`SELECT id::text AS id FROM payment_history WHERE payment_intent_id = $1`, [p.payment_intent_id]);

    const res = await admin.inject({ method: 'POST', url: `/admin/payments/${payment!.id}/refund`, headers: auth, payload: { amount_cents: 300, reason: 'partial refund' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amount_cents: 300, status: 'requested', refund_id: expect.stringMatching(/^re_/) });
    const sent = fake.requests.filter((r) => r.path === '/v1/refunds');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ payment_intent: p.payment_intent_id, amount: '300', metadata: { time_card_id: p.time_card_id } });
    expect(sent[0]!.headers['idempotency-key']).toMatch(/^admin_refund:/);
    const before = await platform.db.query<{ refunded_cents: number }>(`SELECT refunded_cents FROM time_cards WHERE id = $1`, [p.time_card_id]);
    expect(before).toEqual([{ refunded_cents: 0 }]);

    const charge = { id: 'ch_admin', object: 'charge', amount: 999, amount_refunded: 300, refunded: false, currency: 'usd', payment_intent: p.payment_intent_id, metadata: {} };
    expect((await deliverEvent(gateway, signedEvent(platform, 'charge.refunded', charge))).statusCode).toBe(200);
    const after = await platform.db.query<{ refunded_cents: number }>(`SELECT refunded_cents FROM time_cards WHERE id = $1`, [p.time_card_id]);
    expect(after).toEqual([{ refunded_cents: 300 }]);
    // What was asked counts at once: at most 699 more.
    const tooMuch = await admin.inject({ method: 'POST', url: `/admin/payments/${payment!.id}/refund`, headers: auth, payload: { amount_cents: 700, reason: 'x' } });
    expect(tooMuch.statusCode).toBe(422);
  });
});
