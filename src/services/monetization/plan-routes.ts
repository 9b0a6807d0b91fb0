import { responseCache } from '../../http/response-cache.js';
import type { Platform } from '../../platform.js';
import { notFound } from '../../http/errors.js';
import { ErrorResponse } from '../../http/schemas.js';
import { defaultPlanForTier, findPlan, listPlans, planBody } from './plans.js';
import { PlansResponse, SubscribeStepQuery, SubscribeStepResponse } from './schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';

export function planRoutes(platform: Platform): RoutePlugin {
  const catalogue = responseCache(platform);
  return publicRoutes(async (app) => {
    app.get(
      '/plans',
      { schema: { tags: ['subscriptions'], summary: 'Subscription plans on sale', response: { 200: PlansResponse } } },
      async (request, reply) => {
        const entry = await catalogue.fill('plans', async () => String(reply.serialize({ plans: (await listPlans(platform.db)).map(planBody) })));
        return catalogue.send(request, reply, 'plans', entry);
      },
    );
    // Where POST /user/upgrade's payment_url leads: the plan to pay for and the call that starts it.
    app.get(
      '/payment/subscribe',
      {
        schema: {
          tags: ['subscriptions'],
          summary: 'The subscribe step of an upgrade: the plan and the call that starts its subscription',
          querystring: SubscribeStepQuery,
          response: { 200: SubscribeStepResponse, 404: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request) => {
        const { tier, plan: planId } = request.query;
        const plan = planId ? await findPlan(platform.db, planId) : await defaultPlanForTier(platform.db, tier);
        if (!plan?.active || plan.tier !== tier) throw notFound(`There is no ${tier} plan "${planId ?? ''}" on sale; GET /plans lists them.`);
        return {
          tier,
          plan: planBody(plan),
          message: `Subscribe to ${plan.name}: POST /subscriptions with this plan_id, then confirm the payment.`,
          next: { method: 'POST' as const, path: '/subscriptions' as const, body: { plan_id: plan.id } },
        };
      },
    );
  });
}
