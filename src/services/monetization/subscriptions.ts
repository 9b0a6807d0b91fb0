import { randomBytes } from 'node:crypto';
import { one, type Queryable } from '../../db/database.js';
import { AppError, conflict, notFound } from '../../http/errors.js';
import {
  SubscriptionBillingError,
  type SubscriptionBilling,
  type SubscriptionSnapshot,
} from '../../integrations/payments/subscriptions.js';
import type { Platform } from '../../platform.js';
import { lockUser } from '../../db/locks.js';
import { redeemCoupon, releaseRedemption, type Redemption } from '../coupons/coupons.js';
import { findPlan, rememberStripePrice, type Plan } from './plans.js';
import { centsToDecimal } from '../../money.js';

/** Statuses in which a subscription is the user's one live subscription (see the unique index). */
export const LIVE_STATUSES = ['incomplete', 'active', 'trialing', 'past_due', 'unpaid'] as const;
const LIVE_SQL = `status IN ('incomplete', 'active', 'trialing', 'past_due', 'unpaid')`;

export interface SubscriptionRow {
  id: string;
  user_id: string;
  plan_id: string;
  status: string;
  current_period_end: Date | string | null;
  cancel_at_period_end: boolean;
  provider: 'stripe' | 'simulated';
  stripe_subscription_id: string | null;
  amount_cents: number | null;
  currency: string;
  coupon_code: string | null;
  provider_event_at: number | null;
  created_at: Date | string;
}

export interface CreatedSubscriptionBody {
  subscription_id: string;
  client_secret: string | null;
  status: string;
  plan: string;
  plan_id: string;
  amount: number;
  amount_cents: number;
  discount_cents: number;
  coupon_code: string | null;
  currency: string;
  interval: string;
}

const newLocalId = (): string => `msub_${randomBytes(10).toString('hex')}`;

export function snapshot(row: SubscriptionRow, customerId: string): SubscriptionSnapshot {
  return {
    id: row.stripe_subscription_id ?? '',
    customerId,
    status: row.status,
    currentPeriodEnd: row.current_period_end ? new Date(row.current_period_end) : null,
    metadata: { user_id: row.user_id, mindbot_subscription_id: row.id, plan_id: row.plan_id },
  };
}

/** The user's live subscription, if any (with its row locked when `lock`). */
export async function liveSubscription(q: Queryable, userId: string, lock = false): Promise<SubscriptionRow | undefined> {
  return one<SubscriptionRow>(
    q,
    `SELECT * FROM user_subscriptions WHERE user_id = $1 AND ${LIVE_SQL} ORDER BY created_at DESC LIMIT 1${lock ? ' FOR UPDATE' : ''}`,
    [userId],
  );
}

/** Ends an unpaid subscription locally and gives its coupon back. */
async function expireLocally(tx: Queryable, row: SubscriptionRow, now: Date): Promise<void> {
  await tx.query(`UPDATE user_subscriptions SET status = 'incomplete_expired', updated_at = $2 WHERE id = $1`, [row.id, now]);
  await releaseRedemption(tx, 'subscription', row.id);
}

/**
 * A subscription whose period is over and that will not renew (cancelled at period end, or
 * simulated, which has no renewals) is closed, so it neither blocks a new one nor lingers.
 * A Stripe subscription that renews is closed only by Stripe's own events.
 */
async function closeIfOver(tx: Queryable, row: SubscriptionRow, now: Date): Promise<boolean> {
  const over = row.current_period_end !== null && new Date(row.current_period_end).getTime() <= now.getTime();
  if (!over || row.status === 'incomplete' || !(row.cancel_at_period_end || row.provider === 'simulated')) return false;
  await tx.query(`UPDATE user_subscriptions SET status = 'canceled', updated_at = $2 WHERE id = $1`, [row.id, now]);
  return true;
}

async function customerFor(platform: Platform, billing: SubscriptionBilling, user: { id: string; email: string }): Promise<string> {
  const stored = await one<{ stripe_customer_id: string | null }>(platform.db, `SELECT stripe_customer_id FROM users WHERE id = $1`, [user.id]);
  // A customer made by the simulation means nothing to Stripe: replaced once Stripe is on.
  const known = stored?.stripe_customer_id ?? null;
  if (known !== null && billing.knowsCustomer(known)) return known;
  const created = await billing.createCustomer(user);
  // Unless a concurrent request stored one meanwhile.
  await platform.db.query(
    `UPDATE users SET stripe_customer_id = $2 WHERE id = $1 AND stripe_customer_id IS NOT DISTINCT FROM $3`,
    [user.id, created, known],
  );
  const after = await one<{ stripe_customer_id: string }>(platform.db, `SELECT stripe_customer_id FROM users WHERE id = $1`, [user.id]);
  return after?.stripe_customer_id ?? created;
}

