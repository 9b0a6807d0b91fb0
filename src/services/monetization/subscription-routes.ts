import { currentUser } from '../../http/authenticate.js';
import { requireVerifiedEmailForPurchase } from '../../http/verified-email.js';
import { notFound } from '../../http/errors.js';
import { withIdempotency } from '../../http/idempotency.js';
import { ErrorResponse, bearerSecurity, errorResponses } from '../../http/schemas.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { COUPON_CHECKS_PER_MINUTE } from './coupon-routes.js';
import { findPlan } from './plans.js';
import {
  CancelSubscriptionResponse,
  ChangePlanBody,
  ChangePlanResponse,
  CreateSubscriptionBody,
  CreateSubscriptionResponse,
  CurrentSubscriptionResponse,
  ResumeSubscriptionResponse,
} from './schemas.js';
import { changePlan, resumeSubscription } from './subscription-changes.js';
import { cancelSubscription, currentSubscription, startSubscription } from './subscriptions.js';
import { centsToDecimal } from '../../money.js';

const errors = errorResponses(401, 404, 409, 422, 503);

export function subscriptionRoutes(platform: Platform): RoutePlugin {
  return signedInRoutes(platform, async (app) => {
    app.post(
      '/subscriptions',
      {
        schema: {
          tags: ['subscriptions'],
          summary: 'Start a subscription; confirm its first payment with the returned client_secret',
          description: 'Honours an Idempotency-Key header. A live subscription already → 409.',
          security: bearerSecurity,
          body: CreateSubscriptionBody,
          response: { 200: CreateSubscriptionResponse, ...errors, 403: ErrorResponse, 429: ErrorResponse },
        },
        preHandler: requireVerifiedEmailForPurchase(platform),
        // A coupon code can be tried here too: as slow to guess as GET /coupons/validate.
        config: {
          rateLimit: { max: COUPON_CHECKS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (r) => `subscribe:${r.user?.id ?? r.ip}` },
        },
      },
      async (request, reply) => {
        const user = currentUser(request);
        const body = request.body;
        return withIdempotency(platform, request, reply, 'POST /subscriptions', () =>
          startSubscription(platform, {
            userId: user.id,
            email: user.email,
            planId: body.plan_id,
            couponCode: body.coupon_code,
            paymentMethodId: body.payment_method_id,
          }),
        );
      },
    );

    app.get(
      '/subscriptions/current',
      {
        schema: {
          tags: ['subscriptions'],
          summary: "The user's current subscription (404 when there is none)",
          security: bearerSecurity,
          response: { 200: CurrentSubscriptionResponse, 401: ErrorResponse, 404: ErrorResponse },
        },
      },
      async (request) => {
        const row = await currentSubscription(platform.db, currentUser(request).id, platform.clock.now());
        if (!row) throw notFound('You have no subscription.', 'subscription_not_found');
        const plan = await findPlan(platform.db, row.plan_id);
        // The recurring price; a coupon discounts only the first invoice.
        const amountCents = plan?.priceCents ?? row.amount_cents ?? 0;
        return {
          subscription_id: row.stripe_subscription_id ?? row.id,
          status: row.status,
          plan: row.plan_id,
          plan_name: plan?.name ?? row.plan_id,
          current_period_end: row.current_period_end ? new Date(row.current_period_end).toISOString() : null,
          cancel_at_period_end: row.cancel_at_period_end,
          amount: centsToDecimal(amountCents),
          amount_cents: amountCents,
          currency: row.currency,
          features: plan?.features ?? [],
        };
      },
    );

    app.post(
      '/subscriptions/cancel',
      {
        schema: {
          tags: ['subscriptions'],
          summary: 'Cancel at the end of the paid period (premium stays until then)',
          security: bearerSecurity,
          response: { 200: CancelSubscriptionResponse, 401: ErrorResponse, 404: ErrorResponse, 503: ErrorResponse },
        },
      },
      async (request) => cancelSubscription(platform, currentUser(request).id),
    );

    app.post(
      '/subscriptions/change-plan',
      {
        schema: {
          tags: ['subscriptions'],
          summary: 'Switch plan (monthly ↔ yearly), prorated: the unused part of the period is credited, the difference charged now',
          description: 'Honours an Idempotency-Key header.',
          security: bearerSecurity,
          body: ChangePlanBody,
          response: { 200: ChangePlanResponse, ...errors, 403: ErrorResponse },
        },
        preHandler: requireVerifiedEmailForPurchase(platform),
      },
      async (request, reply) => {
        const key = typeof request.headers['idempotency-key'] === 'string' ? request.headers['idempotency-key'] : request.id;
        return withIdempotency(platform, request, reply, 'POST /subscriptions/change-plan', () =>
          changePlan(platform, currentUser(request).id, request.body.plan_id, key),
        );
      },
    );

    app.post(
      '/subscriptions/resume',
      {
        schema: {
          tags: ['subscriptions'],
          summary: 'Undo a cancellation at period end: the subscription renews again',
          security: bearerSecurity,
          response: { 200: ResumeSubscriptionResponse, ...errors },
        },
      },
      async (request) => resumeSubscription(platform, currentUser(request).id),
    );
  });
}
