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

export interface RefundInput {
  paymentIntentId: string;
  /** This refund's amount (Stripe adds it to what the charge already had refunded). */
  amountCents: number;
  /** Deterministic per refund request: a retried call refunds nothing more. */
  idempotencyKey: string;
  metadata: Record<string, string>;
  /**
   * The charge as MindBot knows it, from which the simulation writes the `charge.refunded`
   * event Stripe would send (Stripe knows its charge itself and ignores this).
   */
  charge: { amountCents: number; refundedCents: number; currency: string };
}

export interface RefundResult {
  id: string;
  status: 'pending' | 'succeeded' | 'failed' | 'requires_action' | 'canceled';
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
  /**
   * Refunds (part of) a payment. Nothing changes locally here: the provider's
   * `charge.refunded` event applies it, like a refund made in Stripe's dashboard.
   */
  refund(input: RefundInput): Promise<RefundResult>;
  /** Recurring billing through the same provider (same Stripe client, or the same simulation). */
  readonly subscriptions: SubscriptionBilling;
  /**
   * Delivers again the webhook events the provider still owes this platform: 'due', those
   * whose retry time has come; 'all', every one left undelivered (at a start). Stripe retries
   * on its own, so with Stripe there are none. `{ id }`: that one event now (an operator's
   * replay of a failed delivery). Returns how many were taken.
   */
  redeliver(which: 'due' | 'all' | { id: string }): Promise<number>;
  /** Awaits webhook deliveries still in flight (none with Stripe). */
  flush(): Promise<void>;
}

export class PaymentProviderError extends Error {
  override name = 'PaymentProviderError';
}
