import type { FastifyPluginAsync } from 'fastify';
import type { TypedApp } from '../../http/app.js';
import { PUBLIC_CACHE_CONTROL, responseCache, sendJson } from '../../http/response-cache.js';
import type { Platform } from '../../platform.js';
import { listPlans, planBody } from './plans.js';
import { PlansResponse } from './schemas.js';

export function planRoutes(platform: Platform): FastifyPluginAsync {
  const catalogue = responseCache(platform);
  return async (root) => {
    const app = root as unknown as TypedApp;
    app.get(
      '/plans',
      { schema: { tags: ['subscriptions'], summary: 'Subscription plans on sale', response: { 200: PlansResponse } } },
      async (request, reply) => {
        const entry = await catalogue.fill('plans', async () => String(reply.serialize({ plans: (await listPlans(platform.db)).map(planBody) })));
        return sendJson(request, reply, entry.body, entry.etag, PUBLIC_CACHE_CONTROL);
      },
    );
  };
}
