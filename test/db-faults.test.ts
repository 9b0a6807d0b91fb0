import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { createPostgres } from '../src/db/postgres.js';
import type { App } from '../src/http/app.js';
import { toAppError } from '../src/http/error-handler.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { reconcile } from '../src/services/time/reconcile.js';
import { giveBalance, ledgerSeconds } from './support/accounts.js';
import { deliverEvent, signedEvent } from './support/fake-stripe/index.js';
import { onPostgres } from './support/database.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

// Faults only a real Postgres server has: backends terminated under the platform's feet
// and a pool with no connection to hand out.

/** A migrated schema of its own behind a pool of `poolMax` connections that waits `connectTimeoutMs` for one. */
async function openPool(poolMax: number, connectTimeoutMs = 5000): Promise<{ db: Database; schema: string }> {
  const url = process.env.TEST_DATABASE_URL as string;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = createPostgres({ url, poolMax: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, ssl: false });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  const db = createPostgres({ url, poolMax, connectTimeoutMs, statementTimeoutMs: 30_000, ssl: false, schema, preparedStatements: true, applicationName: schema });
  await migrate(db);
  return { db, schema };
}

/** Terminates every backend of the pool opened for `schema` (other test files share the database). */
async function terminateOthers(db: Database, schema: string): Promise<void> {
  await db.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()`,
    [schema],
  );
}

describe.skipIf(!onPostgres)('a terminated database connection', () => {
  let db: Database;
  let schema: string;
  let platform: TestPlatform;
  let app: App;
  beforeAll(async () => {
    ({ db, schema } = await openPool(4));
    platform = await createTestPlatform({}, { db });
    app = await buildGatewayApp(platform);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('fails the transaction it was in with a retryable 503, and the pool serves the next one', async () => {
    const killer = createPostgres({ url: process.env.TEST_DATABASE_URL as string, poolMax: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, ssl: false });
    try {
      const failed = await db
        .transaction(async (tx) => {
          const [me] = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          await killer.query('SELECT pg_terminate_backend($1)', [me?.pid]);
          // Wait until the backend is gone, so its end reaches this client while it is idle.
          while ((await killer.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [me?.pid])).length > 0) {
            await new Promise((r) => setTimeout(r, 10));
          }
          await new Promise((r) => setTimeout(r, 50));
          await tx.query('SELECT 1');
          return 'committed';
        })
        .catch((err: Error) => err);
      expect(failed).toBeInstanceOf(Error);
      const answer = toAppError(failed as Error);
      expect(answer.status).toBe(503);
      expect(answer.code).toBe('database_unavailable');
      expect(answer.extra.headers?.['retry-after']).toBe('1');
      expect(await db.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await killer.close();
    }
  });

  it('costs the requests in flight at most a 503 with Retry-After; the platform answers the next ones', async () => {
    const user = await createUser(platform);
    await giveBalance(platform, user.id, 600);
    const balance = () => app.inject({ method: 'GET', url: '/time/balance', headers: user.auth });
    const inFlight = Array.from({ length: 24 }, () => balance());
    await terminateOthers(platform.db, schema);
    const answers = await Promise.all(inFlight);
    for (const res of answers) {
      expect([200, 503]).toContain(res.statusCode);
      if (res.statusCode === 503) {
        expect(res.headers['retry-after']).toBeDefined();
        expect(res.json()).toMatchObject({ code: expect.stringMatching(/^database_/), detail: expect.any(String) });
      }
    }
    // Idle connections killed as well: the pool drops them without crashing and reconnects.
    await terminateOthers(platform.db, schema);
    const after = await balance();
    expect(after.statusCode).toBe(200);
    expect(after.json().balance.total_minutes).toBe(10);
  });
});

describe.skipIf(!onPostgres)('an exhausted pool', () => {
  let db: Database;
  let platform: TestPlatform;
  let app: App;
  beforeAll(async () => {
    ({ db } = await openPool(2, 200));
    platform = await createTestPlatform({}, { db });
    app = await buildGatewayApp(platform);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('answers 503 database_busy with Retry-After, and recovers once connections are free', async () => {
    const user = await createUser(platform);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let holding = 0;
    let bothHeld!: () => void;
    const held = new Promise<void>((r) => (bothHeld = r));
    const holders = [1, 2].map(() =>
      db.transaction(async (tx) => {
        await tx.query('SELECT 1');
        if (++holding === 2) bothHeld();
        await gate;
      }),
    );
    await held;
    const busy = await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.json()).toEqual({ detail: 'The server is busy; please retry.', code: 'database_busy' });
    release();
    await Promise.all(holders);
    expect((await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth })).statusCode).toBe(200);
  });
});

/** The database, with the first transaction to reach its `at`-th statement terminating its own connection just before it. */
function withFault(db: Database): { db: Database; arm(at: number): void } {
  let armed = 0;
  const faulty: Database = {
    kind: db.kind,
    query: (text, params) => db.query(text, params),
    ping: () => db.ping(),
    close: () => db.close(),
    listen: (channel, handler) => db.listen(channel, handler),
    transaction: (fn) =>
      db.transaction(async (tx) => {
        let n = 0;
        return fn({
          script: (sql) => tx.script(sql),
          query: async (text, params) => {
            if (armed > 0 && ++n === armed) {
              armed = 0;
              await tx.query('SELECT pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
            }
            return tx.query(text, params);
          },
        });
      }),
  };
  return {
    db: faulty,
    arm: (at) => {
      armed = at;
    },
  };
}

describe.skipIf(!onPostgres)('connections terminated mid-transaction', () => {
  let db: Database;
  let schema: string;
  let fault: ReturnType<typeof withFault>;
  let platform: TestPlatform;
  let app: App;
  beforeAll(async () => {
    ({ db, schema } = await openPool(6));
    fault = withFault(db);
    platform = await createTestPlatform({}, { db: fault.db });
    app = await buildGatewayApp(platform);
  });
  afterAll(async () => {
    await platform?.payments.flush();
    await app?.close();
    await db?.close();
  });

  const buy = (user: { auth: Record<string, string> }, key: string) =>
    app.inject({ method: 'POST', url: '/time/purchase', headers: { ...user.auth, 'idempotency-key': key }, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } });

  it('a purchase fails with 503 leaving no card, and its retry buys exactly one', async () => {
    const user = await createUser(platform);
    fault.arm(1);
    const failed = await buy(user, 'fault-buy-1');
    expect(failed.statusCode).toBe(503);
    expect(failed.headers['retry-after']).toBeDefined();
    expect(await db.query(`SELECT 1 FROM time_cards WHERE purchaser_user_id = $1`, [user.id])).toHaveLength(0);
    const retried = await buy(user, 'fault-buy-1');
    expect(retried.statusCode).toBe(200);
    expect((await buy(user, 'fault-buy-1')).json()).toEqual(retried.json());
    await platform.payments.flush();
    expect(await db.query(`SELECT 1 FROM time_cards WHERE purchaser_user_id = $1`, [user.id])).toHaveLength(1);
  });

  it('a webhook fails with 503 applying nothing, and its redelivery applies once', async () => {
    const user = await createUser(platform);
    const bought = (await buy(user, 'fault-buy-2')).json() as { time_card_id: string; payment_intent_id: string; activation_code: string };
    await platform.payments.flush();
    expect((await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: bought.activation_code } })).statusCode).toBe(200);
    const refund = signedEvent(platform, 'charge.refunded', { id: `ch_${bought.time_card_id}`, object: 'charge', amount: 999, amount_refunded: 999, refunded: true, currency: 'usd', payment_intent: bought.payment_intent_id, metadata: {} });
    fault.arm(3);
    expect((await deliverEvent(app, refund)).statusCode).toBe(503);
    expect(await db.query(`SELECT 1 FROM stripe_events WHERE id = $1`, [refund.id])).toHaveLength(0);
    expect(await ledgerSeconds(platform, user.id)).toBe(3600);
    expect((await deliverEvent(app, refund)).statusCode).toBe(200);
    expect((await deliverEvent(app, refund)).statusCode).toBe(200);
    expect(await ledgerSeconds(platform, user.id)).toBe(0);
    expect(await db.query(`SELECT 1 FROM ledger_entries WHERE card_id = $1 AND kind = 'refund_reversal'`, [bought.time_card_id])).toHaveLength(1);
  });

  it('session ends cut off by terminated connections debit exactly once when retried', async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => createUser(platform)));
    for (const u of users) {
      await giveBalance(platform, u.id, 600);
      expect((await app.inject({ method: 'POST', url: '/time/session/start', headers: u.auth, payload: { session_id: 'f', room_name: `room_${u.id}` } })).statusCode).toBe(200);
    }
    platform.clock.advance(60);
    const end = (u: { auth: Record<string, string> }) => app.inject({ method: 'POST', url: '/time/session/end', headers: u.auth, payload: { session_id: 'f' } });
    const inFlight = users.map(end);
    await terminateOthers(db, schema);
    for (const res of await Promise.all(inFlight)) expect([200, 503]).toContain(res.statusCode);
    for (const u of users) {
      const res = await end(u);
      expect(res.statusCode).toBe(200);
      expect(res.json().cost_minutes).toBe(1);
      expect(await ledgerSeconds(platform, u.id)).toBe(540);
    }
    expect(await reconcile(db)).toEqual([]);
  });
});
