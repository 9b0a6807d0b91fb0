import { one } from '../../db/database.js';
import { conflict, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { centsToDecimal } from '../../money.js';
import { findPlan } from './plans.js';
import { liveSubscription, priceFor, providerUnavailable, snapshot, type SubscriptionRow } from './subscriptions.js';

async function customerOf(platform: Platform, userId: string): Promise<string> {
  const row = await one<{ stripe_customer_id: string | null }>(platform.db, `SELECT stripe_customer_id FROM users WHERE id = $1`, [userId]);
  return row?.stripe_customer_id ?? '';
}

/** The live, paid subscription a change applies to, made by the provider now in use. */
async function paidSubscription(platform: Platform, userId: string): Promise<SubscriptionRow> {
  const row = await liveSubscription(platform.db, userId);
  if (!row) throw notFound('You have no subscription.');
  if (row.status === 'incomplete') throw conflict('Your subscription is not paid yet: complete its first payment, or cancel it and start again.');
  if (!row.stripe_subscription_id || row.provider !== platform.payments.subscriptions.kind) {
    throw conflict('This subscription was made with another payment provider and cannot be changed here; cancel it and subscribe again.');
  }
  return row;
}

const nowSeconds = (platform: Platform) => Math.floor(platform.clock.now().getTime() / 1000);

/**
 * Moves the subscription to another plan of the same tier (monthly ↔ yearly), prorated by
 * the provider: the unused part of the period is credited, the difference charged now.
 * A cancellation at period end is undone: changing plan means staying.
 */
export async function changePlan(platform: Platform, userId: string, planId: string, requestKey: string) {
  const row = await paidSubscription(platform, userId);
  if (row.plan_id === planId) throw conflict(`You are already on ${planId}.`);
  const [from, to] = await Promise.all([findPlan(platform.db, row.plan_id), findPlan(platform.db, planId)]);
  if (!to?.active) throw notFound(`There is no plan "${planId}" on sale; GET /plans lists them.`);
  if (!from || from.tier !== to.tier) throw conflict('Change between plans of the same tier only.');
  const billing = platform.payments.subscriptions;
  const priceId = await priceFor(platform, billing, to).catch((err: unknown) => {
    throw providerUnavailable(err);
  });
  const changed = await billing
    .changePlan(snapshot(row, await customerOf(platform, userId)), { from, to, priceId, idempotencyKey: `mindbot-plan-${row.id}-${to.id}-${requestKey}` })
    .catch((err: unknown) => {
      throw providerUnavailable(err);
    });
  // Set here, not left to the events: a shorter period (yearly → monthly) must replace the old end.
  await platform.db.query(
    `UPDATE user_subscriptions SET plan_id = $2, amount_cents = $3, current_period_end = $4, cancel_at_period_end = false,
            provider_event_at = GREATEST(COALESCE(provider_event_at, 0), $5), updated_at = $6
      WHERE id = $1`,
    [row.id, to.id, to.priceCents, changed.currentPeriodEnd, nowSeconds(platform), platform.clock.now()],
  );
  return {
    subscription_id: row.stripe_subscription_id ?? row.id,
    plan: to.id,
    plan_name: to.name,
    interval: to.interval,
    current_period_end: changed.currentPeriodEnd.toISOString(),
    proration_amount: centsToDecimal(changed.prorationCents),
    proration_amount_cents: changed.prorationCents,
    currency: to.currency,
    message: `Your subscription is now ${to.name}; ${centsToDecimal(changed.prorationCents).toFixed(2)} ${to.currency.toUpperCase()} was charged for the change.`,
  };
}

/** Undoes a cancellation at period end, while the period still runs. */
export async function resumeSubscription(platform: Platform, userId: string) {
  const row = await paidSubscription(platform, userId);
  const end = row.current_period_end ? new Date(row.current_period_end) : null;
  if (!row.cancel_at_period_end) throw conflict('Your subscription is not cancelled; there is nothing to resume.');
  if (end && end.getTime() <= platform.clock.now().getTime()) throw conflict('That subscription has ended; subscribe again.');
  await platform.payments.subscriptions.resume(snapshot(row, await customerOf(platform, userId))).catch((err: unknown) => {
    throw providerUnavailable(err);
  });
  await platform.db.query(
    `UPDATE user_subscriptions SET cancel_at_period_end = false, provider_event_at = GREATEST(COALESCE(provider_event_at, 0), $2), updated_at = $3
      WHERE id = $1`,
    [row.id, nowSeconds(platform), platform.clock.now()],
  );
  return {
    resumed: true,
    message: 'Your subscription will renew at the end of the current period.',
    status: row.status,
    current_period_end: end?.toISOString() ?? null,
  };
}
