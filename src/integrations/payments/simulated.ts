import { createHash } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { simulatedId, type SimulatedEventSender } from '../simulated/events.js';
import type { CreatePaymentInput, PaymentIntentResult, PaymentProvider, RefundInput, RefundResult } from './provider.js';
import { createSimulatedSubscriptionBilling } from './subscriptions-simulated.js';

/** Stripe's test payment methods that decline (pm_card_chargeDeclined, …InsufficientFunds, …). */
const DECLINING = /Declined|chargeCustomerFail/;

/**
 * Payments without Stripe: ids and client secrets shaped like Stripe's, and the outcome
 * delivered as a signed `payment_intent.succeeded` / `payment_intent.payment_failed` event
 * to the webhook handler, so fulfilment has one code path. With no payment method the
 * payment succeeds as if the client had confirmed it.
 */
export function createSimulatedPaymentProvider(events: SimulatedEventSender, clock: Clock): PaymentProvider {
  const byKey = new Map<string, PaymentIntentResult>();
  const refundsByKey = new Map<string, RefundResult>();
  return {
    kind: 'simulated',
    subscriptions: createSimulatedSubscriptionBilling(events, clock),
    redeliver: (which) => events.redeliver(which),
    flush: () => events.flush(),
    async createPaymentIntent(input: CreatePaymentInput): Promise<PaymentIntentResult> {
      const seen = byKey.get(input.idempotencyKey);
      if (seen) return seen;
      // Stripe keeps an idempotency key's intent for a day, across our restarts: the same key
      // gives the same ids here too, even after the map above was lost with a process.
      const fromKey = (what: string, length: number) =>
        createHash('sha256').update(`${what}:${input.idempotencyKey}`).digest('base64url').replace(/[-_]/g, 'x').slice(0, length);
      const id = `pi_${fromKey('pi', 16)}`;
      const clientSecret = `${id}_secret_${fromKey('secret', 24)}`;
      const declined = input.paymentMethodId !== undefined && DECLINING.test(input.paymentMethodId);
      const object = {
        id,
        object: 'payment_intent',
        amount: input.amountCents,
        amount_received: declined ? 0 : input.amountCents,
        currency: input.currency,
        client_secret: clientSecret,
        created: Math.floor(clock.now().getTime() / 1000),
        description: input.description ?? null,
        livemode: false,
        metadata: input.metadata,
        payment_method: input.paymentMethodId ?? 'pm_card_visa',
        latest_charge: declined ? null : `ch_${fromKey('ch', 16)}`,
        status: declined ? 'requires_payment_method' : 'succeeded',
        last_payment_error: declined
          ? { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' }
          : null,
      };
      await events.send(declined ? 'payment_intent.payment_failed' : 'payment_intent.succeeded', object);
      const result: PaymentIntentResult = declined
        ? { id, clientSecret, status: 'failed', declineMessage: 'Your card was declined.' }
        : { id, clientSecret, status: input.paymentMethodId ? 'succeeded' : 'requires_payment_method' };
      byKey.set(input.idempotencyKey, result);
      // Replays come right after the first call; an old key need not be remembered forever.
      if (byKey.size > 10_000) byKey.delete(byKey.keys().next().value!);
      return result;
    },
    async refund(input: RefundInput): Promise<RefundResult> {
      const seen = refundsByKey.get(input.idempotencyKey);
      if (seen) return seen;
      const refunded = Math.min(input.charge.amountCents, input.charge.refundedCents + input.amountCents);
      // Stripe's charge.refunded carries the charge with its cumulative amount_refunded.
      await events.send('charge.refunded', {
        id: simulatedId('ch'),
        object: 'charge',
        amount: input.charge.amountCents,
        amount_refunded: refunded,
        currency: input.charge.currency,
        payment_intent: input.paymentIntentId,
        refunded: refunded >= input.charge.amountCents,
        livemode: false,
        metadata: input.metadata,
      });
      const result: RefundResult = { id: simulatedId('re'), status: 'succeeded' };
      refundsByKey.set(input.idempotencyKey, result);
      if (refundsByKey.size > 10_000) refundsByKey.delete(refundsByKey.keys().next().value!);
      return result;
    },
    async cancelPaymentIntent(id: string): Promise<void> {
      // The handler finds the card by the intent id and fails it only if it is still unpaid.
      await events.send('payment_intent.canceled', {
        id,
        object: 'payment_intent',
        status: 'canceled',
        cancellation_reason: 'abandoned',
        amount_received: 0,
        livemode: false,
        metadata: {},
      });
    },
  };
}
