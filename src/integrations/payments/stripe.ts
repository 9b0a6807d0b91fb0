import Stripe from 'stripe';
import type { CreatePaymentInput, PaymentIntentResult, PaymentProvider, PaymentStatus } from './provider.js';
import { PaymentProviderError } from './provider.js';
import { createStripeSubscriptionBilling } from './subscriptions-stripe.js';

/** Payments through Stripe: a real PaymentIntent per purchase, created idempotently. */
export function createStripePaymentProvider(stripe: Stripe): PaymentProvider {
  return {
    kind: 'stripe',
    subscriptions: createStripeSubscriptionBilling(stripe),
    // Stripe keeps and retries its own undelivered events.
    redeliver: async () => 0,
    flush: async () => undefined,
    async createPaymentIntent(input: CreatePaymentInput): Promise<PaymentIntentResult> {
      const params: Stripe.PaymentIntentCreateParams = {
        amount: input.amountCents,
        currency: input.currency,
        metadata: input.metadata,
        description: input.description,
        automatic_payment_methods: { enabled: true, allow_redirects: 'never' },
      };
      if (input.paymentMethodId) {
        params.payment_method = input.paymentMethodId;
        params.confirm = true;
      }
      try {
        const pi = await stripe.paymentIntents.create(params, { idempotencyKey: input.idempotencyKey });
        return { id: pi.id, clientSecret: pi.client_secret ?? '', status: mapStatus(pi.status) };
      } catch (err) {
        if (err instanceof Stripe.errors.StripeCardError && err.payment_intent) {
          return {
            id: err.payment_intent.id,
            clientSecret: err.payment_intent.client_secret ?? '',
            status: 'failed',
            declineMessage: err.message,
          };
        }
        const message = err instanceof Error ? err.message : String(err);
        throw new PaymentProviderError(`Stripe refused to create the payment: ${message}`);
      }
    },
    async cancelPaymentIntent(id: string): Promise<void> {
      try {
        await stripe.paymentIntents.cancel(id, { cancellation_reason: 'abandoned' }, { idempotencyKey: `cancel_abandoned:${id}` });
      } catch (err) {
        if (err instanceof Stripe.errors.StripeInvalidRequestError && err.code === UNEXPECTED_STATE) return;
        const message = err instanceof Error ? err.message : String(err);
        throw new PaymentProviderError(`Stripe refused to cancel the payment: ${message}`);
      }
    },
  };
}

/** Stripe answers this when the intent can no longer be cancelled (it succeeded, or is cancelled already). */
const UNEXPECTED_STATE = 'payment_intent_unexpected_state';

const KNOWN: readonly string[] = ['requires_payment_method', 'requires_confirmation', 'requires_action', 'processing', 'succeeded'];

function mapStatus(s: Stripe.PaymentIntent.Status): PaymentStatus {
  if (s === 'canceled') return 'failed';
  return KNOWN.includes(s) ? (s as PaymentStatus) : 'processing';
}
