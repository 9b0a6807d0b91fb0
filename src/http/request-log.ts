import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';
import type { Logger } from '../logger.js';

/**
 * One log line per completed request (Fastify's own two lines are turned off): method,
 * route pattern, status and duration, with the request id. Never the raw URL (ids, query
 * strings), headers or bodies: the line holds nothing the redaction rules could catch, so
 * it is written through a logger without them, which costs the hottest line a fifth less.
 * Method and route are bound once per pair (a pino child serialises its bindings when made),
 * so a line serialises only what differs per request.
 */
export class RequestLines {
  private readonly lines: Logger;
  /** One child per method and route pattern, both from finite sets. */
  private readonly byRoute = new Map<string, Map<string, Logger>>();

  constructor(log: Logger) {
    this.lines = log.child({}, { redact: [] });
  }

  write(reqId: string, method: string, route: string, status: number, ms: number): void {
    let routes = this.byRoute.get(method);
    if (!routes) {
      routes = new Map();
      this.byRoute.set(method, routes);
    }
    let line = routes.get(route);
    if (!line) {
      line = this.lines.child({ method, route });
      routes.set(route, line);
    }
    line.info({ reqId, status, ms: Math.round(ms * 10) / 10 }, 'request');
  }
}

/** The request line of every request Fastify answers. */
export function installRequestLog(app: FastifyInstance, lines: RequestLines): void {
  app.addHook('onResponse', (request, reply, done) => {
    lines.write(request.id, request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime);
    done();
  });
}

type LogFn = FastifyBaseLogger['info'];
type LogArgs = Parameters<LogFn>;

/**
 * `request.log`, made when a request first logs through it: most requests never do, and a
 * pino child (its bindings serialised through the redaction rules) cost every request more
 * than its own log line. What it writes is what the child would have written.
 */
class RequestLogger {
  #child: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private get log(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.log.level = level;
  }

  fatal(...args: LogArgs): void {
    this.log.fatal(...args);
  }
  error(...args: LogArgs): void {
    this.log.error(...args);
  }
  warn(...args: LogArgs): void {
    this.log.warn(...args);
  }
  info(...args: LogArgs): void {
    this.log.info(...args);
  }
  debug(...args: LogArgs): void {
    this.log.debug(...args);
  }
  trace(...args: LogArgs): void {
    this.log.trace(...args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.log.child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: each request's logger, made lazily (see RequestLogger). */
export function requestLoggerFactory(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}
