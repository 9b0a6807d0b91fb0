import { currentUser } from '../../http/authenticate.js';
import { ErrorResponse, bearerSecurity } from '../../http/schemas.js';
import { withIdempotency } from '../../http/idempotency.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { DEFAULT_REWARD_TYPE, adConfigBody, adViewBody, recordAdView } from './ads.js';
import { AdConfigResponse, AdViewedBody, AdViewedResponse } from './schemas.js';
import { getUserTier } from './tier.js';

export function adRoutes(platform: Platform): RoutePlugin {
  return signedInRoutes(platform, async (app) => {
    app.get(
      '/ads/config',
      {
        schema: {
          tags: ['ads'],
          summary: "The user's ad settings: free users see ads and can earn rewards",
          security: bearerSecurity,
          response: { 200: AdConfigResponse, 401: ErrorResponse },
        },
      },
      async (request) => {
        const tier = await getUserTier(platform.db, currentUser(request).id, platform.clock.now());
        return adConfigBody(tier === 'free');
      },
    );

    app.post(
      '/ads/viewed',
      {
        schema: {
          tags: ['ads'],
          summary: 'Report a watched ad; a free user earns a discount (default) or free minutes',
          security: bearerSecurity,
          body: AdViewedBody,
          response: { 200: AdViewedResponse, 401: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
        },
        config: {
          rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: (r) => `ads:${r.user?.id ?? r.ip}` },
        },
      },
      async (request, reply) => {
        const body = request.body;
        // A retry under the same Idempotency-Key gets the first answer, reward included.
        return withIdempotency(platform, request, reply, 'ads.viewed', async () => {
          const result = await recordAdView(platform, {
            userId: currentUser(request).id,
            adId: body.ad_id,
            personaSlug: body.persona_slug ?? null,
            viewDurationSeconds: Math.floor(body.view_duration),
            rewardType: body.reward_type ?? DEFAULT_REWARD_TYPE,
          });
          return adViewBody(result);
        });
      },
    );
  });
}