export async function priceFor(platform: Platform, billing: SubscriptionBilling, plan: Plan): Promise<string | null> {
  // A simulated subscription needs no price and ignores one.
  if (plan.stripePriceId) return plan.stripePriceId;
  const priceId = await billing.ensurePrice(plan);
  return priceId ? rememberStripePrice(platform.db, plan.id, priceId) : null;
}

export const providerUnavailable = (err: unknown) =>
  err instanceof SubscriptionBillingError
    ? new AppError('unavailable', 'The payment provider could not set up the subscription; nothing was charged. Please try again.')
    : err;

/**
 * Starts a subscription: the local row (incomplete) and any coupon redemption are written
 * in one transaction under the user's lock, then the provider's subscription is created.
 * It becomes active only when the provider's signed events say the first invoice is paid.
 * An abandoned, unpaid subscription of the user is replaced; a live one is a 409.
 */
export async function startSubscription(
  platform: Platform,
  input: { userId: string; email: string; planId: string; couponCode?: string; paymentMethodId?: string },
): Promise<CreatedSubscriptionBody> {
  const plan = await findPlan(platform.db, input.planId);
  if (!plan?.active) {
    throw notFound(`There is no plan "${input.planId}"; GET /plans lists them.`, 'plan_not_found');
  }
  const billing = platform.payments.subscriptions;
  const now = platform.clock.now();
  const localId = newLocalId();

  const { replaced, redemption } = await platform.db.transaction(async (tx) => {
    await lockUser(tx, input.userId);
    let live = await liveSubscription(tx, input.userId, true);
    if (live && (await closeIfOver(tx, live, now))) live = undefined;
    if (live && live.status !== 'incomplete') {
      throw conflict('You already have an active subscription; cancel it before starting another.', 'already_subscribed');
    }
    if (live) await expireLocally(tx, live, now);
    let redeemed: Redemption | null = null;
    if (input.couponCode) {
      redeemed = await redeemCoupon(tx, {
        code: input.couponCode,
        userId: input.userId,
        purpose: 'subscription',
        reference: localId,
        amountCents: plan.priceCents,
        now,
      });
    }
    await tx.query(
      `INSERT INTO user_subscriptions (id, user_id, plan_id, status, provider, amount_cents, currency, coupon_code, created_at, updated_at)
       VALUES ($1, $2, $3, 'incomplete', $4, $5, $6, $7, $8, $8)`,
      [localId, input.userId, plan.id, billing.kind, plan.priceCents - (redeemed?.discountCents ?? 0), plan.currency, redeemed?.code ?? null, now],
    );
    return { replaced: live, redemption: redeemed };
  });

  let customerId = '';
  try {
    customerId = await customerFor(platform, billing, { id: input.userId, email: input.email });
    if (replaced?.stripe_subscription_id && replaced.provider === billing.kind) {
      await billing.cancelNow(snapshot(replaced, customerId)).catch((err: unknown) =>
        platform.log.warn({ err: (err as Error).message, subscriptionId: replaced.id }, 'could not cancel a replaced subscription'),
      );
    }
    const created = await billing.createSubscription({
      customerId,
      plan,
      priceId: await priceFor(platform, billing, plan),
      coupon: redemption,
      metadata: { user_id: input.userId, mindbot_subscription_id: localId, plan_id: plan.id },
      idempotencyKey: `mindbot-subscription-${localId}`,
      paymentMethodId: input.paymentMethodId,
    });
    const kept = await platform.db.query(
      `UPDATE user_subscriptions
          SET stripe_subscription_id = $2,
              current_period_end = COALESCE(current_period_end, $3)
        WHERE id = $1 AND ${LIVE_SQL} RETURNING id`,
      [localId, created.id, created.currentPeriodEnd],
    );
    if (kept.length === 0) {
      // Replaced by a newer request while the provider was answering.
      await billing.cancelNow({ id: created.id, customerId, status: 'incomplete', currentPeriodEnd: null, metadata: {} }).catch((err: unknown) =>
        // Left incomplete at the provider, which expires it unpaid; nothing was charged.
        platform.log.warn({ err: (err as Error).message, subscriptionId: created.id }, 'could not cancel a replaced subscription'),
      );
      throw conflict('A newer subscription request replaced this one.', 'subscription_superseded');
    }
    const amountCents = plan.priceCents - (redemption?.discountCents ?? 0);
    return {
      subscription_id: created.id,
      client_secret: created.clientSecret,
      status: created.status,
      plan: plan.name,
      plan_id: plan.id,
      amount: centsToDecimal(amountCents),
      amount_cents: amountCents,
      discount_cents: redemption?.discountCents ?? 0,
      coupon_code: redemption?.code ?? null,
      currency: plan.currency,
      interval: plan.interval,
    };
  } catch (err) {
    if (err instanceof SubscriptionBillingError) {
      platform.log.error({ err: err.message, subscriptionId: localId }, 'subscription not created at the provider');
      await platform.db.transaction(async (tx) => {
        const row = await one<SubscriptionRow>(tx, `SELECT * FROM user_subscriptions WHERE id = $1 FOR UPDATE`, [localId]);
        if (row?.status === 'incomplete') await expireLocally(tx, row, platform.clock.now());
      });
    }
    throw providerUnavailable(err);
  }
}

