import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import type { App } from '../src/http/app.js';
import type { Platform } from '../src/platform.js';

/**
 * A bench case measures one MindBot endpoint against a baseline served from the same
 * process and database in the same run: a bare Fastify route doing the least work the
 * endpoint could possibly do. Cases live in bench/cases/*.ts, one per file, default export.
 */
export interface BenchContext {
  platform: Platform;
  /** The gateway app, listening. */
  app: App;
  appUrl: string;
  /** A bare Fastify app (no plugins) the case adds its baseline route to; listening after setup. */
  baseline: FastifyInstance;
  seconds: number;
}

export interface Load {
  /** Target URL path on its server. */
  requests: autocannon.Request[];
  /** Requests per logical operation (2 for a start+end pair). */
  perOperation?: number;
  /** Per-connection state for requests' setupRequest. */
  initialContext?: Record<string, unknown>;
}

export interface BenchCase {
  name: string;
  /** What the ratio must reach (throughput of the target / of the baseline). */
  target: { throughputRatio: number; p99Ratio: number };
  /** Seeds data, adds the baseline route, returns both loads (and an optional reference). */
  setup(ctx: BenchContext): Promise<{ target: Load; baseline: Load; reference?: Reference }>;
}

/**
 * A third server measured with the target's load and reported as a ratio of the baseline,
 * not judged: it shows where the target's time goes (say, the same routes with their SQL
 * replaced by a trivial statement).
 */
export interface Reference {
  label: string;
  /** Not listening yet; the runner listens and closes it. */
  app: FastifyInstance;
}

export interface Measured {
  opsPerSec: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export async function measure(url: string, load: Load, seconds: number, connections = 10): Promise<Measured> {
  const result = await autocannon({
    url,
    connections,
    duration: seconds,
    requests: load.requests,
    initialContext: load.initialContext,
  });
  return {
    opsPerSec: result.requests.average / (load.perOperation ?? 1),
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, (v as { count: number }).count])),
  };
}

export function bareFastify(): FastifyInstance {
  return Fastify({ logger: false });
}

export async function listen(app: { listen: FastifyInstance['listen']; server: FastifyInstance['server'] }): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
