import type Stripe from 'stripe';
import { one, type Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';
import { UnprocessableEvent, type StripeEventHandlers } from '../../integrations/stripe/handlers.js';
import { releaseRedemption } from '../coupons/coupons.js';
import { keepInvoiceReceipt } from './receipts.js';
import type { SubscriptionRow } from './subscriptions.js';

export const SUBSCRIPTION_PURPOSE = 'subscription';

/** How far along a subscription's life a status is: state never moves back a step. */
const STAGE: Record<string, number> = {
  incomplete: 0,
  trialing: 1,
  active: 1,
  past_due: 1,
  unpaid: 1,
  canceled: 2,
  incomplete_expired: 2,
};

/** Stripe statuses stored as ours ('paused' earns nothing, like unpaid). */
function localStatus(s: string): string {
  return s === 'paused' ? 'unpaid' : s in STAGE ? s : 'unpaid';
}

const idOf = (v: string | { id: string } | null | undefined): string | null => (typeof v === 'string' ? v : (v?.id ?? null));

/** Our subscription for a provider subscription: by its id, else by our id in its metadata. */
async function findLocal(tx: Queryable, providerId: string, metadata: Stripe.Metadata | null | undefined): Promise<SubscriptionRow | undefined> {
  const byId = await one<SubscriptionRow>(tx, `SELECT * FROM user_subscriptions WHERE stripe_subscription_id = $1 FOR UPDATE`, [providerId]);
  if (byId) return byId;
  const localId = metadata?.mindbot_subscription_id;
  if (!localId) return undefined;
  const row = await one<SubscriptionRow>(tx, `SELECT * FROM user_subscriptions WHERE id = $1 FOR UPDATE`, [localId]);
  if (!row || (row.stripe_subscription_id !== null && row.stripe_subscription_id !== providerId)) return undefined;
  await tx.query(`UPDATE user_subscriptions SET stripe_subscription_id = $2 WHERE id = $1`, [row.id, providerId]);
  return { ...row, stripe_subscription_id: providerId };
}

interface NextState {
  status?: string;
  periodEnd?: number | null;
  cancelAtPeriodEnd?: boolean;
  /** The plan whose Stripe price the subscription now has (a plan change made at Stripe). */
  planId?: string | null;
  /** Deletion is final whenever it arrives. */
  final?: boolean;
}

/**
 * Moves our subscription to the state an event describes, unless a newer event already
 * spoke: events older than the last applied one change nothing; at the same second the
 * later stage wins. The period end only ever moves forward; a finished subscription stays so.
 */
async function applyState(tx: Queryable, platform: Platform, row: SubscriptionRow, event: Stripe.Event, next: NextState): Promise<void> {
  const current = STAGE[row.status] ?? 0;
  if (current === 2) return;
  const last = row.provider_event_at === null ? null : Number(row.provider_event_at);
  const newStatus = next.status ? localStatus(next.status) : row.status;
  let apply = next.final === true || last === null || event.created > last;
  let cancelFlag = next.cancelAtPeriodEnd ?? row.cancel_at_period_end;
  if (!apply && event.created === last && (STAGE[newStatus] ?? 0) >= current) {
    apply = true;
    cancelFlag = cancelFlag || row.cancel_at_period_end;
  }
  const periodEnd = next.periodEnd ? new Date(next.periodEnd * 1000) : null;
  await tx.query(
    `UPDATE user_subscriptions
        SET status = CASE WHEN $2 THEN $3 ELSE status END,
            cancel_at_period_end = CASE WHEN $2 THEN $4 ELSE cancel_at_period_end END,
            plan_id = CASE WHEN $2 AND $8::text IS NOT NULL THEN $8::text ELSE plan_id END,
            provider_event_at = CASE WHEN $2 THEN GREATEST(COALESCE(provider_event_at, 0), $5) ELSE provider_event_at END,
            current_period_end = CASE WHEN $6::timestamptz IS NULL THEN current_period_end
                                      ELSE GREATEST(COALESCE(current_period_end, $6::timestamptz), $6::timestamptz) END,
            updated_at = $7
      WHERE id = $1`,
    [row.id, apply, newStatus, cancelFlag, event.created, periodEnd, platform.clock.now(), next.planId ?? null],
  );
  // Never paid and now over: the coupon it used, if any, is given back.
  if (apply && newStatus === 'incomplete_expired') await releaseRedemption(tx, 'subscription', row.id);
}

function subscriptionPeriodEnd(sub: Stripe.Subscription): number | null {
  const ends = (sub.items?.data ?? []).map((i) => i.current_period_end).filter((n): n is number => typeof n === 'number');
  return ends.length > 0 ? Math.max(...ends) : null;
}

function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const fromParent = idOf(invoice.parent?.subscription_details?.subscription as string | { id: string } | undefined);
  // Events rendered in API versions before 2025-03-31 carry it on the invoice itself.
  return fromParent ?? idOf((invoice as unknown as { subscription?: string | { id: string } | null }).subscription);
}

