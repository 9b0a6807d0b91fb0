import Stripe from 'stripe';
import type { BillingCoupon, BillingPlan, CreateSubscriptionInput, CreatedSubscription, SubscriptionBilling } from './subscriptions.js';
import { SIMULATED_CUSTOMER_PREFIX, SubscriptionBillingError } from './subscriptions.js';

/**
 * Subscriptions through Stripe: a customer per user, a recurring price per plan (found by
 * lookup key), a coupon per MindBot coupon (applied to the first invoice), and the
 * subscription created `default_incomplete`, so the first invoice's payment is confirmed
 * by the client with Stripe.js. Since API 2025-03-31 the client secret lives on
 * `invoice.confirmation_secret` (invoice.payment_intent is gone).
 */
export function createStripeSubscriptionBilling(stripe: Stripe): SubscriptionBilling {
  const wrap = async <T>(what: string, call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (err) {
      throw new SubscriptionBillingError(`Stripe refused to ${what}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const ensureCoupon = async (c: BillingCoupon, currency: string): Promise<string> => {
    // The terms are part of the id: a coupon whose terms change becomes a new Stripe coupon.
    const id = c.percentOff !== null ? `mindbot_${c.code}_${c.percentOff}pct` : `mindbot_${c.code}_${c.amountOffCents}${currency}`;
    const params: Stripe.CouponCreateParams =
      c.percentOff !== null
        ? { id, name: c.code, duration: 'once', percent_off: c.percentOff }
        : { id, name: c.code, duration: 'once', amount_off: c.amountOffCents ?? 0, currency };
    try {
      await stripe.coupons.create(params, { idempotencyKey: `mindbot-coupon-${id}` });
    } catch (err) {
      // Created before (by another instance or an earlier purchase): use it.
      if (!(err instanceof Stripe.errors.StripeError && err.code === 'resource_already_exists')) {
        throw new SubscriptionBillingError(`Stripe refused to create coupon ${c.code}: ${(err as Error).message}`);
      }
    }
    return id;
  };

  return {
    kind: 'stripe',
    knowsCustomer: (id) => !id.startsWith(SIMULATED_CUSTOMER_PREFIX),
    createCustomer: (user) =>
      wrap('create the customer', async () => {
        const customer = await stripe.customers.create(
          { email: user.email, metadata: { user_id: user.id } },
          { idempotencyKey: `mindbot-customer-${user.id}` },
        );
        return customer.id;
      }),

    ensurePrice: (plan: BillingPlan) =>
      wrap(`create the price for ${plan.id}`, async () => {
        const lookupKey = `mindbot_${plan.id}_${plan.priceCents}`;
        const found = await stripe.prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 });
        if (found.data[0]) return found.data[0].id;
        const price = await stripe.prices.create(
          {
            currency: plan.currency,
            unit_amount: plan.priceCents,
            recurring: { interval: plan.interval },
            product_data: { name: plan.name },
            lookup_key: lookupKey,
            metadata: { plan_id: plan.id },
          },
          { idempotencyKey: `mindbot-price-${lookupKey}` },
        );
        return price.id;
      }),

    async createSubscription(input: CreateSubscriptionInput): Promise<CreatedSubscription> {
      if (!input.priceId) throw new SubscriptionBillingError('A Stripe subscription needs a price');
      const discounts = input.coupon ? [{ coupon: await ensureCoupon(input.coupon, input.plan.currency) }] : undefined;
      const sub = await wrap('create the subscription', () =>
        stripe.subscriptions.create(
          {
            customer: input.customerId,
            items: [{ price: input.priceId! }],
            payment_behavior: 'default_incomplete',
            payment_settings: { save_default_payment_method: 'on_subscription' },
            expand: ['latest_invoice.confirmation_secret'],
            metadata: input.metadata,
            ...(discounts ? { discounts } : {}),
          },
          { idempotencyKey: input.idempotencyKey },
        ),
      );
      const invoice = typeof sub.latest_invoice === 'object' ? sub.latest_invoice : null;
      const ends = sub.items.data.map((i) => i.current_period_end).filter((n): n is number => typeof n === 'number');
      return {
        id: sub.id,
        status: sub.status,
        clientSecret: invoice?.confirmation_secret?.client_secret ?? null,
        currentPeriodEnd: ends.length > 0 ? new Date(Math.max(...ends) * 1000) : null,
      };
    },

    async cancelAtPeriodEnd(sub) {
      // Setting the flag is idempotent by itself; a fixed idempotency key would make Stripe
      // replay the first answer to a cancellation made again after a resume.
      await wrap('schedule the cancellation', () => stripe.subscriptions.update(sub.id, { cancel_at_period_end: true }));
    },

    async cancelNow(sub) {
      await wrap('cancel the subscription', () => stripe.subscriptions.cancel(sub.id));
    },

    async changePlan(sub, change) {
      if (!change.priceId) throw new SubscriptionBillingError(`plan ${change.to.id} has no Stripe price`);
      const current = await wrap('read the subscription', () => stripe.subscriptions.retrieve(sub.id));
      const item = current.items.data[0];
      if (!item) throw new SubscriptionBillingError(`subscription ${sub.id} has no item`);
      // always_invoice: the prorated difference is invoiced and charged now.
      const updated = await wrap('change the plan', () =>
        stripe.subscriptions.update(
          sub.id,
          {
            items: [{ id: item.id, price: change.priceId! }],
            proration_behavior: 'always_invoice',
            cancel_at_period_end: false,
            metadata: { ...sub.metadata, plan_id: change.to.id },
            expand: ['latest_invoice'],
          },
          { idempotencyKey: change.idempotencyKey },
        ),
      );
      const ends = updated.items.data.map((i) => i.current_period_end).filter((n): n is number => typeof n === 'number');
      const invoice = updated.latest_invoice && typeof updated.latest_invoice !== 'string' ? updated.latest_invoice : null;
      return {
        currentPeriodEnd: ends.length > 0 ? new Date(Math.max(...ends) * 1000) : (sub.currentPeriodEnd ?? new Date()),
        prorationCents: invoice?.billing_reason === 'subscription_update' ? invoice.amount_due : 0,
      };
    },

    async resume(sub) {
      await wrap('resume the subscription', () =>
        stripe.subscriptions.update(sub.id, { cancel_at_period_end: false }),
      );
    },
  };
}
