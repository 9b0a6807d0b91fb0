import { describe, expect, it } from 'vitest';
import { createSimulatedEventSender } from '../src/integrations/simulated/events.js';
import { purchaseTimeCard } from '../src/services/time/purchase.js';
import { startRedelivery } from '../src/services/webhooks/redelivery.js';
import { handleStripeWebhook } from '../src/services/webhooks/stripe.js';
import { createTestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

describe('the simulated payment provider', () => {
  it('keeps each event until it is delivered, so a start after a crash delivers what the crashed run left', async () => {
    // This run records the payment's event, then stops before its delivery is due: a crash.
    const crashed = await createTestPlatform({ SIMULATED_PAYMENT_DELAY_MS: '3600000' });
    const user = await createUser(crashed);
    const bought = await purchaseTimeCard(crashed, { userId: user.id, packageId: 'starter_1h', paymentMethodId: 'pm_card_visa' });
    const db = crashed.db;
    const outbox = () => db.query<{ type: string }>(`SELECT type FROM simulated_webhook_events`);
    const card = async () => (await db.query<{ status: string }>(`SELECT status FROM time_cards WHERE id = $1`, [bought.time_card_id]))[0]!.status;
    expect(await outbox()).toEqual([{ type: 'payment_intent.succeeded' }]);
    expect(await card()).toBe('pending_payment');

    // The next start on the same database (its webhooks service's worker) delivers it, through
    // the webhook handler, once.
    const next = await createTestPlatform({}, { db });
    const worker = startRedelivery(next);
    await worker.stop();
    await next.payments.flush();
    expect(await card()).toBe('paid');
    expect(await outbox()).toEqual([]);
    const payments = await db.query(`SELECT amount_cents FROM payment_history WHERE reference = $1 AND status = 'succeeded'`, [bought.time_card_id]);
    expect(payments).toEqual([{ amount_cents: 999 }]);
    await db.close();
  });

  it('cancels like Stripe: a payment_intent.canceled event for the intent, through the same outbox', async () => {
    const platform = await createTestPlatform({ SIMULATED_PAYMENT_DELAY_MS: '3600000' });
    await platform.payments.cancelPaymentIntent('pi_abandoned1');
    const [row] = await platform.db.query<{ type: string; payload: string }>(`SELECT type, payload FROM simulated_webhook_events`);
    expect(row?.type).toBe('payment_intent.canceled');
    expect(JSON.parse(row!.payload).data.object).toMatchObject({ id: 'pi_abandoned1', object: 'payment_intent', status: 'canceled', cancellation_reason: 'abandoned' });
    await platform.db.close();
  });
});

describe('simulated webhook retries', () => {
  it('an event the endpoint refused is tried again after a growing wait, and then applied once', async () => {
    const platform = await createTestPlatform({ SIMULATED_PAYMENT_DELAY_MS: '3600000' });
    const user = await createUser(platform);
    const bought = await purchaseTimeCard(platform, { userId: user.id, packageId: 'starter_1h', paymentMethodId: 'pm_card_visa' });
    const card = async () => (await platform.db.query<{ status: string }>(`SELECT status FROM time_cards WHERE id = $1`, [bought.time_card_id]))[0]!.status;

    // A sender on the same outbox whose webhook endpoint is down at first.
    let down = true;
    let calls = 0;
    const sender = createSimulatedEventSender({
      webhookSecret: platform.secrets.stripeWebhookSecret,
      deliver: async (raw, signature) => {
        calls++;
        if (down) throw new Error('endpoint unavailable');
        return handleStripeWebhook(platform, raw, signature);
      },
      db: platform.db,
      clock: platform.clock,
      log: platform.log,
      delayMs: 0,
    });
    // As at a start: everything left undelivered is delivered; the endpoint refuses it 3 times.
    expect(await sender.redeliver('all')).toBe(1);
    expect(calls).toBe(3);
    const retry = async () => (await platform.db.query<{ failed_rounds: number; next_attempt_at: Date }>(
      `SELECT failed_rounds, next_attempt_at FROM simulated_webhook_events`))[0];
    expect(await retry()).toEqual({ failed_rounds: 1, next_attempt_at: new Date(platform.clock.now().getTime() + 30_000) });

    platform.clock.advance(29);
    expect(await sender.redeliver('due')).toBe(0);
    platform.clock.advance(1);
    expect(await sender.redeliver('due')).toBe(1);
    expect(calls).toBe(6);
    // The second failed round waits twice as long.
    expect(await retry()).toEqual({ failed_rounds: 2, next_attempt_at: new Date(platform.clock.now().getTime() + 60_000) });
    expect(await card()).toBe('pending_payment');

    down = false;
    platform.clock.advance(60);
    expect(await sender.redeliver('due')).toBe(1);
    expect(await card()).toBe('paid');
    expect(await retry()).toBeUndefined();
    expect(await sender.redeliver('due')).toBe(0);
    await platform.db.close();
  });
});
