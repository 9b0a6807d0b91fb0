import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { reconcile } from '../src/services/time/reconcile.js';
import { createPlatform } from '../src/start/platform.js';
import { generateSecrets } from '../src/secrets.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { postgresDatabase } from './databases.js';

/**
 * `npm run load`: LOAD_USERS users (default 100) each buy a card, activate it, and talk in
 * LOAD_SESSIONS sessions (default 3) with balance reads between, all at once through the
 * gateway on a fresh Postgres database; then every ledger invariant is checked. Prints
 * throughput, p50/p99 latency and the error rate; exits 1 on any 5xx or mismatch.
 */
const USERS = Number(process.env.LOAD_USERS ?? 100);
const SESSIONS = Number(process.env.LOAD_SESSIONS ?? 3);

const database = await postgresDatabase();
if (!database) process.exit(2);
const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '1000000' });
const platform = await createPlatform({ config, db: database.db, log: createLogger('silent'), secrets: await generateSecrets() });
const app = await buildGatewayApp(platform);

const latencies: number[] = [];
const statuses = new Map<number, number>();
async function call(method: 'GET' | 'POST', url: string, auth: Record<string, string>, payload?: object) {
  const t0 = performance.now();
  const res = await app.inject({ method, url, headers: auth, payload });
  latencies.push(performance.now() - t0);
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  return res;
}

async function user(i: number): Promise<void> {
  const email = `load${i}_${Date.now()}@example.com`;
  const reg = await call('POST', '/auth/register', {}, { email, password: 'load-password-1', full_name: `Load ${i}` });
  if (reg.statusCode !== 201) return;
  const auth = { authorization: `Bearer ${reg.json().access_token}` };
  const bought = await call('POST', '/time/purchase', { ...auth, 'idempotency-key': `load-${i}` }, { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' });
  if (bought.statusCode !== 200) return;
  await platform.payments.flush();
  await call('POST', '/time/activate', auth, { activation_code: bought.json().activation_code });
  for (let s = 0; s < SESSIONS; s++) {
    await call('POST', '/time/session/start', auth, { session_id: `l${i}s${s}`, room_name: `room_load_${i}_${s}` });
    await call('GET', '/time/balance', auth);
    await call('POST', '/time/session/end', auth, { session_id: `l${i}s${s}` });
  }
}

const t0 = performance.now();
await Promise.all(Array.from({ length: USERS }, (_, i) => user(i)));
const seconds = (performance.now() - t0) / 1000;
const mismatches = await reconcile(platform.db);

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
const errors = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
console.log(`load: ${USERS} users × ${SESSIONS} sessions on Postgres, ${latencies.length} requests in ${seconds.toFixed(1)} s`);
console.log(`throughput ${(latencies.length / seconds).toFixed(0)} req/s, p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, 5xx rate ${((errors / Math.max(1, latencies.length)) * 100).toFixed(2)} %`);
console.log(`statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
for (const m of mismatches) console.log(`mismatch ${m.check}\t${m.subject}\t${m.detail}`);
console.log(mismatches.length === 0 ? 'ledger invariants: all hold' : `ledger invariants: ${mismatches.length} mismatch(es)`);

await app.close();
await platform.payments.flush?.();
await database.drop();
process.exit(errors > 0 || mismatches.length > 0 ? 1 : 0);
