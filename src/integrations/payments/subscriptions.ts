export interface BillingPlan {
  id: string;
  name: string;
  priceCents: number;
  currency: string;
  interval: 'month' | 'year';
}

export interface BillingCoupon {
  code: string;
  percentOff: number | null;
  amountOffCents: number | null;
}

export interface CreateSubscriptionInput {
  customerId: string;
  plan: BillingPlan;
  /** The provider's recurring price for the plan (Stripe), from ensurePrice. */
  priceId: string | null;
  coupon: BillingCoupon | null;
  /** Ties the provider's subscription to ours: user_id, mindbot_subscription_id, plan_id. */
  metadata: Record<string, string>;
  /** Deterministic per local subscription: a retried call creates nothing new. */
  idempotencyKey: string;
  paymentMethodId?: string;
}

export interface CreatedSubscription {
  id: string;
  status: string;
  /** The first invoice's payment client secret (Stripe.js confirms it); null when nothing is due. */
  clientSecret: string | null;
  currentPeriodEnd: Date | null;
}

/** What the provider needs to reproduce a subscription's state (the simulation sends it back as events). */
export interface SubscriptionSnapshot {
  id: string;
  customerId: string;
  status: string;
  currentPeriodEnd: Date | null;
  metadata: Record<string, string>;
}

/**
 * Recurring billing. Like one-off payments, state changes reach MindBot only through the
 * signed `customer.subscription.*` and `invoice.*` webhook events, from Stripe or from the
 * simulation, so there is one code path for both.
 */
export interface SubscriptionBilling {
  readonly kind: 'stripe' | 'simulated';
  createCustomer(user: { id: string; email: string }): Promise<string>;
  /** Whether a customer id stored earlier means something to this provider (the simulation's do not to Stripe). */
  knowsCustomer(customerId: string): boolean;
  /** The provider's recurring price for a plan, created once (null when the provider needs none). */
  ensurePrice(plan: BillingPlan): Promise<string | null>;
  createSubscription(input: CreateSubscriptionInput): Promise<CreatedSubscription>;
  cancelAtPeriodEnd(sub: SubscriptionSnapshot): Promise<void>;
  /** Ends a subscription now (an abandoned, unpaid one). */
  cancelNow(sub: SubscriptionSnapshot): Promise<void>;
  /**
   * Moves a paid subscription to another plan, prorated: the unused part of the current
   * period is credited and the difference invoiced now; the period restarts when the
   * interval changes. Events follow (invoice.paid, customer.subscription.updated).
   */
  changePlan(sub: SubscriptionSnapshot, change: PlanChange): Promise<PlanChanged>;
  /** Undoes a cancellation at period end: the subscription renews again. */
  resume(sub: SubscriptionSnapshot): Promise<void>;
}

export interface PlanChange {
  from: BillingPlan;
  to: BillingPlan;
  /** The provider's recurring price for `to` (Stripe), from ensurePrice. */
  priceId: string | null;
  /** Deterministic per change request: a retried call changes nothing more. */
  idempotencyKey: string;
}

export interface PlanChanged {
  currentPeriodEnd: Date;
  /** What the proration invoice charged now (0 when the credit covers it). */
  prorationCents: number;
}

/** Simulated customers are marked so that a later switch to Stripe does not reuse them. */
export const SIMULATED_CUSTOMER_PREFIX = 'cus_sim_';

export class SubscriptionBillingError extends Error {
  override name = 'SubscriptionBillingError';
}

/** The end of a billing period that starts at `from` (calendar months, UTC). */
export function periodEnd(from: Date, interval: 'month' | 'year'): Date {
  const d = new Date(from.getTime());
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() + 1);
  else d.setUTCMonth(d.getUTCMonth() + 1);
  return d;
}