const invoicePeriodEnd = (invoice: Stripe.Invoice): number | null => {
  const ends = (invoice.lines?.data ?? []).map((l) => l.period?.end).filter((n): n is number => typeof n === 'number');
  return ends.length > 0 ? Math.max(...ends) : null;
};

async function onSubscription(tx: Queryable, event: Stripe.Event, platform: Platform, final = false): Promise<void> {
  const sub = event.data.object as Stripe.Subscription;
  const row = await findLocal(tx, sub.id, sub.metadata);
  if (!row) {
    platform.log.warn({ eventId: event.id, subscription: sub.id }, 'subscription event for a subscription MindBot did not create');
    return;
  }
  const priceId = sub.items?.data?.[0]?.price?.id;
  const plan = priceId ? await one<{ id: string }>(tx, `SELECT id FROM plans WHERE stripe_price_id = $1`, [priceId]) : undefined;
  await applyState(tx, platform, row, event, {
    planId: plan?.id ?? null,
    status: final ? (sub.status === 'incomplete_expired' ? 'incomplete_expired' : 'canceled') : sub.status,
    periodEnd: subscriptionPeriodEnd(sub),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    final,
  });
}

async function onInvoice(tx: Queryable, event: Stripe.Event, platform: Platform, paid: boolean): Promise<void> {
  const invoice = event.data.object as Stripe.Invoice;
  const providerId = invoiceSubscriptionId(invoice);
  if (!providerId) return;
  const metadata = invoice.parent?.subscription_details?.metadata ?? null;
  const row = await findLocal(tx, providerId, metadata);
  if (!row) return;
  if (!invoice.id) return;
  const amount = paid ? invoice.amount_paid : invoice.amount_due;
  // A paid invoice activates the plan only when it paid what was ordered, in its currency;
  // a plan change's proration invoice on a paid subscription charges only the difference.
  const proration = invoice.billing_reason === 'subscription_update' && row.status !== 'incomplete';
  const minimum = proration ? 0 : (row.amount_cents ?? 0);
  if (paid && (!Number.isSafeInteger(amount) || amount < minimum || invoice.currency !== row.currency)) {
    throw new UnprocessableEvent(`invoice paid ${String(amount)} ${String(invoice.currency)}, the subscription costs ${row.amount_cents} ${row.currency}`);
  }
  await tx.query(
    `INSERT INTO payment_history (user_id, amount_cents, currency, status, payment_intent_id, purpose, reference, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (payment_intent_id) WHERE status = 'succeeded' DO NOTHING`,
    [row.user_id, amount, invoice.currency, paid ? 'succeeded' : 'failed', invoice.id, SUBSCRIPTION_PURPOSE, row.id, platform.clock.now()],
  );
  await keepInvoiceReceipt(tx, invoice, platform);
  if ((STAGE[row.status] ?? 0) === 2) {
    if (paid) platform.log.error({ subscriptionId: row.id, invoice: invoice.id }, 'invoice paid for an ended subscription: refund it');
    return;
  }
  if (paid) {
    const status = ['incomplete', 'past_due', 'unpaid'].includes(row.status) ? 'active' : row.status;
    await applyState(tx, platform, row, event, { status, periodEnd: invoicePeriodEnd(invoice) });
  } else if (row.status !== 'incomplete') {
    await applyState(tx, platform, row, event, { status: 'past_due' });
  }
}

/** A finalized invoice of one of our subscriptions: its page at Stripe is kept for GET /payments. */
async function onInvoiceFinalized(tx: Queryable, event: Stripe.Event, platform: Platform): Promise<void> {
  const invoice = event.data.object as Stripe.Invoice;
  const providerId = invoiceSubscriptionId(invoice);
  if (!providerId) return;
  const row = await findLocal(tx, providerId, invoice.parent?.subscription_details?.metadata ?? null);
  if (row) await keepInvoiceReceipt(tx, invoice, platform);
}

/** Subscription and invoice events: the local subscription follows Stripe's state. */
export const monetizationStripeHandlers: StripeEventHandlers = {
  'customer.subscription.created': (tx, event, platform) => onSubscription(tx, event, platform),
  'customer.subscription.updated': (tx, event, platform) => onSubscription(tx, event, platform),
  'customer.subscription.deleted': (tx, event, platform) => onSubscription(tx, event, platform, true),
  'invoice.paid': (tx, event, platform) => onInvoice(tx, event, platform, true),
  'invoice.payment_failed': (tx, event, platform) => onInvoice(tx, event, platform, false),
  'invoice.finalized': onInvoiceFinalized,
};
