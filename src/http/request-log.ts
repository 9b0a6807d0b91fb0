import type { FastifyInstance } from 'fastify';

/**
 * One log line per completed request (Fastify's own two lines are turned off): method,
 * route pattern, status and duration, with the request id the logger binds. Never the raw
 * URL (ids, query strings), headers or bodies.
 */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request',
    );
    done();
  });
}
