import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { emptyPostgresDatabase } from '../databases.js';
import { ROOT, rssMb, startBaseline, startPlatform, type Started } from './processes.js';

/**
 * `npm run bench -- --as-started`: the platform as users run it (`npm start`: every service,
 * the default log level, output read by another process), driven from this process with
 * CONNECTIONS connections; the baseline a bare Fastify process on the same kind of
 * database. Baseline and target alternate for BENCH_ROUNDS rounds of BENCH_SECONDS; the
 * median ratio is judged, the spread printed. The catalogue's rounds also drive the bare Fastify
 * sending the platform's own list body, reported beside the verdict: what that body's size
 * costs by itself. Then memory and start-up: first start on a
 * new PGlite directory, a restart on it, and a start on Postgres, each idle IDLE_MS after
 * every port answered.
 */
const CONNECTIONS = 64;
const IDLE_MS = 5000;
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
const USERS = 16;

interface Round {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function drive(url: string, paths: string[], headers: Record<string, string>[] = [{}], duration = seconds): Promise<Round> {
  let next = 0;
  const r = await autocannon({
    url,
    connections: CONNECTIONS,
    duration,
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: paths[next % paths.length]!, headers: headers[next++ % headers.length]! }) }],
  });
  return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;
/** The median of the rounds, then their spread (and what follows it in the parentheses). */
const summary = (xs: number[], then = '') => `${median(xs).toFixed(2)} (rounds ${spread(xs)}${then})`;

/** One server's rounds against the baseline's rounds: throughput and p99, as ratios. */
class Against {
  readonly rps: number[] = [];
  readonly p99: number[] = [];

  add(server: Round, baseline: Round): void {
    this.rps.push(server.rps / baseline.rps);
    this.p99.push(server.p99 / Math.max(baseline.p99, 1));
  }
}

/** Driven in the same rounds and reported beside the verdict, not judged: what bounds the target. */
interface Reference {
  label: string;
  drive: () => Promise<Round>;
}

async function compare(label: string, target: () => Promise<Round>, baseline: () => Promise<Round>, goal: { ratio: number; p99: number }, reference?: Reference) {
  await baseline();
  await target();
  await reference?.drive();
  const measured = new Against();
  const referenced = new Against();
  let failures = 0;
  let last: { t: Round; b: Round } | null = null;
  for (let i = 0; i < rounds; i++) {
    const b = await baseline();
    const t = await target();
    measured.add(t, b);
    if (reference) referenced.add(await reference.drive(), b);
    failures += t.non2xx + t.errors;
    last = { t, b };
  }
  const pass = median(measured.rps) >= goal.ratio && median(measured.p99) <= goal.p99 && failures === 0;
  console.log(`  ${label}`);
  console.log(`    last round: target ${last!.t.rps.toFixed(0)} req/s p99 ${last!.t.p99} ms; baseline ${last!.b.rps.toFixed(0)} req/s p99 ${last!.b.p99} ms`);
  console.log(
    `    ratio ${summary(measured.rps, `; target ≥ ${goal.ratio}`)}, p99 ×${summary(measured.p99, `; target ≤ ${goal.p99}`)}${failures ? `, ${failures} failed requests` : ''} ${pass ? 'PASS' : 'MISS'}`,
  );
  if (reference) console.log(`    ${reference.label}: ratio ${summary(referenced.rps)}, p99 ×${summary(referenced.p99)}, not judged`);
  return pass;
}

async function signUp(gateway: string, n: number): Promise<{ id: string; authorization: string }[]> {
  const users = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${gateway}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `bench_${randomBytes(5).toString('hex')}@bench.example`, password: 'bench password 1', full_name: 'Bench User' }),
    });
    if (res.status !== 201) break;
    const body = (await res.json()) as { access_token: string };
    const me = (await (await fetch(`${gateway}/auth/me`, { headers: { authorization: `Bearer ${body.access_token}` } })).json()) as { id: string };
    users.push({ id: me.id, authorization: `Bearer ${body.access_token}` });
  }
  if (users.length === 0) throw new Error('could not register a bench user');
  return users;
}

async function idleRss(started: Started): Promise<number> {
  await new Promise((r) => setTimeout(r, IDLE_MS));
  return rssMb(started.child.pid!);
}

