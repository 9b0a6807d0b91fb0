import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';
import { type Answer, ok, request } from './support/raw-http.js';
import { startPlatformProcess } from './support/platform-process.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup) await c();
});

/** The gateway on a PGlite directory, as `npm start` runs it; resolves once it answers. */
const start = (dataDir: string, port: number) =>
  startPlatformProcess({ MINDBOT_DATA_DIR: dataDir, DATABASE_URL: '', MINDBOT_SERVICES: 'gateway' }, port, cleanup);

describe('SIGTERM under load', () => {
  it('answers every request on a connection it accepted (200, or 503 once closing), exits 0 and loses nothing', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-sigterm-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const first = await start(dataDir, port);

    // Users with a balance: each registers, buys a card, and activates it once its payment lands.
    const users: { auth: Record<string, string>; balance: unknown }[] = [];
    for (let i = 0; i < 4; i++) {
      const reg = ok(await request(port, 'POST', '/auth/register', {}, { email: `load${i}_${randomUUID().slice(0, 8)}@example.com`, password: 'a long password', full_name: `Load ${i}` }), 201);
      const auth = { authorization: `Bearer ${JSON.parse(reg.body).access_token}` };
      const bought = JSON.parse(ok(await request(port, 'POST', '/time/purchase', auth, { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' })).body);
      for (let n = 0; ; n++) {
        const a = await request(port, 'POST', '/time/activate', auth, { activation_code: bought.activation_code });
        if ('status' in a && a.status === 200) break;
        if (n > 100) throw new Error(`activation never succeeded: ${JSON.stringify(a)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const balance = JSON.parse(ok(await request(port, 'GET', '/time/balance', auth)).body).balance;
      users.push({ auth, balance });
    }

    // Load: balance reads and idempotent purchases from every user, until the process is gone.
    let signalled = false;
    let stop = false;
    const results: { kind: 'balance' | 'purchase'; key: string; user: number; sentAfterSignal: boolean; answer: Answer }[] = [];
    const worker = async (w: number) => {
      for (let n = 0; !stop; n++) {
        const user = w % users.length;
        const purchase = n % 4 === 3;
        const key = randomUUID();
        const sentAfterSignal = signalled;
        const answer = purchase
          ? await request(port, 'POST', '/time/purchase', { ...users[user]!.auth, 'idempotency-key': key }, { package_id: 'starter_1h' })
          : await request(port, 'GET', '/time/balance', users[user]!.auth);
        results.push({ kind: purchase ? 'purchase' : 'balance', key, user, sentAfterSignal, answer });
        if ('error' in answer && answer.error === 'ECONNREFUSED') stop = true;
      }
    };
    const workers = Array.from({ length: 24 }, (_, w) => worker(w));
    // Mid-load: once a good number of requests have been answered.
    while (results.length < 150) await new Promise((r) => setTimeout(r, 20));
    signalled = true;
    const signalAt = performance.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    stop = true;
    await Promise.all(workers);

    // Every answer is complete: a 200, or a 503 in the `{ detail, code }` shape for a request
    // the closing server refused. A connection established before the signal is answered, never
    // reset: the drain phase (src/http/drain.ts) reads its request before closing it. Once the
    // listener is closed a connection is refused; one that reached the accept queue as the
    // listener closed, after the signal, may be reset — such a request did nothing, which the
    // restart below checks.
    const wrong = results.filter(({ answer }) => {
      if ('error' in answer) {
        if (answer.error === 'ECONNREFUSED') return false;
        const afterSignal = answer.connectedAt === undefined || answer.connectedAt > signalAt;
        return !(afterSignal && answer.error === 'ECONNRESET');
      }
      if (answer.status === 200) return false;
      const body = JSON.parse(answer.body) as { detail?: unknown; code?: unknown };
      return !(answer.status === 503 && body.code === 'unavailable' && typeof body.detail === 'string');
    });
    expect(wrong.map((r) => `${r.kind} sentAfterSignal=${r.sentAfterSignal} ${JSON.stringify({ ...r.answer, signalAt }).slice(0, 200)}`)).toEqual([]);
    const bought = results.filter((r) => r.kind === 'purchase' && 'status' in r.answer && r.answer.status === 200);
    expect(bought.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.sentAfterSignal === false && 'status' in r.answer && r.answer.status === 200).length).toBeGreaterThan(150);

    // Restarted on the same directory: each answered purchase exists once, balances are intact.
    const second = await start(dataDir, port);
    for (const [i, u] of users.entries()) {
      expect(JSON.parse(ok(await request(port, 'GET', '/time/balance', u.auth)).body).balance).toEqual(u.balance);
      const listed = (JSON.parse(ok(await request(port, 'GET', '/payments', u.auth)).body).payments as { id: string }[]).map((p) => p.id);
      const mine = bought.filter((b) => b.user === i).map((b) => JSON.parse((b.answer as { body: string }).body).payment_intent_id as string);
      for (const id of mine) expect(listed.filter((l) => l === id), id).toHaveLength(1);
      // The setup card, the answered purchases, and none of those refused.
      expect(listed).toHaveLength(1 + mine.length);
    }
    // A retry of an answered purchase with its key answers it again rather than buying twice.
    const retried = bought[0]!;
    const again = ok(await request(port, 'POST', '/time/purchase', { ...users[retried.user]!.auth, 'idempotency-key': retried.key }, { package_id: 'starter_1h' }));
    expect(JSON.parse(again.body).time_card_id).toBe(JSON.parse((retried.answer as { body: string }).body).time_card_id);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 240_000);
});
