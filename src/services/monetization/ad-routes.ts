import { Type } from '@sinclair/typebox';
import { currentUser } from '../../http/authenticate.js';
import { ErrorResponse, bearerSecurity } from '../../http/schemas.js';
import { withIdempotency } from '../../http/idempotency.js';
import { publicRoutes, signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { DEFAULT_REWARD_TYPE, adConfigBody, adViewBody, recordAdView } from './ads.js';
import { AdConfigResponse, AdViewedBody, AdViewedResponse } from './schemas.js';
import { getUserTier } from './tier.js';
import { confirmSimulatedView, recordAdVerification, usesSimulatedAdNetwork } from './ad-verification.js';

/**
 * GET /ads/ssv: the ad network's server-side verification callback (AdMob SSV), signed by
 * the network and unauthenticated otherwise. A verified callback confirms one view.
 */
export function adSsvRoutes(platform: Platform): RoutePlugin {
  return publicRoutes(async (app) => {
    app.get(
      '/ads/ssv',
      {
        schema: {
          tags: ['ads'],
          summary: "The ad network's signed reward callback (AdMob server-side verification)",
          response: { 200: Type.Object({ status: Type.Union([Type.Literal('verified'), Type.Literal('duplicate')]) }, { title: 'AdCallbackAccepted' }), 400: ErrorResponse },
        },
      },
      async (request) => {
        const q = request.url.indexOf('?');
        const { duplicate } = await recordAdVerification(platform, q < 0 ? '' : request.url.slice(q + 1));
        return { status: duplicate ? ('duplicate' as const) : ('verified' as const) };
      },
    );
  });
}

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
          // Offline, the simulated network confirms the view (signed, verified like AdMob's).
          if (usesSimulatedAdNetwork(platform)) await confirmSimulatedView(platform, currentUser(request).id, body.ad_id);
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
