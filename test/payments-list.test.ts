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

  it("shows a subscription invoice's page at Stripe as its receipt, for that invoice and its owner only", async () => {
    const user = await createUser(platform);
    const other = await createUser(platform);
    const subscribe = async (u: typeof user) => {
      const res = await app.inject({ method: 'POST', url: '/subscriptions', headers: u.auth, payload: { plan_id: 'premium_monthly' } });
      expect(res.statusCode).toBe(200);
      return res.json().subscription_id as string;
    };
    const subId = await subscribe(user);
    await subscribe(other);
    await platform.payments.flush();
    const invoice = (id: string, links: Record<string, unknown>) => ({
      id, object: 'invoice', currency: 'usd', amount_paid: 1999, amount_due: 1999, status: 'paid', billing_reason: 'subscription_cycle',
      parent: { type: 'subscription_details', subscription_details: { subscription: subId, metadata: {} } },
      lines: { object: 'list', data: [{ period: { start: 0, end: Math.floor(Date.now() / 1000) + 60 * 86400 } }] },
      ...links,
    });
    const paid = `https://invoice.stripe.com/i/acct_test/${subId}_paid`;
    const finalized = `https://invoice.stripe.com/i/acct_test/${subId}_finalized`;
    const send = async (type: string, object: Record<string, unknown>) =>
      expect((await deliverEvent(app, signedEvent(platform, type, object))).statusCode).toBe(200);
    // Kept from invoice.paid …
    await send('invoice.paid', invoice('in_receipt_paid', { hosted_invoice_url: paid, invoice_pdf: `${paid}/pdf` }));
    // … or from invoice.finalized when the paid event carries none.
    await send('invoice.finalized', invoice('in_receipt_finalized', { status: 'open', amount_paid: 0, hosted_invoice_url: finalized, invoice_pdf: null }));
    await send('invoice.paid', invoice('in_receipt_finalized', {}));
    // Not a link a user can be sent to: none is shown.
    await send('invoice.paid', invoice('in_receipt_plain', { hosted_invoice_url: 'http://invoice.example/i/1', invoice_pdf: 'javascript:alert(1)' }));

    const res = await app.inject({ url: '/payments', headers: user.auth });
    expect(res.statusCode).toBe(200);
    const byId = new Map((res.json().payments as Record<string, unknown>[]).map((p) => [p.id, p]));
    expect(byId.size).toBe(4);
    expect(byId.get('in_receipt_paid')).toMatchObject({ kind: 'subscription', status: 'succeeded', amount_cents: 1999, receipt_url: paid });
    expect(byId.get('in_receipt_finalized')).toMatchObject({ kind: 'subscription', status: 'succeeded', receipt_url: finalized });
    expect(byId.get('in_receipt_plain')).toMatchObject({ kind: 'subscription', receipt_url: null });
    // The simulated provider's own invoice has no page at Stripe.
    const simulated = [...byId.values()].filter((p) => !String(p.id).startsWith('in_receipt_'));
    expect(simulated).toHaveLength(1);
    expect(simulated[0]).toMatchObject({ kind: 'subscription', status: 'succeeded', receipt_url: null });

    const theirs = await app.inject({ url: '/payments', headers: other.auth });
    expect(theirs.json().payments).toEqual([expect.objectContaining({ kind: 'subscription', receipt_url: null })]);
    expect(theirs.body).not.toContain('invoice.stripe.com');
  });
});