async function hotPaths(kind: string, started: Started, baselineDatabase: string): Promise<boolean> {
  const gateway = `http://127.0.0.1:${started.ports.at(-1)}`;
  const users = await signUp(gateway, USERS);
  // The bare Fastify also serves the platform's own list body: what a body that size costs by itself.
  const bodyDir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-bench-body-'));
  const body = path.join(bodyDir, 'personas.json');
  await writeFile(body, await (await fetch(`${gateway}/personas?limit=20`)).text());
  const base = await startBaseline(baselineDatabase, users.map((u) => u.id), body);
  try {
    console.log(`[${kind}] ${CONNECTIONS} connections, ${rounds} rounds of ${seconds} s, alternating`);
    const auth = users.map((u) => ({ authorization: u.authorization }));
    let ok = await compare(
      'GET /time/balance vs one primary-key SELECT',
      () => drive(gateway, ['/time/balance'], auth),
      () => drive(base.url, users.map((u) => `/baseline/user/${u.id}`)),
      { ratio: 0.8, p99: 1.5 },
    );
    ok = (await compare(
      "GET /personas?limit=20 vs {hello:'world'}",
      () => drive(gateway, ['/personas?limit=20']),
      () => drive(base.url, ['/baseline/hello']),
      { ratio: 0.8, p99: 1.5 },
      { label: 'the same body from the bare Fastify', drive: () => drive(base.url, ['/baseline/body']) },
    )) && ok;
    return ok;
  } finally {
    await base.stop();
    await rm(bodyDir, { recursive: true, force: true });
  }
}

export async function runAsStarted(): Promise<boolean> {
  console.log(`${new Date().toISOString()} · ${os.cpus().length}× ${os.cpus()[0]?.model} · load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const memory: string[] = [];
  let ok = true;
  const only = process.env.BENCH_DATABASES?.split(',');
  // The compiled start is measured too when `npm run build` has made dist/.
  const compiled = existsSync(path.join(ROOT, 'dist/main.js'));
  if (!compiled) console.log('dist/main.js is missing (npm run build): the compiled start is not measured');

  if (!only || only.includes('postgres')) {
    const database = await emptyPostgresDatabase();
    if (database) {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-bench-'));
      try {
        const started = await startPlatform({ DATABASE_URL: database.url, MINDBOT_DATA_DIR: dataDir });
        memory.push(`postgres (first start, migrations applied): healthy after ${(started.startMs / 1000).toFixed(2)} s, idle RSS ${await idleRss(started)} MB`);
        ok = (await hotPaths('postgres', started, database.url)) && ok;
        await started.stop();
        const again = await startPlatform({ DATABASE_URL: database.url, MINDBOT_DATA_DIR: dataDir });
        memory.push(`postgres (restart): healthy after ${(again.startMs / 1000).toFixed(2)} s, idle RSS ${await idleRss(again)} MB`);
        await again.stop();
        if (compiled) {
          const built = await startPlatform({ DATABASE_URL: database.url, MINDBOT_DATA_DIR: dataDir }, 'compiled');
          memory.push(`postgres, compiled (restart): healthy after ${(built.startMs / 1000).toFixed(2)} s, idle RSS ${await idleRss(built)} MB`);
          await built.stop();
        }
      } finally {
        await database.drop();
        await rm(dataDir, { recursive: true, force: true });
      }
    }
  }
  if (!only || only.includes('pglite')) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-bench-'));
    try {
      const first = await startPlatform({ DATABASE_URL: '', MINDBOT_DATA_DIR: dataDir });
      memory.push(`pglite (first start on a new data directory): healthy after ${(first.startMs / 1000).toFixed(2)} s, idle RSS ${await idleRss(first)} MB`);
      await first.stop();
      const again = await startPlatform({ DATABASE_URL: '', MINDBOT_DATA_DIR: dataDir });
      memory.push(`pglite (restart on that directory): healthy after ${(again.startMs / 1000).toFixed(2)} s, idle RSS ${await idleRss(again)} MB`);
      ok = (await hotPaths('pglite', again, 'pglite')) && ok;
      await again.stop();
      if (compiled) {
        const fresh = path.join(dataDir, 'compiled');
        const first = await startPlatform({ DATABASE_URL: '', MINDBOT_DATA_DIR: fresh }, 'compiled');
        memory.push(`pglite, compiled (first start on a new data directory): healthy after ${(first.startMs / 1000).toFixed(2)} s, idle RSS ${await idleRss(first)} MB`);
        await first.stop();
        const built = await startPlatform({ DATABASE_URL: '', MINDBOT_DATA_DIR: fresh }, 'compiled');
        memory.push(`pglite, compiled (restart on that directory): healthy after ${(built.startMs / 1000).toFixed(2)} s, idle RSS ${await idleRss(built)} MB`);
        await built.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  console.log('memory and start-up (all services in one process, RSS after 5 s idle):');
  for (const m of memory) console.log(`  ${m}`);
  console.log(`load average at the end ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  return ok;
}
