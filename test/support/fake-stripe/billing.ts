import type { FakeRequest, FakeStripe, FakeStripeRoutes } from './server.js';

/** Switches a test flips to make the fake refuse, as Stripe sometimes does. */
export interface BillingFaults {
  failSubscriptionCreate: boolean;
}

const notFound = (what: string) => ({ status: 404, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${what}` } } });
/** Stripe's form encoding sends arrays as index-keyed objects. */
const list = (v: unknown): unknown[] => (v && typeof v === 'object' ? Object.values(v as Record<string, unknown>) : v === undefined ? [] : [v]);
const unix = () => Math.floor(Date.now() / 1000);

function subscriptionCreate(req: FakeRequest, fake: FakeStripe, faults: BillingFaults) {
  if (faults.failSubscriptionCreate) {
    return { status: 500, body: { error: { type: 'api_error', message: 'Something went wrong on Stripe.' } } };
  }
  const b = req.body as { customer?: string; items?: unknown; metadata?: Record<string, string>; discounts?: unknown; expand?: unknown };
  const customer = fake.objects.get(b.customer ?? '');
  if (!customer) return notFound('customer');
  const item = list(b.items)[0] as { price?: string } | undefined;
  const price = fake.objects.get(item?.price ?? '') as { unit_amount: number; currency: string; recurring: { interval: string } } | undefined;
  if (!price) return notFound('price');
  const couponId = (list(b.discounts)[0] as { coupon?: string } | undefined)?.coupon;
  const coupon = couponId ? (fake.objects.get(couponId) as { percent_off?: number; amount_off?: number } | undefined) : undefined;
  if (couponId && !coupon) return notFound('coupon');
  const discount = coupon?.percent_off ? Math.round((price.unit_amount * coupon.percent_off) / 100) : Math.min(coupon?.amount_off ?? 0, price.unit_amount);
  const id = fake.id('sub');
  const invoiceId = fake.id('in');
  const start = unix();
  const end = start + (price.recurring.interval === 'year' ? 365 : 30) * 86400;
  const invoice = {
    id: invoiceId,
    object: 'invoice',
    customer: b.customer,
    status: 'open',
    currency: price.currency,
    amount_due: price.unit_amount - discount,
    amount_paid: 0,
    parent: { type: 'subscription_details', subscription_details: { subscription: id, metadata: b.metadata ?? {} } },
    lines: { object: 'list', data: [{ period: { start, end } }] },
    confirmation_secret: { type: 'payment_intent', client_secret: `${fake.id('pi')}_secret_${fake.id('s').slice(2)}` },
  };
  const sub = {
    id,
    object: 'subscription',
    customer: b.customer,
    status: 'incomplete',
    cancel_at_period_end: false,
    metadata: b.metadata ?? {},
    discounts: couponId ? [couponId] : [],
    items: { object: 'list', data: [{ id: fake.id('si'), object: 'subscription_item', price, current_period_start: start, current_period_end: end }] },
    latest_invoice: invoiceId,
  };
  fake.objects.set(invoiceId, invoice);
  fake.objects.set(id, sub);
  const expanded = list(b.expand).some((e) => String(e).startsWith('latest_invoice'));
  return { body: expanded ? { ...sub, latest_invoice: invoice } : sub };
}

/**
 * A price change as Stripe makes it with proration: the unused share of the current period
 * is credited, the new price charged, and an interval change restarts the period now.
 * With `always_invoice` the difference is invoiced (and, in this fake, paid) at once.
 */
function subscriptionPriceChange(fake: FakeStripe, sub: Record<string, unknown>, priceId: string, proration: string | undefined) {
  const price = fake.objects.get(priceId) as { unit_amount: number; currency: string; recurring: { interval: string } } | undefined;
  if (!price) return notFound('price');
  const items = sub.items as { data: { price: { unit_amount: number; recurring: { interval: string } }; current_period_start: number; current_period_end: number }[] };
  const item = items.data[0]!;
  const now = unix();
  const total = Math.max(1, item.current_period_end - item.current_period_start);
  const unused = Math.max(0, Math.min(total, item.current_period_end - now));
  const credit = Math.round((item.price.unit_amount * unused) / total);
  const amount = Math.max(0, price.unit_amount - credit);
  if (item.price.recurring.interval !== price.recurring.interval) {
    item.current_period_start = now;
    item.current_period_end = now + (price.recurring.interval === 'year' ? 365 : 30) * 86400;
  }
  item.price = price;
  const invoice = {
    id: fake.id('in'),
    object: 'invoice',
    customer: sub.customer,
    status: proration === 'always_invoice' ? 'paid' : 'draft',
    billing_reason: 'subscription_update',
    currency: price.currency,
    amount_due: amount,
    amount_paid: proration === 'always_invoice' ? amount : 0,
    parent: { type: 'subscription_details', subscription_details: { subscription: sub.id, metadata: sub.metadata ?? {} } },
    lines: { object: 'list', data: [{ period: { start: now, end: item.current_period_end } }] },
  };
  fake.objects.set(invoice.id, invoice);
  sub.latest_invoice = invoice.id;
  return { invoice };
}

/** Customers, prices, coupons and subscriptions: what subscription billing calls. */
export function billingRoutes(faults: BillingFaults = { failSubscriptionCreate: false }): FakeStripeRoutes {
  return [
    {
      method: 'POST',
      path: '/v1/customers',
      handler: (req, fake) => {
        const customer = { id: fake.id('cus'), object: 'customer', email: req.body.email ?? null, metadata: req.body.metadata ?? {} };
        fake.objects.set(customer.id, customer);
        return { body: customer };
      },
    },
    {
      method: 'GET',
      path: '/v1/prices',
      handler: (req, fake) => {
        const keys = list(req.body.lookup_keys);
        const data = [...fake.objects.values()].filter((o) => o.object === 'price' && keys.includes(o.lookup_key));
        return { body: { object: 'list', data, has_more: false, url: '/v1/prices' } };
      },
    },
    {
      method: 'POST',
      path: '/v1/prices',
      handler: (req, fake) => {
        const b = req.body as { currency: string; unit_amount: string; recurring: { interval: string }; lookup_key?: string; product_data?: { name: string } };
        const price = {
          id: fake.id('price'),
          object: 'price',
          active: true,
          currency: b.currency,
          unit_amount: Number(b.unit_amount),
          recurring: { interval: b.recurring.interval },
          lookup_key: b.lookup_key ?? null,
          product: fake.id('prod'),
        };
        fake.objects.set(price.id, price);
        return { body: price };
      },
    },
    {
      method: 'POST',
      path: '/v1/coupons',
      handler: (req, fake) => {
        const id = String(req.body.id ?? fake.id('co'));
        if (fake.objects.has(id)) {
          return { status: 400, body: { error: { type: 'invalid_request_error', code: 'resource_already_exists', message: 'Coupon already exists.' } } };
        }
        const coupon = {
          id,
          object: 'coupon',
          duration: req.body.duration,
          percent_off: req.body.percent_off ? Number(req.body.percent_off) : null,
          amount_off: req.body.amount_off ? Number(req.body.amount_off) : null,
        };
        fake.objects.set(id, coupon);
        return { body: coupon };
      },
    },
    { method: 'POST', path: '/v1/subscriptions', handler: (req, fake) => subscriptionCreate(req, fake, faults) },
    {
      method: 'POST',
      path: '/v1/subscriptions/:id',
      handler: (req, fake) => {
        const sub = fake.objects.get(req.params.id ?? '');
        if (!sub) return notFound('subscription');
        if (req.body.cancel_at_period_end !== undefined) sub.cancel_at_period_end = req.body.cancel_at_period_end === 'true';
        const item = list(req.body.items)[0] as { id?: string; price?: string } | undefined;
        if (item?.price) {
          const changed = subscriptionPriceChange(fake, sub, item.price, req.body.proration_behavior as string | undefined);
          if ('status' in changed) return changed;
          const expanded = list(req.body.expand).some((e) => String(e).startsWith('latest_invoice'));
          if (req.body.metadata) sub.metadata = { ...(sub.metadata as object), ...(req.body.metadata as object) };
          return { body: expanded ? { ...sub, latest_invoice: changed.invoice } : sub };
        }
        return { body: sub };
      },
    },
    {
      method: 'GET',
      path: '/v1/subscriptions/:id',
      handler: (req, fake) => {
        const sub = fake.objects.get(req.params.id ?? '');
        return sub ? { body: sub } : notFound('subscription');
      },
    },
    {
      method: 'DELETE',
      path: '/v1/subscriptions/:id',
      handler: (req, fake) => {
        const sub = fake.objects.get(req.params.id ?? '');
        if (!sub) return notFound('subscription');
        sub.status = sub.status === 'incomplete' ? 'incomplete_expired' : 'canceled';
        return { body: sub };
      },
    },
  ];
}
