import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import { bearerSecurity } from '../../http/schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { listPayments, paymentBody, paymentCursor } from './money.js';
import { toPage } from './page.js';
import * as S from './schemas.js';
import { adminSessionBody, listAdminSessions, sessionCursor } from './session-list.js';
import { listUsers, userBody, userCursor } from './users.js';

const tags = ['admin'];
const security = bearerSecurity;
const PAGE = 500;

type Fetch = (cursor: string | undefined) => Promise<{ items: Record<string, unknown>[]; next_cursor: string | null }>;

/** Every row the list's filters select, page by page through the same query the list uses. */
async function sendCsv(reply: FastifyReply, name: string, columns: string[], fetch: Fetch) {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    rows.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  const csv = stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c, flat(r[c])]))), { header: true, columns });
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(csv);
}

const flat = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

const csvResponse = { 200: { content: { 'text/csv': { schema: { type: 'string' } } } }, ...S.errors(422) };

/** CSV downloads of the users, payments and sessions lists, with the same filters. */
export const exportRoutes = (platform: Platform): RoutePlugin => publicRoutes(async (app) => {
  app.get(
    '/admin/users.csv',
    { schema: { tags, security, summary: 'Users as CSV (same q as the list)', querystring: S.UserQuery, response: csvResponse } },
    async (request, reply) => {
      const now = platform.clock.now();
      return sendCsv(reply, 'users', ['id', 'email', 'full_name', 'role', 'status', 'balance_seconds', 'created_at', 'last_login', 'disabled_at'], async (c) =>
        toPage(await listUsers(platform.db, request.query, PAGE, c, now), PAGE, userCursor, userBody));
    },
  );

  app.get(
    '/admin/payments.csv',
    { schema: { tags, security, summary: 'Payments as CSV (same filters as the list)', querystring: S.PaymentQuery, response: csvResponse } },
    async (request, reply) =>
      sendCsv(reply, 'payments', ['id', 'created_at', 'user_id', 'email', 'status', 'purpose', 'amount_cents', 'currency', 'payment_intent_id', 'reference'], async (c) =>
        toPage(await listPayments(platform.db, request.query, PAGE, c), PAGE, paymentCursor, paymentBody)),
  );

  app.get(
    '/admin/sessions.csv',
    { schema: { tags, security, summary: 'Sessions as CSV (same filters as the list)', querystring: S.SessionQuery, response: csvResponse } },
    async (request, reply) =>
      sendCsv(reply, 'sessions', ['id', 'started_at', 'ended_at', 'status', 'user_id', 'email', 'persona_slug', 'room_name', 'billed_seconds', 'charged_seconds', 'end_reason', 'extra'], async (c) =>
        toPage(await listAdminSessions(platform.db, request.query, PAGE, c), PAGE, sessionCursor, adminSessionBody)),
  );
});
