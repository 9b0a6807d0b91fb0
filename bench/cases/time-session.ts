import { randomBytes } from 'node:crypto';
import { createApp } from '../../src/http/app.js';
import { signedInRoutes, type RoutePlugin } from '../../src/http/routes.js';
import type { Platform } from '../../src/platform.js';
import * as S from '../../src/services/time/schemas.js';
import type { BenchCase } from '../lib.js';
import { seedUsers } from '../seed.js';

/**
 * The reference: the same two routes on MindBot's app (authentication, validation, metrics,
 * serialisation of the same schemas), each running one `SELECT 1` instead of the session's
 * SQL. Its ratio is what the pair would reach if its database work cost nothing more.
 */
const trivialSqlRoutes = (platform: Platform): RoutePlugin => async (root) => {
  await root.register(signedInRoutes(platform, (r) => {
    r.post('/time/session/start', { schema: { body: S.SessionStartRequest, response: { 200: S.SessionStartResponse } } }, async (request) => {
      await platform.db.query('SELECT 1');
      return { session_id: request.body.session_id, start_time: platform.clock.now().toISOString(), remaining_balance_minutes: 100 };
    });
    r.post('/time/session/end', { schema: { body: S.SessionEndRequest, response: { 200: S.SessionEndResponse } } }, async (request) => {
      await platform.db.query('SELECT 1');
      return {
        session_id: request.body.session_id,
        duration_seconds: 1,
        cost_minutes: 0.02,
        status: 'completed' as const,
        remaining_balance: { total_minutes: 100, total_hours: 1.67, active_cards: 1 },
      };
    });
  }));
};

/**
 * POST /time/session/start + /time/session/end as one operation vs a bare route doing a
 * single atomic debit (`UPDATE … WHERE remaining >= $1`). Each connection bills as its own
 * user, since a user has one live session at a time.
 */
const timeSession: BenchCase = {
  name: 'session start+end pair vs atomic UPDATE debit',
  target: { throughputRatio: 0.5, p99Ratio: 2 },
  async setup({ platform, baseline }) {
    const users = await seedUsers(platform, 200, 1);
    const cards = await platform.db.query<{ id: string }>(`SELECT id FROM time_cards WHERE user_id = ANY($1::text[])`, [users.map((u) => u.id)]);
    // A connection borrows a user for one start+end and returns it when the end answered. A run
    // that stops between the two keeps its users (their session stays live), hence the spares.
    const free = [...users];
    let nextCard = 0;
    const run = randomBytes(3).toString('hex');
    baseline.post('/baseline/debit/:id', async (request) => {
      const rows = await platform.db.query(
        `UPDATE time_cards SET remaining_seconds = remaining_seconds - $2 WHERE id = $1 AND remaining_seconds >= $2 RETURNING remaining_seconds`,
        [(request.params as { id: string }).id, 1],
      );
      return { remaining: (rows[0] as { remaining_seconds: number } | undefined)?.remaining_seconds ?? null };
    });
    type Ctx = { user?: { authorization: string; id: string }; n?: number };
    let counter = 0;
    return {
      target: {
        perOperation: 2,
        initialContext: {},
        requests: [
          {
            method: 'POST',
            path: '/time/session/start',
            setupRequest: (req, context) => {
              const ctx = context as Ctx;
              const u = free.shift()!;
              ctx.user = u;
              ctx.n = ++counter;
              return {
                ...req,
                headers: { authorization: u.authorization, 'content-type': 'application/json' },
                body: JSON.stringify({ session_id: `b${run}_${ctx.n}`, room_name: `bench_${u.id}` }),
              };
            },
          },
          {
            method: 'POST',
            path: '/time/session/end',
            setupRequest: (req, context) => {
              const ctx = context as Ctx;
              return {
                ...req,
                headers: { authorization: ctx.user!.authorization, 'content-type': 'application/json' },
                body: JSON.stringify({ session_id: `b${run}_${ctx.n}` }),
              };
            },
            onResponse: (_status, _body, context) => {
              const ctx = context as Ctx;
              if (ctx.user) free.push(ctx.user);
              ctx.user = undefined;
            },
          },
        ],
      },
      baseline: {
        requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, path: `/baseline/debit/${cards[nextCard++ % cards.length]!.id}` }) }],
      },
      reference: {
        label: 'the same routes with one SELECT 1 each instead of the session SQL',
        app: await createApp(platform, { name: 'bench-reference', title: 'Bench reference', routes: [trivialSqlRoutes(platform)] }),
      },
    };
  },
};
export default timeSession;
