import { randomBytes } from 'node:crypto';
import type { BenchCase } from '../lib.js';
import { seedUsers } from '../seed.js';

/**
 * POST /time/session/start + /time/session/end as one operation vs a bare route doing a
 * single atomic debit (`UPDATE … WHERE remaining >= $1`). Each connection bills as its own
 * user, since a user has one live session at a time.
 */
const timeSession: BenchCase = {
  name: 'session start+end pair vs atomic UPDATE debit',
  target: { throughputRatio: 0.5, p99Ratio: 2 },
  async setup({ platform, baseline }) {
    const users = await seedUsers(platform, 64, 1);
    const cards = await platform.db.query<{ id: string }>(`SELECT id FROM time_cards WHERE user_id = ANY($1::text[])`, [users.map((u) => u.id)]);
    // A connection borrows a user for one start+end and returns it when the end answered.
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
              const u = (ctx.user = free.shift()!);
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
    };
  },
};
export default timeSession;
