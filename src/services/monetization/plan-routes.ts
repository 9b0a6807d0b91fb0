import { PUBLIC_CACHE_CONTROL, responseCache, sendJson } from '../../http/response-cache.js';
import type { Platform } from '../../platform.js';
import { listPlans, planBody } from './plans.js';
import { PlansResponse } from './schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';

export function planRoutes(platform: Platform): RoutePlugin {
  const catalogue = responseCache(platform);
  return publicRoutes(async (app) => {
    app.get(
      '/plans',
      { schema: { tags: ['subscriptions'], summary: 'Subscription plans on sale', response: { 200: PlansResponse } } },
      async (request, reply) => {
        const entry = await catalogue.fill('plans', async () => String(reply.serialize({ plans: (await listPlans(platform.db)).map(planBody) })));
        return sendJson(request, reply, entry.body, entry.etag, PUBLIC_CACHE_CONTROL);
      },
    );
  });
}
