import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { unauthenticated } from './errors.js';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * Prometheus metrics for one app: request counts and latency by route and status. With a
 * token, /metrics answers only `Authorization: Bearer <token>`; `expose: false` (production
 * without METRICS_TOKEN) serves no /metrics at all.
 */
export function installMetrics(app: FastifyInstance, service: string, access: { token?: string; expose: boolean } = { expose: true }): void {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'status'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'HTTP requests served', labelNames, registers: [registry] });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });

  // Label children are looked up once per (method, route, status): hashing label sets
  // on every request costs more than the observation itself.
  const children = new Map<string, { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof latency.labels> }>();
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: ids and query strings would explode cardinality.
    const route = request.routeOptions.url ?? 'unmatched';
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let child = children.get(key);
    if (!child) {
      const labels = { method: request.method, route, status: String(reply.statusCode) };
      child = { count: requests.labels(labels), time: latency.labels(labels) };
      children.set(key, child);
    }
    child.count.inc();
    child.time.observe(reply.elapsedTime / 1000);
    done();
  });

  if (!access.expose) return;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  const expected = access.token === undefined ? null : digest(`Bearer ${access.token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      throw unauthenticated('Metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>.');
    }
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
}
