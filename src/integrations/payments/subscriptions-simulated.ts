import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import { simulatedId, type SimulatedEventSender } from '../simulated/events.js';
import type { CreateSubscriptionInput, CreatedSubscription, SubscriptionBilling, SubscriptionSnapshot } from './subscriptions.js';
import { periodEnd, SIMULATED_CUSTOMER_PREFIX } from './subscriptions.js';

/** Stripe's test payment methods that decline (pm_card_chargeDeclined, …). */
const DECLINING = /Declined|chargeCustomerFail/;


const unix = (d: Date): number => Math.floor(d.getTime() / 1000);

/** The start of a period of `interval` that ends at `end` (calendar months, UTC). */
function periodStart(end: Date, interval: 'month' | 'year'): Date {
  const d = new Date(end.getTime());
  if (interval === 'year') d.setUTCFullYear(d.getUTCFullYear() - 1);
  else d.setUTCMonth(d.getUTCMonth() - 1);
  return d;
}

/**
 * Subscriptions without Stripe: Stripe-shaped ids and objects, with every state change
 * delivered as the signed event Stripe would send (customer.subscription.created, then
 * invoice.paid and customer.subscription.updated to active, or invoice.payment_failed).
 * The first invoice is paid at once unless the payment method is one of Stripe's
 * declining test methods. Renewals are not simulated: the period simply ends.
 */
export function createSimulatedSubscriptionBilling(events: SimulatedEventSender, clock: Clock): SubscriptionBilling {
  const subscriptionObject = (s: SubscriptionSnapshot, extra: Record<string, unknown> = {}) => {
    const end = s.currentPeriodEnd ? unix(s.currentPeriodEnd) : null;
    return {
      id: s.id,
      object: 'subscription',
      customer: s.customerId,
      status: s.status,
      cancel_at_period_end: false,
      metadata: s.metadata,
      items: { object: 'list', data: [{ id: simulatedId('si'), object: 'subscription_item', current_period_end: end }] },
      ...extra,
    };
  };

  return {
    kind: 'simulated',
    createCustomer: async () => `${SIMULATED_CUSTOMER_PREFIX}${simulatedId('c').slice(2)}`,
    knowsCustomer: () => true,
    ensurePrice: async () => null,

    async createSubscription(input: CreateSubscriptionInput): Promise<CreatedSubscription> {
      const now = clock.now();
      const end = periodEnd(now, input.plan.interval);
      const id = simulatedId('sub');
      const invoiceId = simulatedId('in');
      const clientSecret = `${simulatedId('pi')}_secret_${randomBytes(18).toString('base64url').replace(/[-_]/g, 'x')}`;
      const discount = input.coupon
        ? input.coupon.percentOff !== null
          ? Math.round((input.plan.priceCents * input.coupon.percentOff) / 100)
          : Math.min(input.coupon.amountOffCents ?? 0, input.plan.priceCents)
        : 0;
      const amount = input.plan.priceCents - discount;
      const snapshot: SubscriptionSnapshot = { id, customerId: input.customerId, status: 'incomplete', currentPeriodEnd: end, metadata: input.metadata };
      const invoice = {
        id: invoiceId,
        object: 'invoice',
        customer: input.customerId,
        currency: input.plan.currency,
        amount_due: amount,
        amount_paid: 0,
        billing_reason: 'subscription_create',
        // No page at Stripe for a simulated invoice: GET /payments shows no receipt link.
        hosted_invoice_url: null,
        invoice_pdf: null,
        parent: { type: 'subscription_details', subscription_details: { subscription: id, metadata: input.metadata } },
        lines: { object: 'list', data: [{ period: { start: unix(now), end: unix(end) } }] },
      };
      await events.send('customer.subscription.created', subscriptionObject(snapshot));
      const declined = input.paymentMethodId !== undefined && DECLINING.test(input.paymentMethodId);
      if (declined) {
        await events.send('invoice.payment_failed', { ...invoice, status: 'open', attempted: true });
      } else {
        await events.send('invoice.paid', { ...invoice, status: 'paid', amount_paid: amount });
        await events.send('customer.subscription.updated', subscriptionObject({ ...snapshot, status: 'active' }));
      }
      return { id, status: 'incomplete', clientSecret, currentPeriodEnd: end };
    },

    async cancelAtPeriodEnd(sub) {
      await events.send('customer.subscription.updated', subscriptionObject(sub, { cancel_at_period_end: true }));
    },

    async changePlan(sub, change) {
      const now = clock.now();
      // Stripe's proration: the unused share of what the current period cost is credited.
      const end = sub.currentPeriodEnd ?? now;
      const start = periodStart(end, change.from.interval);
      const total = Math.max(1, end.getTime() - start.getTime());
      const unused = Math.max(0, Math.min(total, end.getTime() - now.getTime()));
      const credit = Math.round((change.from.priceCents * unused) / total);
      const prorationCents = Math.max(0, change.to.priceCents - credit);
      // An interval change restarts the billing period now (Stripe resets the anchor).
      const newEnd = change.from.interval === change.to.interval ? end : periodEnd(now, change.to.interval);
      const metadata = { ...sub.metadata, plan_id: change.to.id };
      await events.send('invoice.paid', {
        id: simulatedId('in'),
        object: 'invoice',
        customer: sub.customerId,
        currency: change.to.currency,
        amount_due: prorationCents,
        amount_paid: prorationCents,
        status: 'paid',
        billing_reason: 'subscription_update',
        hosted_invoice_url: null,
        invoice_pdf: null,
        parent: { type: 'subscription_details', subscription_details: { subscription: sub.id, metadata } },
        lines: { object: 'list', data: [{ period: { start: unix(now), end: unix(newEnd) } }] },
      });
      await events.send('customer.subscription.updated', subscriptionObject({ ...sub, currentPeriodEnd: newEnd, metadata }));
      return { currentPeriodEnd: newEnd, prorationCents };
    },

    async resume(sub) {
      await events.send('customer.subscription.updated', subscriptionObject(sub, { cancel_at_period_end: false }));
    },

    async cancelNow(sub) {
      const status = sub.status === 'incomplete' ? 'incomplete_expired' : 'canceled';
      await events.send('customer.subscription.deleted', subscriptionObject({ ...sub, status }));
    },
  };
}
