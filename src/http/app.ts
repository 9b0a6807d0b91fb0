import { randomUUID } from 'node:crypto';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, LogController } from 'fastify';
import type { Platform } from '../platform.js';
import { installCors } from './cors.js';
import { installDrain } from './drain.js';
import { frameworkErrorReply, installErrorHandler } from './error-handler.js';
import { installJsonBody } from './json-body.js';
import { openApiOptions } from './openapi.js';
import { installMetrics } from './metrics.js';
import { installRateLimit } from './rate-limit.js';
import { answeringFirst, PreparedAnswers } from './prepared-answers.js';
import type { RequestMetrics } from './request-metrics.js';
import { installRequestLog, RequestLines, requestLoggerFactory } from './request-log.js';
import { sharedCompilers } from './schema-compilers.js';
import { AppError } from './errors.js';
import { ErrorResponse, HealthResponse, ReadyResponse } from './schemas.js';

export type App = FastifyInstance;
/** The instance type route plugins receive (TypeBox-typed). */
export type TypedApp = FastifyInstance<
  import('node:http').Server, import('node:http').IncomingMessage, import('node:http').ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider
>;

export interface AppSpec {
  /** Service name, used in logs, metrics and the docs title. */
  name: string;
  title: string;
  /** Route plugins, each registered in its own encapsulated scope. */
  routes: FastifyPluginAsync[];
}

export const BODY_LIMIT_BYTES = 64 * 1024;

/** TRUST_PROXY for Fastify: a hop count trusts that many proxies nearest to us. */
/** A request's id: the caller's X-Request-Id when it sent one, a new UUID otherwise. */
const requestIdOf = (given: string | undefined): string => given || randomUUID();

const fastifyTrustProxy = (trust: number | string[] | false) =>
  typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;

/**
 * Builds one service's Fastify app (or the gateway's, which mounts every service's routes).
 * It never listens: the start-up layer does, tests use `inject`.
 */
export async function createApp(platform: Platform, spec: AppSpec): Promise<App> {
  const log = platform.log.child({ service: spec.name });
  const lines = new RequestLines(log);
  const answers = new PreparedAnswers();
  let requests: RequestMetrics | undefined;
  let closing = false;
  const app = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req) => requestIdOf(req.headers['x-request-id'] as string | undefined),
    trustProxy: fastifyTrustProxy(platform.config.trustProxy),
    ajv: { customOptions: { removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: true } },
    // Requests that arrive while the app closes are refused below, in the `{ detail, code }` shape.
    return503OnClosing: false,
    // Fastify's two lines per request are off: src/http/request-log.ts writes one.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: requestLoggerFactory,
    frameworkErrors: frameworkErrorReply,
    schemaController: { compilersFactory: sharedCompilers },
    // A catalogue answer already prepared is sent before the router (src/http/prepared-answers.ts),
    // with its own request line and metrics; a closing app sends none.
    serverFactory: answeringFirst((req, res) => {
      if (closing) return false;
      const started = performance.now();
      const served = answers.answer(req, res, requestIdOf);
      if (!served) return false;
      const ms = performance.now() - started;
      lines.write(served.requestId, 'GET', served.route, served.status, ms);
      requests?.record('GET', served.route, served.status, ms / 1000);
      return true;
    }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorateRequest('user', null);
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  // Callback style, as every per-request hook here: an async hook costs each request a promise.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done(closing ? new AppError('unavailable', 'The server is shutting down; please retry.', { headers: { 'retry-after': '1' } }) : undefined);
  });
  installDrain(app, platform.config.SHUTDOWN_DRAIN_MS);
  installErrorHandler(app);
  installJsonBody(app);
  const { config } = platform;
  requests = installMetrics(app, spec.name, { token: config.METRICS_TOKEN, expose: !config.isProduction || config.METRICS_TOKEN !== undefined });
  installRequestLog(app, lines);
  answers.install(app);
  await installCors(app, config);
  await installRateLimit(app, platform);

  await app.register(swagger, openApiOptions(spec.title));
  // Production serves the docs only when asked to (DOCS_ENABLED).
  if (!config.isProduction || config.DOCS_ENABLED) {
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  }

  app.get('/health', { schema: { tags: ['ops'], response: { 200: HealthResponse } } }, async () => ({
    status: 'ok' as const,
    service: spec.name,
  }));
  app.get('/ready', { schema: { tags: ['ops'], response: { 200: ReadyResponse, 503: ErrorResponse } } }, async (request) => {
    try {
      await platform.db.ping();
    } catch (err) {
      request.log.error({ err }, 'database not reachable');
      throw new AppError('unavailable', 'Database is not reachable.');
    }
    return { status: 'ready' as const };
  });

  for (const routes of spec.routes) await app.register(routes);
  return app;
}
