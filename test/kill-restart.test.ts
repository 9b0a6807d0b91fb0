import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { createPostgres } from '../src/db/postgres.js';
import { reconcile } from '../src/services/time/reconcile.js';
import { sweepOnce } from '../src/services/time/sweeper.js';
import { createPostgresDatabase, onPostgres } from './support/database.js';
import { createTestPlatform } from './support/platform.js';
import { freePort } from './support/ports.js';
import { type Answer, ok, request } from './support/raw-http.js';
import { startPlatformProcess } from './support/platform-process.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** The time service (its sweeper) and the gateway, as `npm start` runs them; resolves once the gateway answers. */
const start = (env: Record<string, string>, port: number) => startPlatformProcess({ MINDBOT_SERVICES: 'time,gateway', ...env }, port, cleanup);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const answered = (a: Answer): a is { status: number; body: string } => 'status' in a;

/** A request a client sent; `retry` is what it got when it sent the same again after the restart. */
interface Sent {
  kind: 'start' | 'end' | 'purchase';
  user: number;
  sessionId?: string;
  key?: string;
  body: Record<string, unknown>;
  answer: Answer;
  retry?: { status: number; body: string };
}

const URLS = { start: '/time/session/start', end: '/time/session/end', purchase: '/time/purchase' } as const;

