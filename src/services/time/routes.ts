import type { FastifyRequest } from 'fastify';
import { currentUser } from '../../http/authenticate.js';
import { requireVerifiedEmailForPurchase } from '../../http/verified-email.js';
import { withIdempotency } from '../../http/idempotency.js';
import { responseCache } from '../../http/response-cache.js';
import { bearerSecurity, errorResponses as errors } from '../../http/schemas.js';
import { publicRoutes, signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { activateCard, balanceBody } from './cards.js';
import { listSessions } from './history.js';
import { toMinutes } from './ledger.js';
import { listTiers, tierBody } from './pricing.js';
import { purchaseTimeCard } from './purchase.js';
import * as S from './schemas.js';
import { endTimeSession, startTimeSession } from './session-billing.js';

/** Guessing activation codes: a few tries a minute per user. */
const ACTIVATION_RATE_LIMIT = {
  max: 10,
  timeWindow: '1 minute',
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) => `time-activate:${request.user?.id ?? request.ip}`,
};

/** A purchase can carry a coupon code: enough for real buying, too few to guess codes. */
const PURCHASE_RATE_LIMIT = {
  max: 20,
  timeWindow: '1 minute',
  hook: 'preHandler' as const,
  keyGenerator: (request: FastifyRequest) => `time-purchase:${request.user?.id ?? request.ip}`,
};

export const timeRoutes = (platform: Platform): RoutePlugin => publicRoutes(async (app) => {
  const catalogue = responseCache(platform);

  app.get(
    '/time/pricing',
    { schema: { tags: ['time'], summary: 'Time card packages', response: { 200: S.PricingResponse } } },
    async (request, reply) => {
      const entry = await catalogue.fill('pricing', async () => String(reply.serialize({ pricing_tiers: (await listTiers(platform.db)).map(tierBody) })));
      return catalogue.send(request, reply, 'pricing', entry);
    },
  );

  await app.register(signedInRoutes(platform, async (r) => {
    const verifiedEmail = requireVerifiedEmailForPurchase(platform);
    const purchaseSchema = {
      tags: ['time'],
      summary: 'Buy a time card (creates the payment; the card is paid when the payment succeeds)',
      security: bearerSecurity,
      body: S.PurchaseRequest,
      response: { 200: S.PurchaseResponse, ...errors(401, 402, 403, 404, 409, 422, 429, 503) },
    };
    for (const url of ['/time/purchase', '/time-cards/purchase']) {
      r.post(url, { schema: purchaseSchema, config: { rateLimit: PURCHASE_RATE_LIMIT }, preHandler: verifiedEmail }, async (request, reply) =>
        withIdempotency(platform, request, reply, 'time.purchase', (attempt) =>
          purchaseTimeCard(platform, {
            userId: currentUser(request).id,
            attempt,
            packageId: request.body.package_id,
            paymentMethodId: request.body.payment_method_id,
            couponCode: request.body.coupon_code,
          }),
        ),
      );
    }

    r.post(
      '/time/activate',
      {
        config: { rateLimit: ACTIVATION_RATE_LIMIT },
        schema: {
          tags: ['time'],
          summary: 'Activate a paid time card by its code (any signed-in user holding it)',
          security: bearerSecurity,
          body: S.ActivateRequest,
          response: { 200: S.ActivateResponse, ...errors(401, 404, 409, 422, 429) },
        },
      },
      async (request, reply) =>
        withIdempotency(platform, request, reply, 'time.activate', () => activateCard(platform, currentUser(request).id, request.body.activation_code)),
    );

    r.get(
      '/time/balance',
      {
        schema: {
          tags: ['time'],
          summary: 'Time balance and time cards',
          security: bearerSecurity,
          response: { 200: S.BalanceResponse, ...errors(401) },
        },
      },
      async (request, reply) => {
        const body = await balanceBody(platform, currentUser(request).id);
        // Already the documented JSON (S.BalanceResponse, checked by the tests): sent as it is.
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );

    r.post(
      '/time/session/start',
      {
        schema: {
          tags: ['time'],
          summary: 'Start billing a voice session',
          security: bearerSecurity,
          body: S.SessionStartRequest,
          response: { 200: S.SessionStartResponse, ...errors(401, 402, 403, 409, 422) },
        },
      },
      async (request) => {
        const started = await startTimeSession(platform, {
          userId: currentUser(request).id,
          sessionId: request.body.session_id,
          roomName: request.body.room_name,
        });
        return {
          session_id: started.sessionId,
          start_time: started.startTime.toISOString(),
          remaining_balance_minutes: toMinutes(started.remainingBalanceSeconds),
        };
      },
    );

    r.post(
      '/time/session/end',
      {
        schema: {
          tags: ['time'],
          summary: 'End a voice session; the charge is the time the server observed (idempotent)',
          security: bearerSecurity,
          body: S.SessionEndRequest,
          response: { 200: S.SessionEndResponse, ...errors(401, 404, 409, 422) },
        },
      },
      async (request, reply) =>
        withIdempotency(platform, request, reply, 'time.session.end', () =>
          endTimeSession(platform, {
            userId: currentUser(request).id,
            sessionId: request.body.session_id,
            clientDurationSeconds: request.body.duration_seconds,
          }),
        ),
    );

    r.get(
      '/time/sessions',
      {
        schema: {
          tags: ['time'],
          summary: 'Session history, newest first',
          security: bearerSecurity,
          querystring: S.SessionsQuery,
          response: { 200: S.SessionsResponse, ...errors(401, 422) },
        },
      },
      async (request) => ({ sessions: await listSessions(platform.db, currentUser(request).id, request.query.limit) }),
    );
  }));
});
