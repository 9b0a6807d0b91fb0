import { currentUser, optionalUser } from '../../http/authenticate.js';
import { ErrorResponse } from '../../http/schemas.js';
import { guardedRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { getUserTier } from '../monetization/tier.js';
import { detailBody, findVisiblePersona, listPersonas, summaryBody } from './catalogue.js';
import { listCategories } from './categories.js';
import { etagOf, PUBLIC_CACHE_CONTROL, PUBLIC_MAX_AGE_SECONDS, responseCache, sendJson } from '../../http/response-cache.js';
import { CategoriesResponse, ListQuery, ListResponse, PersonaDetail, SlugParams } from './schemas.js';

const PRIVATE = `private, max-age=${PUBLIC_MAX_AGE_SECONDS}`;

/** The public catalogue: list, detail and categories. Signed-in users also see their own custom personas. */
export function catalogueRoutes(platform: Platform): RoutePlugin {
  const cache = responseCache(platform);
  const base = platform.config.BASE_HOURLY_PRICE_CENTS;

  /** A signed-in user's list: their tier's view, their own custom personas in it; never kept. */
  const signedInList = async (query: typeof ListQuery.static, userId: string) => {
    const tier = await getUserTier(platform.db, userId, platform.clock.now());
    const rows = await listPersonas(platform.db, query, userId);
    return JSON.stringify({ personas: rows.map((r) => summaryBody(r, tier, base)) });
  };

  return guardedRoutes(optionalUser(platform), async (app) => {
    app.get(
      '/personas',
      {
        schema: {
          tags: ['personas'],
          summary: 'List personas (filter, sort, limit)',
          description:
            'Everything in the catalogue, premium personas included and marked `requires_upgrade` for free-tier viewers. ' +
            'The viewer tier is the caller\'s own when signed in, otherwise `user_tier` (default free).',
          querystring: ListQuery,
          response: { 200: ListResponse, 401: ErrorResponse, 422: ErrorResponse },
        },
      },
      // Not async: an anonymous list already prepared is sent without a promise.
      (request, reply) => {
        const query = request.query;
        if (!request.user) {
          const key = JSON.stringify(['personas', query.user_tier ?? 'free', query.category, query.ad_supported, query.sort_by, query.limit]);
          const hit = cache.get(key);
          if (hit) {
            cache.send(request, reply, key, hit);
            return;
          }
          return cache
            .fill(key, async () => {
              const rows = await listPersonas(platform.db, query, null);
              return JSON.stringify({ personas: rows.map((r) => summaryBody(r, query.user_tier ?? 'free', base)) });
            })
            .then((entry) => {
              cache.send(request, reply, key, entry);
            });
        }
        return signedInList(query, currentUser(request).id).then((body) => {
          sendJson(request, reply, body, etagOf(body), PRIVATE);
        });
      },
    );

    app.get(
      '/personas/:slug',
      {
        schema: {
          tags: ['personas'],
          summary: 'One persona in full',
          params: SlugParams,
          response: { 200: PersonaDetail, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request, reply) => {
        const row = await findVisiblePersona(platform.db, request.params.slug, request.user?.id ?? null);
        const body = JSON.stringify(detailBody(row, base));
        return sendJson(request, reply, body, etagOf(body), row.owner_id ? 'private, no-cache' : PUBLIC_CACHE_CONTROL);
      },
    );

    app.get(
      '/categories',
      {
        schema: {
          tags: ['personas'],
          summary: 'Persona categories with their most-used personas',
          response: { 200: CategoriesResponse, 401: ErrorResponse },
        },
      },
      async (request, reply) => {
        const entry = await cache.fill('categories', async () => JSON.stringify(await listCategories(platform.db)));
        return cache.send(request, reply, 'categories', entry);
      },
    );
  });
}
