import { describe, expect, it } from 'vitest';
import { purchaseTimeCard } from '../src/services/time/purchase.js';
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

    // The next start on the same database delivers it, through the webhook handler, once.
    const next = await createTestPlatform({}, { db });
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
