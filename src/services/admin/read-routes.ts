import { currentUser } from '../../http/authenticate.js';
import { bearerSecurity } from '../../http/schemas.js';
import type { Platform } from '../../platform.js';
import { auditBody, auditCursor, listAudit } from './audit-log.js';
import { couponBody, couponCursor, listAllTiers, listCoupons, listPayments, paymentBody, paymentCursor } from './money.js';
import { overview, overviewPeriod } from './overview.js';
import { toPage } from './page.js';
import { adminPersonaBody, listAdminPersonas, personaCursor } from './personas.js';
import * as S from './schemas.js';
import { adminSessionBody, listAdminSessions, sessionCursor } from './session-list.js';
import { systemStatus, type ServiceTarget } from './system.js';
import { listUsers, userBody, userCursor, userDetail } from './users.js';
import { notFound } from '../../http/errors.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import { listWebhooks, webhookBody, webhookCursor } from './webhooks.js';

const tags = ['admin'];
const security = bearerSecurity;

/** What the panel reads: every list pages with `limit` and `cursor`. */
export const readRoutes = (platform: Platform, targets: () => Promise<ServiceTarget[]>): RoutePlugin => publicRoutes(async (app) => {
  app.get('/admin/me', { schema: { tags, security, summary: 'The signed-in administrator', response: { 200: S.MeResponse, ...S.errors() } } }, async (request) => {
    const u = currentUser(request);
    return { id: u.id, email: u.email, role: 'admin' as const };
  });

  app.get(
    '/admin/overview',
    { schema: { tags, security, summary: 'Users, revenue, minutes and sessions over a period, with daily series', querystring: S.OverviewQuery, response: { 200: S.OverviewResponse, ...S.errors(422) } } },
    async (request) => {
      const now = platform.clock.now();
      return overview(platform.db, overviewPeriod(now, request.query.from, request.query.to), now);
    },
  );

  app.get(
    '/admin/users',
    { schema: { tags, security, summary: 'Users, newest first; q matches email or name', querystring: S.UserListQuery, response: { 200: S.UserList, ...S.errors(422) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return toPage(await listUsers(platform.db, filter, limit, cursor, platform.clock.now()), limit, userCursor, userBody);
    },
  );

  app.get(
    '/admin/users/:id',
    { schema: { tags, security, summary: 'One user: profile, balance, cards, sessions, payments, subscription, ad rewards', params: S.IdParams, response: { 200: S.UserDetail, ...S.errors(404) } } },
    async (request) => {
      const detail = await userDetail(platform.db, request.params.id, platform.clock.now());
      if (!detail) throw notFound('No user with that id.');
      return detail;
    },
  );

  app.get(
    '/admin/sessions',
    { schema: { tags, security, summary: 'Voice sessions, newest first (live ones with status=active)', querystring: S.SessionListQuery, response: { 200: S.SessionList, ...S.errors(422) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return toPage(await listAdminSessions(platform.db, filter, limit, cursor), limit, sessionCursor, adminSessionBody);
    },
  );

  app.get(
    '/admin/payments',
    { schema: { tags, security, summary: 'Payments and refunds, newest first', querystring: S.PaymentListQuery, response: { 200: S.PaymentList, ...S.errors(422) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return toPage(await listPayments(platform.db, filter, limit, cursor), limit, paymentCursor, paymentBody);
    },
  );

  app.get(
    '/admin/coupons',
    { schema: { tags, security, summary: 'Coupons by code', querystring: S.CouponListQuery, response: { 200: S.CouponList, ...S.errors(422) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return toPage(await listCoupons(platform.db, filter, limit, cursor), limit, couponCursor, couponBody);
    },
  );

  app.get(
    '/admin/pricing-tiers',
    { schema: { tags, security, summary: 'Time-card packages, active or not', response: { 200: S.TierList, ...S.errors() } } },
    async () => ({ items: await listAllTiers(platform.db), next_cursor: null }),
  );

  app.get(
    '/admin/personas',
    { schema: { tags, security, summary: 'Personas with sessions, minutes, rating and revenue; kind=custom for review', querystring: S.PersonaListQuery, response: { 200: S.PersonaList, ...S.errors(422) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return toPage(await listAdminPersonas(platform.db, filter, limit, cursor), limit, personaCursor, adminPersonaBody);
    },
  );

  app.get(
    '/admin/webhooks',
    { schema: { tags, security, summary: 'Stripe and LiveKit events received, simulated deliveries and their state', querystring: S.WebhookListQuery, response: { 200: S.WebhookList, ...S.errors(422) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return toPage(await listWebhooks(platform.db, filter, limit, cursor), limit, webhookCursor, webhookBody);
    },
  );

  app.get(
    '/admin/system',
    { schema: { tags, security, summary: 'Health, readiness and request rates of each service; database; migrations', response: { 200: S.SystemResponse, ...S.errors() } } },
    async () => systemStatus(platform, await targets()),
  );

  app.get(
    '/admin/audit',
    { schema: { tags, security, summary: 'The audit log, newest first', querystring: S.AuditListQuery, response: { 200: S.AuditList, ...S.errors(422) } } },
    async (request) => {
      const { limit, cursor, ...filter } = request.query;
      return toPage(await listAudit(platform.db, filter, limit, cursor), limit, auditCursor, auditBody);
    },
  );
});
