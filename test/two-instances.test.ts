import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import type { Database } from '../src/db/database.js';
import type { App } from '../src/http/app.js';
import { reconcile } from '../src/services/time/reconcile.js';
import { sweepOnce } from '../src/services/time/sweeper.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { giveBalance } from './support/accounts.js';
import { createTestDatabase } from './support/database.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

// Two platform instances on one database, as two processes behind a load balancer: their
// background sweeps race over the same sessions and cards, and apply each change once.
let db: Database;
let clock: ManualClock;
let one: TestPlatform;
let two: TestPlatform;
let apps: App[];
beforeAll(async () => {
  db = await createTestDatabase();
  clock = new ManualClock(new Date());
  one = await createTestPlatform({}, { db, clock });
  two = await createTestPlatform({}, { db, clock });
  apps = [await buildGatewayApp(one), await buildGatewayApp(two)];
});
afterAll(async () => {
  for (const app of apps ?? []) await app.close();
  await db?.close();
});

describe('two instances on one database', () => {
  it('sweep capped sessions and lapsed cards concurrently: each session is debited once, each card expires once', async () => {
    const users = await Promise.all(Array.from({ length: 12 }, () => createUser(one)));
    for (const [i, u] of users.entries()) {
      await giveBalance(one, u.id, 60 + i);
      // Each instance signs with its own keys here: the token comes from the instance asked.
      const token = await (i % 2 === 0 ? one : two).accessTokens.sign({ sub: u.id, email: u.email, role: 'user' });
      const res = await apps[i % 2]!.inject({ method: 'POST', url: '/time/session/start', headers: { authorization: `Bearer ${token}` }, payload: { session_id: 'sweep', room_name: `room_${u.id}` } });
      expect(res.statusCode).toBe(200);
    }
    clock.advance(600);
    const results = await Promise.all([sweepOnce(one), sweepOnce(two), sweepOnce(one), sweepOnce(two)]);
    expect(results.reduce((n, r) => n + r.sessionsClosed, 0)).toBe(users.length);
    const sessions = await db.query<{ status: string; charged_seconds: number; debits: number }>(
      `SELECT s.status, s.charged_seconds, (SELECT COUNT(*)::int FROM ledger_entries e WHERE e.time_session_id = s.id) AS debits
         FROM time_sessions s WHERE s.user_id = ANY($1::text[]) ORDER BY s.charged_seconds`,
      [users.map((u) => u.id)],
    );
    expect(sessions).toEqual(users.map((_, i) => ({ status: 'completed', charged_seconds: 60 + i, debits: 1 })));

    // Cards lapse (admin grants last 30 days): both instances expire them, once.
    for (const u of users) await giveBalance(one, u.id, 100);
    clock.advance(31 * 86400);
    const expiries = await Promise.all([sweepOnce(one), sweepOnce(two)]);
    expect(expiries.reduce((n, r) => n + r.cardsExpired, 0)).toBe(users.length * 2);
    const [expired] = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM ledger_entries WHERE kind = 'expiry' AND user_id = ANY($1::text[])`, [users.map((u) => u.id)]);
    expect(expired?.n).toBe(users.length);
    expect(await reconcile(db)).toEqual([]);
  });
});
