import type { FakeStripeRoutes } from './server.js';

/** Stripe's test payment methods that decline. */
const DECLINING = /Declined/;

/** POST /v1/payment_intents (with optional confirm), GET /v1/payment_intents/:id, POST …/:id/cancel. */
export const paymentIntentRoutes: FakeStripeRoutes = [
  {
    method: 'POST',
    path: '/v1/payment_intents',
    handler: (req, fake) => {
      const b = req.body as { amount?: string; currency?: string; metadata?: Record<string, string>; payment_method?: string; confirm?: string };
      const amount = Number(b.amount);
      if (!Number.isInteger(amount) || amount < 50 || !b.currency) {
        return { status: 400, body: { error: { type: 'invalid_request_error', message: 'Invalid amount or currency.' } } };
      }
      const id = fake.id('pi');
      const confirmed = b.confirm === 'true' && Boolean(b.payment_method);
      const declined = confirmed && DECLINING.test(b.payment_method ?? '');
      const pi = {
        id,
        object: 'payment_intent',
        amount,
        amount_received: confirmed && !declined ? amount : 0,
        currency: b.currency,
        client_secret: `${id}_secret_${fake.id('s').slice(2)}`,
        metadata: b.metadata ?? {},
        payment_method: b.payment_method ?? null,
        status: !confirmed ? 'requires_payment_method' : declined ? 'requires_payment_method' : 'succeeded',
        latest_charge: confirmed && !declined ? fake.id('ch') : null,
        livemode: false,
      };
      fake.objects.set(id, pi);
      if (declined) {
        return {
          status: 402,
          body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', payment_intent: pi } },
        };
      }
      return { body: pi };
    },
  },
  {
    method: 'GET',
    path: '/v1/payment_intents/:id',
    handler: (req, fake) => {
      const pi = fake.objects.get(req.params.id ?? '');
      return pi ? { body: pi } : { status: 404, body: { error: { type: 'invalid_request_error', message: 'No such payment_intent' } } };
    },
  },
  {
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    handler: (req, fake) => {
      const pi = fake.objects.get(req.params.id ?? '');
      if (!pi) return { status: 404, body: { error: { type: 'invalid_request_error', message: 'No such payment_intent' } } };
      if (pi.status === 'succeeded' || pi.status === 'canceled') {
        return {
          status: 400,
          body: { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state', message: `This PaymentIntent's status is ${String(pi.status)}.` } },
        };
      }
      pi.status = 'canceled';
      pi.cancellation_reason = (req.body as { cancellation_reason?: string }).cancellation_reason ?? null;
      return { body: pi };
    },
  },
];
