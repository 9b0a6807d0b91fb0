import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { unauthenticated } from './errors.js';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { RequestMetrics } from './request-metrics.js';

/**
 * Prometheus metrics for one app: request counts and latency by route and status. With a
 * token, /metrics answers only `Authorization: Bearer <token>`; `expose: false` (production
 * without METRICS_TOKEN) serves no /metrics at all.
 */
export function installMetrics(app: FastifyInstance, service: string, access: { token?: string; expose: boolean } = { expose: true }): RequestMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const requests = new RequestMetrics();
  requests.register(registry);
  app.addHook('onResponse', (request, reply, done) => {
    // The route pattern, never the raw URL: ids and query strings would explode cardinality.
    requests.record(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
    done();
  });

  if (!access.expose) return requests;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  const expected = access.token === undefined ? null : digest(`Bearer ${access.token}`);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    if (expected && !timingSafeEqual(digest(request.headers.authorization ?? ''), expected)) {
      throw unauthenticated('Metrics need the metrics token: send Authorization: Bearer <METRICS_TOKEN>.');
    }
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  return requests;
}
