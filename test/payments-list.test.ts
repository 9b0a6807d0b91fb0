import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { deliverEvent, signedEvent } from './support/fake-stripe/events.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

describe('GET /payments', () => {
  it("lists the user's time cards and subscription invoices with status, refunds and Stripe's receipt link", async () => {
    const user = await createUser(platform);
    const other = await createUser(platform);
    const buy = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h' } });
    expect(buy.statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/subscriptions', headers: user.auth, payload: { plan_id: 'premium_monthly' } })).statusCode).toBe(200);
    await platform.payments.flush();
    const [card] = await platform.db.query<{ payment_intent_id: string; amount_cents: number }>(
      `SELECT payment_intent_id, amount_cents FROM time_cards WHERE purchaser_user_id = $1`, [user.id]);

    const receipt = `https://pay.stripe.com/receipts/${card!.payment_intent_id}`;
    const charge = { id: 'ch_receipt_1', object: 'charge', payment_intent: card!.payment_intent_id, amount: card!.amount_cents, currency: 'usd', metadata: {}, receipt_url: receipt };
    expect((await deliverEvent(app, signedEvent(platform, 'charge.succeeded', { ...charge, amount_refunded: 0 }))).statusCode).toBe(200);
    expect((await deliverEvent(app, signedEvent(platform, 'charge.refunded', { ...charge, amount_refunded: 100, refunded: false }))).statusCode).toBe(200);

    const res = await app.inject({ url: '/payments', headers: user.auth });
    expect(res.statusCode).toBe(200);
    const payments = res.json().payments as Record<string, unknown>[];
    expect(payments).toHaveLength(2);
    expect(payments.find((p) => p.kind === 'time_card')).toMatchObject({
      id: card!.payment_intent_id, status: 'partially_refunded', amount_cents: card!.amount_cents, refunded_cents: 100, currency: 'usd', receipt_url: receipt,
    });
    expect(payments.find((p) => p.kind === 'subscription')).toMatchObject({ status: 'succeeded', amount_cents: 1999, refunded_cents: 0, receipt_url: null, description: 'Subscription: Premium Monthly' });

    expect((await app.inject({ url: '/payments', headers: other.auth })).json()).toEqual({ payments: [] });
    expect((await app.inject({ url: '/payments' })).statusCode).toBe(401);
  });
});
