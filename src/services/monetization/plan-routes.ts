import type { Platform } from '../../platform.js';
import { listPlans, planBody } from './plans.js';
import { PlansResponse } from './schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';

export function planRoutes(platform: Platform): RoutePlugin {
  return publicRoutes(async (app) => {
    app.get(
      '/plans',
      { schema: { tags: ['subscriptions'], summary: 'Subscription plans on sale', response: { 200: PlansResponse } } },
      async () => ({ plans: (await listPlans(platform.db)).map(planBody) }),
    );
  });
}