export interface CancelResult {
  cancelled: boolean;
  message: string;
  status: string;
  current_period_end: string | null;
}

/**
 * Cancels at the end of the paid period (the user stays premium until then). An unpaid
 * subscription is ended at once. Cancelling again answers the same.
 */
export async function cancelSubscription(platform: Platform, userId: string): Promise<CancelResult> {
  const billing = platform.payments.subscriptions;
  const row = await liveSubscription(platform.db, userId);
  if (!row) throw notFound('You have no subscription to cancel.', 'subscription_not_found');
  const customer = await one<{ stripe_customer_id: string | null }>(platform.db, `SELECT stripe_customer_id FROM users WHERE id = $1`, [userId]);
  const snap = snapshot(row, customer?.stripe_customer_id ?? '');
  const periodEndIso = row.current_period_end ? new Date(row.current_period_end).toISOString() : null;

  if (row.status === 'incomplete') {
    if (row.stripe_subscription_id && row.provider === billing.kind) {
      await billing.cancelNow(snap).catch((err: unknown) => {
        throw providerUnavailable(err);
      });
    }
    await platform.db.transaction(async (tx) => {
      const locked = await one<SubscriptionRow>(tx, `SELECT * FROM user_subscriptions WHERE id = $1 FOR UPDATE`, [row.id]);
      if (locked?.status === 'incomplete') await expireLocally(tx, locked, platform.clock.now());
    });
    return { cancelled: true, message: 'Your unpaid subscription was cancelled; nothing was charged.', status: 'incomplete_expired', current_period_end: null };
  }

  if (!row.cancel_at_period_end) {
    if (row.stripe_subscription_id && row.provider === billing.kind) {
      await billing.cancelAtPeriodEnd(snap).catch((err: unknown) => {
        throw providerUnavailable(err);
      });
    }
    // Events created before this moment can no longer undo the cancellation.
    await platform.db.query(
      `UPDATE user_subscriptions SET cancel_at_period_end = true, updated_at = $2,
              provider_event_at = GREATEST(COALESCE(provider_event_at, 0), $3)
        WHERE id = $1`,
      [row.id, platform.clock.now(), Math.floor(platform.clock.now().getTime() / 1000)],
    );
  }
  return {
    cancelled: true,
    message: 'Your subscription will be cancelled at the end of the current billing period.',
    status: row.status,
    current_period_end: periodEndIso,
  };
}

/** The subscription to show the user: live and not past its period. */
export async function currentSubscription(q: Queryable, userId: string, now: Date): Promise<SubscriptionRow | undefined> {
  return one<SubscriptionRow>(
    q,
    `SELECT * FROM user_subscriptions
      WHERE user_id = $1 AND ${LIVE_SQL} AND (current_period_end IS NULL OR current_period_end > $2)
      ORDER BY created_at DESC LIMIT 1`,
    [userId, now],
  );
}

/**
 * Ends the user's live subscription at once, at the provider and here (the account is being
 * deleted): no renewal, no further invoice. False when there was none.
 */
export async function endSubscriptionNow(platform: Platform, userId: string): Promise<boolean> {
  const billing = platform.payments.subscriptions;
  const row = await liveSubscription(platform.db, userId);
  if (!row) return false;
  const customer = await one<{ stripe_customer_id: string | null }>(platform.db, `SELECT stripe_customer_id FROM users WHERE id = $1`, [userId]);
  if (row.stripe_subscription_id && row.provider === billing.kind) {
    await billing.cancelNow(snapshot(row, customer?.stripe_customer_id ?? '')).catch((err: unknown) => {
      throw providerUnavailable(err);
    });
  }
  const now = platform.clock.now();
  await platform.db.transaction(async (tx) => {
    const locked = await one<SubscriptionRow>(tx, `SELECT * FROM user_subscriptions WHERE id = $1 FOR UPDATE`, [row.id]);
    if (!locked || !(LIVE_STATUSES as readonly string[]).includes(locked.status)) return;
    if (locked.status === 'incomplete') return expireLocally(tx, locked, now);
    // Events created before this moment can no longer bring it back.
    await tx.query(
      `UPDATE user_subscriptions SET status = 'canceled', updated_at = $2, provider_event_at = GREATEST(COALESCE(provider_event_at, 0), $3) WHERE id = $1`,
      [row.id, now, Math.floor(now.getTime() / 1000)],
    );
  });
  return true;
}