// Postgres only. PGlite is a database inside the platform's process: nothing else can open its
// directory while the platform runs, and this test reads the ledger and ages idempotency claims
// while the restarted platform serves. A killed PGlite directory is not tested here.
describe.skipIf(!onPostgres)('kill -9 under load, restarted on the same database', () => {
  it('settles every open session exactly once and keeps every acknowledged purchase exactly once', async () => {
    const database = await createPostgresDatabase();
    cleanup.push(() => database.drop());
    // The same directory both times: the development secrets (token keys) live there.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-kill-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const [port, timePort] = [await freePort(), await freePort()];
    const env = { DATABASE_URL: database.url, MINDBOT_DATA_DIR: dataDir, TIME_PORT: String(timePort) };
    const first = await start(env, port);

    // Users with an hour each: registered, a card bought and activated once its payment landed.
    const users: Record<string, string>[] = [];
    const userIds: string[] = [];
    for (let i = 0; i < 8; i++) {
      const reg = ok(await request(port, 'POST', '/auth/register', {}, { email: `kill${i}_${randomUUID().slice(0, 8)}@example.com`, password: 'a long password', full_name: `Kill ${i}` }), 201);
      const token: string = JSON.parse(reg.body).access_token;
      const auth = { authorization: `Bearer ${token}` };
      userIds.push(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).sub);
      const bought = JSON.parse(ok(await request(port, 'POST', '/time/purchase', auth, { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' })).body);
      for (let n = 0; ; n++) {
        const a = await request(port, 'POST', '/time/activate', auth, { activation_code: bought.activation_code });
        if (answered(a) && a.status === 200) break;
        if (n > 100) throw new Error(`activation never succeeded: ${JSON.stringify(a)}`);
        await sleep(100);
      }
      users.push(auth);
    }

    // Load: each user talks in one session after another (start, talk a few hundred ms, end
    // with an Idempotency-Key), buys two cards at once (each with its key) every other session, and reads the balance,
    // until the process is killed.
    const sent: Sent[] = [];
    let killed = false;
    const inFlight = { all: 0, purchases: 0 };
    const send = async (s: Omit<Sent, 'answer'>) => {
      const headers = { ...users[s.user]!, ...(s.key ? { 'idempotency-key': s.key } : {}) };
      const counts = s.kind === 'purchase' ? (['all', 'purchases'] as const) : (['all'] as const);
      for (const c of counts) inFlight[c]++;
      const entry: Sent = { ...s, answer: await request(port, 'POST', URLS[s.kind], headers, s.body) };
      for (const c of counts) inFlight[c]--;
      sent.push(entry);
      return entry;
    };
    const talker = async (user: number) => {
      for (let n = 0; !killed; n++) {
        const sessionId = `talk_${user}_${n}`;
        const started = await send({ kind: 'start', user, sessionId, body: { session_id: sessionId, room_name: `room_${user}_${n}` } });
        if (!answered(started.answer) || started.answer.status !== 200) return;
        await sleep(100 + Math.random() * 400);
        if (n % 2 === 1) {
          // Two at once, so that the kill soon finds purchases in flight (well within the
          // per-user purchase limit: waiting for two lone purchases to overlap could take long).
          const bought = await Promise.all([0, 1].map(() => send({ kind: 'purchase', user, key: randomUUID(), body: { package_id: 'starter_1h' } })));
          if (bought.some((b) => !answered(b.answer))) return;
        }
        const ended = await send({ kind: 'end', user, sessionId, key: randomUUID(), body: { session_id: sessionId, duration_seconds: 1 } });
        if (!answered(ended.answer)) return;
      }
    };
    const reader = async (user: number) => {
      while (!killed && answered(await request(port, 'GET', '/time/balance', users[user]!))) await sleep(5);
    };
    const load = [...users.map((_, u) => talker(u)), ...users.map((_, u) => reader(u))];
    // Mid-load: once sessions have ended and others are open, with requests under way.
    while (sent.filter((s) => s.kind === 'end' && answered(s.answer)).length < 12) await sleep(20);
    while (inFlight.all < 4 || inFlight.purchases < 2) await new Promise((r) => setImmediate(r));
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe(null);
    killed = true;
    await Promise.all(load);
    const cutOff = sent.filter((s) => !answered(s.answer));
    expect(sent.filter((s) => answered(s.answer) && s.answer.status !== 200).map((s) => JSON.stringify(s))).toEqual([]);

    const second = await start(env, port);
    const db = createPostgres({ url: database.url, poolMax: 2, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, ssl: false });
    cleanup.push(() => db.close());

    // What the kill cut off is sent again, the same request with the same key. A key whose
    // first request was cut while it ran is held for a minute as in flight (409): the minute is
    // passed by moving the claims' time back, as the platform's clock would have.
    for (const s of cutOff) {
      const headers = { ...users[s.user]!, ...(s.key ? { 'idempotency-key': s.key } : {}) };
      let again = await request(port, 'POST', URLS[s.kind], headers, s.body);
      if (answered(again) && again.status === 409 && JSON.parse(again.body).code === 'idempotency_in_progress') {
        await db.query(`UPDATE idempotency_keys SET created_at = created_at - interval '61 seconds' WHERE key = $1 AND status = 'in_flight'`, [s.key]);
        again = await request(port, 'POST', URLS[s.kind], headers, s.body);
      }
      s.retry = ok(again);
    }
    expect(cutOff.length).toBeGreaterThan(0);

    // Every purchase acknowledged, before the kill or on its retry, exists once: one card and
    // one payment per key, and no other than the setup card's.
    const purchases = sent.filter((s) => s.kind === 'purchase');
    for (const [u, auth] of users.entries()) {
      const mine = purchases.filter((p) => p.user === u).map((p) => JSON.parse((p.retry ?? (p.answer as { body: string })).body) as { payment_intent_id: string; time_card_id: string });
      const listed = (JSON.parse(ok(await request(port, 'GET', '/payments', auth)).body).payments as { id: string }[]).map((p) => p.id);
      for (const m of mine) expect(listed.filter((l) => l === m.payment_intent_id), m.payment_intent_id).toHaveLength(1);
      expect(listed).toHaveLength(1 + mine.length);
      const [cards] = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM time_cards WHERE kind = 'purchase' AND purchaser_user_id = $1`, [userIds[u]]);
      expect(cards!.n).toBe(1 + mine.length);
    }
    // A purchase acknowledged before the kill, sent again with its key, answers the same card.
    const acked = purchases.find((p) => answered(p.answer))!;
    const replay = ok(await request(port, 'POST', URLS.purchase, { ...users[acked.user]!, 'idempotency-key': acked.key! }, acked.body));
    expect(JSON.parse(replay.body).time_card_id).toBe(JSON.parse((acked.answer as { body: string }).body).time_card_id);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    // Sessions still open are the sweeper's: past their cap (the user's hour, the 12 h limit)
    // it ends each, billed at the cap. Its clock is moved past every cap, as if 13 h had passed.
    const clock = new ManualClock(new Date(Date.now() + 13 * 3600_000));
    const sweeper = await createTestPlatform({}, { db, clock });
    cleanup.push(() => sweeper.payments.flush());
    const open = await db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM time_sessions WHERE status = 'active'`);
    expect(open[0]!.n).toBeGreaterThan(0);
    expect((await sweepOnce(sweeper)).sessionsClosed).toBe(open[0]!.n);
    expect((await sweepOnce(sweeper)).sessionsClosed).toBe(0);

    // Every session a client started exists once, is settled, and has exactly one debit.
    const sessions = await db.query<{ session_id: string; status: string; debits: number }>(
      `SELECT s.session_id, s.status, (SELECT COUNT(*)::int FROM ledger_entries e WHERE e.time_session_id = s.id AND e.kind = 'session_debit') AS debits
         FROM time_sessions s ORDER BY s.session_id`,
    );
    const startedIds = [...new Set(sent.filter((s) => s.kind === 'start' && (answered(s.answer) || s.retry)).map((s) => s.sessionId!))].sort();
    expect(sessions.map((s) => s.session_id)).toEqual(startedIds);
    expect(sessions.filter((s) => s.status !== 'completed' || s.debits !== 1)).toEqual([]);
    // Balances are credits − debits, never negative, and every other ledger rule holds.
    expect(await reconcile(db)).toEqual([]);
  }, 120_000);
});
