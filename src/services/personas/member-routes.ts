import { currentUser } from '../../http/authenticate.js';
import { validationFailed } from '../../http/errors.js';
import { bearerSecurity, ErrorResponse } from '../../http/schemas.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import { createModerator } from '../../integrations/moderation/index.js';
import type { Platform } from '../../platform.js';
import { getUserTier } from '../monetization/tier.js';
import { personaAnalytics } from './analytics.js';
import { createCustomPersona } from './custom.js';
import { deleteCustomPersona, listOwnPersonas, updateCustomPersona } from './custom-edit.js';
import { ratePersona } from './ratings.js';
import { responseCache } from '../../http/response-cache.js';
import {
  AnalyticsResponse, CustomPersonaBody, CustomPersonaPatch, CustomPersonaResponse, OwnPersonasResponse, RateQuery, RateResponse, SessionBody, SessionResponse, SlugParams,
} from './schemas.js';
import { startPersonaSession } from './session-start.js';

// Read by hand: a headers schema would have Ajv's removeAdditional strip every other header.
function idempotencyKey(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length < 1 || value.length > 255) {
    throw validationFailed('Invalid request: the Idempotency-Key header must be one value of 1 to 255 characters.', [
      { field: 'idempotency-key', message: 'must be one value of 1 to 255 characters' },
    ]);
  }
  return value;
}

/** Signed-in persona actions: custom personas, sessions, ratings and the user's analytics. */
export function memberRoutes(platform: Platform): RoutePlugin {
  const moderator = createModerator(platform.config);
  const cache = responseCache(platform);
  const perUser = (name: string, max: number) => ({
    rateLimit: { max, timeWindow: 60_000, keyGenerator: (r: { user: { id: string } | null; ip: string }) => `${name}:${r.user?.id ?? r.ip}` },
  });

  return signedInRoutes(platform, async (app) => {
    app.post(
      '/personas/custom',
      {
        config: perUser('custom-persona', 10),
        schema: {
          tags: ['personas'],
          summary: 'Create a custom persona (Premium, up to 3)',
          security: bearerSecurity,
          body: CustomPersonaBody,
          response: {
            200: CustomPersonaResponse, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse,
            422: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse,
          },
        },
      },
      async (request) => createCustomPersona(platform, moderator, currentUser(request).id, request.body),
    );

    app.get(
      '/personas/mine',
      {
        schema: {
          tags: ['personas'],
          summary: 'Your custom personas and the slots left',
          security: bearerSecurity,
          response: { 200: OwnPersonasResponse, 401: ErrorResponse },
        },
      },
      async (request) => listOwnPersonas(platform, currentUser(request).id),
    );

    app.patch(
      '/personas/:slug',
      {
        config: perUser('custom-persona', 10),
        schema: {
          tags: ['personas'],
          summary: 'Edit one of your custom personas (the same limits and moderation as creating it)',
          security: bearerSecurity,
          params: SlugParams,
          body: CustomPersonaPatch,
          response: {
            200: CustomPersonaResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse,
            422: ErrorResponse, 429: ErrorResponse, 503: ErrorResponse,
          },
        },
      },
      async (request) => updateCustomPersona(platform, moderator, currentUser(request).id, request.params.slug, request.body),
    );

    app.delete(
      '/personas/:slug',
      {
        schema: {
          tags: ['personas'],
          summary: 'Delete one of your custom personas (frees a slot; past sessions stay in your history)',
          security: bearerSecurity,
          params: SlugParams,
          response: { 204: { type: 'null', description: 'Deleted' }, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request, reply) => {
        await deleteCustomPersona(platform, currentUser(request).id, request.params.slug);
        return reply.status(204).send();
      },
    );

    app.post(
      '/personas/:slug/session',
      {
        config: perUser('persona-session', 30),
        schema: {
          tags: ['personas'],
          summary: 'Start a voice session with a persona',
          description: 'Send an `Idempotency-Key` header to make retries return the same live session.',
          security: bearerSecurity,
          params: SlugParams,
          body: SessionBody,
          response: {
            200: SessionResponse, 401: ErrorResponse, 402: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse,
            409: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse,
          },
        },
      },
      async (request) => {
        const result = await startPersonaSession(platform, {
          userId: currentUser(request).id,
          slug: request.params.slug,
          body: request.body,
          idempotencyKey: idempotencyKey(request.headers['idempotency-key']),
        });
        cache.clear();
        return result;
      },
    );

    app.post(
      '/personas/:slug/rate',
      {
        schema: {
          tags: ['personas'],
          summary: 'Rate a persona you have talked to (again to replace)',
          security: bearerSecurity,
          params: SlugParams,
          querystring: RateQuery,
          response: { 200: RateResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request) => {
        const result = await ratePersona(platform, {
          userId: currentUser(request).id,
          slug: request.params.slug,
          rating: request.query.rating,
          feedback: request.query.feedback?.trim() || null,
        });
        cache.clear();
        return result;
      },
    );

    app.get(
      '/analytics/personas',
      {
        schema: {
          tags: ['personas'],
          summary: 'Your persona usage, recommendations and what is popular',
          security: bearerSecurity,
          response: { 200: AnalyticsResponse, 401: ErrorResponse },
        },
      },
      async (request) => {
        const user = currentUser(request);
        const now = platform.clock.now();
        const tier = await getUserTier(platform.db, user.id, now);
        return personaAnalytics(platform.db, user.id, tier, now, platform.config.BASE_HOURLY_PRICE_CENTS);
      },
    );
  });
}
