import type { FastifyRequest } from 'fastify';
import { currentUser } from '../../http/authenticate.js';
import { withIdempotency } from '../../http/idempotency.js';
import { bearerSecurity } from '../../http/schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { createCoupon, deactivateCoupon, patchTier, refundPayment } from './money.js';
import { patchPersona } from './personas.js';
import * as S from './schemas.js';
import { disableUser, enableUser, endSessionByAdmin, grantMinutes, voidCard, type Actor } from './user-actions.js';
import { replayWebhook } from './webhooks.js';

const tags = ['admin'];
const security = bearerSecurity;
const actor = (request: FastifyRequest, reason: string): Actor => ({ adminId: currentUser(request).id, reason: reason.trim() });

/** What an admin changes. Each action writes its audit entry in the transaction of the change. */
export const actionRoutes = (platform: Platform): RoutePlugin => publicRoutes(async (app) => {
  app.post(
    '/admin/users/:id/grants',
    { schema: { tags, security, summary: 'Credit minutes (an admin_grant card); Idempotency-Key honoured', params: S.IdParams, body: S.GrantBody, response: { 200: S.GrantResponse, ...S.errors(404, 409, 422) } } },
    async (request, reply) =>
      withIdempotency(platform, request, reply, `admin_grant:${request.params.id}`, () =>
        grantMinutes(platform, actor(request, request.body.reason), request.params.id, request.body.minutes)),
  );

  app.post(
    '/admin/cards/:id/void',
    { schema: { tags, security, summary: 'Take back what is unspent on a card (an admin_void ledger entry)', params: S.IdParams, body: S.ReasonBody, response: { 200: S.VoidResponse, ...S.errors(404, 409, 422) } } },
    async (request, reply) =>
      withIdempotency(platform, request, reply, `admin_void:${request.params.id}`, () => voidCard(platform, actor(request, request.body.reason), request.params.id)),
  );

  app.post(
    '/admin/users/:id/disable',
    { schema: { tags, security, summary: 'Disable an account: its tokens stop working now and its live session ends', params: S.IdParams, body: S.ReasonBody, response: { 200: S.StandingResponse, ...S.errors(404, 409, 422) } } },
    async (request) => disableUser(platform, actor(request, request.body.reason), request.params.id),
  );

  app.post(
    '/admin/users/:id/enable',
    { schema: { tags, security, summary: 'Enable a disabled account (the user signs in again)', params: S.IdParams, body: S.ReasonBody, response: { 200: S.StandingResponse, ...S.errors(404, 409, 422) } } },
    async (request) => enableUser(platform, actor(request, request.body.reason), request.params.id),
  );

  app.post(
    '/admin/sessions/:id/end',
    { schema: { tags, security, summary: 'End a live session, billed up to now, and close its LiveKit room', params: S.IdParams, body: S.ReasonBody, response: { 200: S.SessionEndResponse, ...S.errors(404, 409, 422) } } },
    async (request, reply) =>
      withIdempotency(platform, request, reply, `admin_session_end:${request.params.id}`, () => endSessionByAdmin(platform, actor(request, request.body.reason), request.params.id)),
  );

  app.post(
    '/admin/payments/:id/refund',
    { schema: { tags, security, summary: 'Refund a time-card payment through the provider; applied when its charge.refunded event arrives', params: S.IdParams, body: S.RefundBody, response: { 200: S.RefundResponse, ...S.errors(404, 409, 422, 503) } } },
    async (request, reply) =>
      withIdempotency(platform, request, reply, `admin_refund:${request.params.id}`, () =>
        refundPayment(platform, actor(request, request.body.reason), request.params.id, request.body.amount_cents)),
  );

  app.post(
    '/admin/coupons',
    { schema: { tags, security, summary: 'Create a coupon (percent_off or amount_off_cents)', body: S.NewCouponBody, response: { 201: S.CouponResponse, ...S.errors(409, 422) } } },
    async (request, reply) => {
      const { reason, ...coupon } = request.body;
      return reply.status(201).send(await createCoupon(platform, actor(request, reason), coupon));
    },
  );

  app.post(
    '/admin/coupons/:code/deactivate',
    { schema: { tags, security, summary: 'Deactivate a coupon: no new redemptions', params: S.CouponCodeParams, body: S.ReasonBody, response: { 200: S.CouponResponse, ...S.errors(404, 409, 422) } } },
    async (request) => deactivateCoupon(platform, actor(request, request.body.reason), request.params.code),
  );

  app.patch(
    '/admin/pricing-tiers/:id',
    { schema: { tags, security, summary: 'Change a package: price, hours, bonus minutes, active', params: S.IdParams, body: S.TierPatchBody, response: { 200: S.TierResponse, ...S.errors(404, 422) } } },
    async (request) => {
      const { reason, ...patch } = request.body;
      return patchTier(platform, actor(request, reason), request.params.id, patch);
    },
  );

  app.patch(
    '/admin/personas/:slug',
    { schema: { tags, security, summary: 'Publish, unpublish (take down) or edit a persona', params: S.SlugParams, body: S.PersonaPatchBody, response: { 200: S.Json, ...S.errors(404, 422) } } },
    async (request) => {
      const { reason, ...patch } = request.body;
      return patchPersona(platform, actor(request, reason), request.params.slug, patch);
    },
  );

  app.post(
    '/admin/webhooks/:id/replay',
    { schema: { tags, security, summary: 'Deliver a failed simulated event again (applied once, however often replayed)', params: S.IdParams, body: S.ReasonBody, response: { 200: S.ReplayResponse, ...S.errors(404, 409, 422) } } },
    async (request) => replayWebhook(platform, actor(request, request.body.reason), request.params.id),
  );
});
