import { Type } from '@sinclair/typebox';
import { currentUser } from '../../http/authenticate.js';
import { conflict, notFound } from '../../http/errors.js';
import { bearerSecurity, ErrorResponse, Nullable, NullableTimestamp, Timestamp } from '../../http/schemas.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { balanceBody, toHours, toMinutes } from '../time/ledger.js';
import { formatCents } from '../../money.js';
import { defaultPlanForTier, findPlan, priceDisplay } from './plans.js';
import { currentSubscription } from './subscriptions.js';
import { getUserTier } from './tier.js';
import { monthUsage, userAnalytics } from './usage.js';

export const FREE_FEATURES = ['Basic personas', 'Ad-supported sessions', 'Standard voice quality'];
export const PREMIUM_BENEFITS = [
  'Remove all ads',
  'Access to premium personas',
  'Custom persona creation',
  'Priority support',
  'Advanced analytics',
];

const BalanceBody = Type.Object({
  total_minutes: Type.Number(),
  total_hours: Type.Number(),
  active_cards: Type.Integer(),
  next_expiration: NullableTimestamp,
});

const AnalyticsResponse = Type.Object({
  user_id: Type.String(),
  email: Type.String(),
  full_name: Type.String(),
  created_at: Timestamp,
  last_login: NullableTimestamp,
  tier: Type.Union([Type.Literal('free'), Type.Literal('premium')]),
  balance: BalanceBody,
  usage: Type.Object({
    total_sessions: Type.Integer(),
    completed_sessions: Type.Integer(),
    total_minutes_used: Type.Number(),
    total_hours_used: Type.Number(),
  }),
  payments: Type.Object({
    total_spent_cents: Type.Integer(),
    total_spent_display: Type.String(),
    transaction_count: Type.Integer(),
  }),
});

const SubscriptionSummary = Type.Object({
  tier: Type.Union([Type.Literal('free'), Type.Literal('premium')]),
  plan: Nullable(Type.String()),
  features: Type.Array(Type.String()),
  usage: Type.Object({
    sessions_this_month: Type.Integer(),
    minutes_used: Type.Number(),
    personas_accessed: Type.Integer(),
  }),
  upgrade_benefits: Type.Union([
    Type.Object({ premium: Type.Array(Type.String()), premium_price: Type.String() }),
    Type.Null(),
  ]),
});

const UpgradeQuery = Type.Object({
  tier: Type.Union([Type.Literal('premium')], { description: 'The tier to upgrade to' }),
  plan_id: Type.Optional(Type.String({ maxLength: 64, description: 'A plan of that tier (default: the monthly one)' })),
});
const UpgradeResponse = Type.Object({
  upgrade_initiated: Type.Boolean(),
  target_tier: Type.String(),
  plan_id: Type.String(),
  message: Type.String(),
  payment_url: Type.String(),
});

export function userRoutes(platform: Platform): RoutePlugin {
  return signedInRoutes(platform, async (app) => {
    app.get(
      '/user/analytics',
      {
        schema: {
          tags: ['users'],
          summary: "The user's account, balance, usage and spending, from the records",
          security: bearerSecurity,
          response: { 200: AnalyticsResponse, 401: ErrorResponse, 404: ErrorResponse },
        },
      },
      async (request) => {
        const now = platform.clock.now();
        const userId = currentUser(request).id;
        const a = await userAnalytics(platform.db, userId, now);
        if (!a) throw notFound('Your account no longer exists.');
        return {
          user_id: a.user.id,
          email: a.user.email,
          full_name: a.user.full_name,
          created_at: new Date(a.user.created_at).toISOString(),
          last_login: a.user.last_login ? new Date(a.user.last_login).toISOString() : null,
          tier: await getUserTier(platform.db, userId, now),
          balance: balanceBody(a.balance),
          usage: {
            total_sessions: a.totalSessions,
            completed_sessions: a.completedSessions,
            total_minutes_used: toMinutes(a.secondsUsed),
            total_hours_used: toHours(a.secondsUsed),
          },
          payments: {
            total_spent_cents: a.spentCents,
            total_spent_display: formatCents(a.spentCents),
            transaction_count: a.transactions,
          },
        };
      },
    );

    app.get(
      '/user/subscription',
      {
        schema: {
          tags: ['users'],
          summary: "The user's tier, its features, this month's usage and what premium adds",
          security: bearerSecurity,
          response: { 200: SubscriptionSummary, 401: ErrorResponse },
        },
      },
      async (request) => {
        const now = platform.clock.now();
        const userId = currentUser(request).id;
        const tier = await getUserTier(platform.db, userId, now);
        const usage = await monthUsage(platform.db, userId, now);
        const sub = tier === 'premium' ? await currentSubscription(platform.db, userId, now) : undefined;
        const plan = sub ? await findPlan(platform.db, sub.plan_id) : undefined;
        const offer = tier === 'free' ? await defaultPlanForTier(platform.db, 'premium') : undefined;
        return {
          tier,
          plan: plan?.id ?? null,
          features: tier === 'premium' ? (plan?.features ?? PREMIUM_BENEFITS) : FREE_FEATURES,
          usage: {
            sessions_this_month: usage.sessions,
            minutes_used: toMinutes(usage.secondsUsed),
            personas_accessed: usage.personasAccessed,
          },
          upgrade_benefits: offer ? { premium: PREMIUM_BENEFITS, premium_price: priceDisplay(offer) } : null,
        };
      },
    );

    app.post(
      '/user/upgrade',
      {
        schema: {
          tags: ['users'],
          summary: 'Where to pay for an upgrade (the subscription starts with POST /subscriptions)',
          security: bearerSecurity,
          querystring: UpgradeQuery,
          response: { 200: UpgradeResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request) => {
        const now = platform.clock.now();
        const userId = currentUser(request).id;
        const { tier, plan_id } = request.query;
        if ((await getUserTier(platform.db, userId, now)) === tier) throw conflict(`You are already on the ${tier} tier.`);
        const plan = plan_id ? await findPlan(platform.db, plan_id) : await defaultPlanForTier(platform.db, tier);
        if (!plan || plan.tier !== tier) throw notFound(`There is no ${tier} plan "${plan_id ?? ''}"; GET /plans lists them.`);
        const params = new URLSearchParams({ tier, plan: plan.id });
        return {
          upgrade_initiated: true,
          target_tier: tier,
          plan_id: plan.id,
          message: "Upgrade process initiated. You'll be redirected to payment.",
          payment_url: `/payment/subscribe?${params.toString()}`,
        };
      },
    );
  });
}
