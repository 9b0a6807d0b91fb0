import type { FastifyPluginAsync } from 'fastify';
import type { TypedApp } from '../../http/app.js';
import type { Platform } from '../../platform.js';
import { listPlans, planBody } from './plans.js';
import { PlansResponse } from './schemas.js';

export function planRoutes(platform: Platform): FastifyPluginAsync {
  return async (root) => {
    const app = root as unknown as TypedApp;
    app.get(
      '/plans',
      { schema: { tags: ['subscriptions'], summary: 'Subscription plans on sale', response: { 200: PlansResponse } } },
      async () => ({ plans: (await listPlans(platform.db)).map(planBody) }),
    );
  };
}
