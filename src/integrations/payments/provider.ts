import type { SubscriptionBilling } from './subscriptions.js';

export interface CreatePaymentInput {
  amountCents: number;
  currency: string;
  /** Deterministic per payment: a retried call creates nothing new. */
  idempotencyKey: string;
  metadata: Record<string, string>;
  description?: string;
  /** When given, the payment is confirmed server-side with it (Stripe's test ids work). */
  paymentMethodId?: string;
}

export type PaymentStatus = 'requires_payment_method' | 'requires_confirmation' | 'requires_action' | 'processing' | 'succeeded' | 'failed';

export interface PaymentIntentResult {
  id: string;
  clientSecret: string;
  status: PaymentStatus;
  /** Why the card was refused, when status is failed. */
  declineMessage?: string;
}

/**
 * The one door to money. Fulfilment never happens here: it follows the signed
 * `payment_intent.*` webhook events, which Stripe (or the simulation) delivers.
 */
export interface PaymentProvider {
  readonly kind: 'stripe' | 'simulated';
  createPaymentIntent(input: CreatePaymentInput): Promise<PaymentIntentResult>;
  /**
   * Cancels a payment nobody completed. Its `payment_intent.canceled` event then fails the
   * card and gives its coupon back; a payment that succeeded meanwhile stays as it is.
   */
  cancelPaymentIntent(id: string): Promise<void>;
  /** Recurring billing through the same provider (same Stripe client, or the same simulation). */
  readonly subscriptions: SubscriptionBilling;
  /**
   * Delivers again the webhook events the provider still owes this platform: 'due', those
   * whose retry time has come; 'all', every one left undelivered (at a start). Stripe retries
   * on its own, so with Stripe there are none. Returns how many were taken.
   */
  redeliver(which: 'due' | 'all'): Promise<number>;
  /** Awaits webhook deliveries still in flight (none with Stripe). */
  flush(): Promise<void>;
}

export class PaymentProviderError extends Error {
  override name = 'PaymentProviderError';
}
