import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createPlatform } from '../src/start/platform.js';
import { generateSecrets } from '../src/secrets.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { pgliteDatabase, postgresDatabase, type BenchDatabase } from './databases.js';
import { bareFastify, listen, measure, type BenchCase, type Measured } from './lib.js';

/**
 * npm run bench [-- <case name filter>]: every case in bench/cases against its baseline,
 * on Postgres (when reachable) and on PGlite. Baseline and target alternate for
 * BENCH_ROUNDS rounds of BENCH_SECONDS each, and the median round is reported, so drift
 * of the machine during a run (other work, autovacuum, caches) weighs on both sides alike.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const filter = process.argv[2];

async function loadCases(): Promise<BenchCase[]> {
  const dir = fileURLToPath(new URL('./cases/', import.meta.url));
  // agent*.ts measure the voice agent, not an HTTP route: `npm run bench -- agent` runs them.
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.startsWith('agent')).sort();
  const cases = await Promise.all(files.map(async (f) => (await import(`./cases/${f}`)).default as BenchCase));
  return cases.filter((c) => !filter || c.name.includes(filter));
}

const fmt = (m: Measured) => `${m.opsPerSec.toFixed(0)} ops/s, p99 ${m.p99Ms} ms${m.errors || m.non2xx ? ` (${m.errors} errors, statuses ${JSON.stringify(m.statusCodes)})` : ''}`;

async function runOn(database: BenchDatabase, cases: BenchCase[]): Promise<boolean> {
  let ok = true;
  for (const c of cases) {
    const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', MAX_ACTIVE_SESSIONS_PER_USER: '1' });
    const platform = await createPlatform({ config, db: database.db, log: createLogger('silent'), secrets: await generateSecrets() });
    const app = await buildGatewayApp(platform);
    const appUrl = await listen(app);
    const baseline = bareFastify();
    const loads = await c.setup({ platform, app, appUrl, baseline, seconds });
    const baselineUrl = await listen(baseline);
    const referenceUrl = loads.reference ? await listen(loads.reference.app) : null;
    await measure(baselineUrl, loads.baseline, 1);
    await measure(appUrl, loads.target, 1);
    if (referenceUrl) await measure(referenceUrl, loads.target, 1);
    const measured: { base: Measured; target: Measured; ratio: number; p99: number; reference: number | null }[] = [];
    for (let r = 0; r < rounds; r++) {
      const base = await measure(baselineUrl, loads.baseline, seconds);
      const target = await measure(appUrl, loads.target, seconds);
      const reference = referenceUrl ? (await measure(referenceUrl, loads.target, seconds)).opsPerSec / base.opsPerSec : null;
      measured.push({ base, target, ratio: target.opsPerSec / base.opsPerSec, p99: target.p99Ms / Math.max(base.p99Ms, 1), reference });
    }
    const median = <T>(xs: T[], by: (x: T) => number): T => [...xs].sort((a, b) => by(a) - by(b))[Math.floor(xs.length / 2)]!;
    const { base, target, ratio } = median(measured, (m) => m.ratio);
    const p99 = median(measured, (m) => m.p99).p99;
    const failures = measured.reduce((n, m) => n + m.target.non2xx + m.target.errors, 0);
    const pass = ratio >= c.target.throughputRatio && p99 <= c.target.p99Ratio && failures === 0;
    ok &&= pass;
    console.log(`[${database.kind}] ${c.name}`);
    console.log(`  baseline ${fmt(base)}`);
    console.log(`  target   ${fmt(target)}`);
    console.log(`  ratio ${ratio.toFixed(2)} (target ≥ ${c.target.throughputRatio}), p99 ×${p99.toFixed(2)} (target ≤ ${c.target.p99Ratio}) ${pass ? 'PASS' : 'MISS'}`);
    console.log(`  rounds: ${measured.map((m) => m.ratio.toFixed(2)).join(', ')} (medians shown)`);
    if (loads.reference) {
      console.log(`  reference, ${loads.reference.label}: ratio ${median(measured, (m) => m.reference!).reference!.toFixed(2)} (not judged)`);
      await loads.reference.app.close();
    }
    await app.close();
    await baseline.close();
  }
  return ok;
}

if (filter === '--as-started') {
  const { runAsStarted } = await import('./as-started/run.js');
  process.exit((await runAsStarted()) ? 0 : 1);
}

if (filter === 'agent') {
  const { runAgentBench } = await import('./cases/agent.js');
  process.exit((await runAgentBench()) ? 0 : 1);
}

const cases = await loadCases();
let allOk = true;
for (const make of [postgresDatabase, pgliteDatabase]) {
  const database = await make();
  if (!database) continue;
  try {
    allOk = (await runOn(database, cases)) && allOk;
  } finally {
    await database.drop();
  }
}
console.log(allOk ? 'all cases met their targets' : 'some cases missed their targets');
