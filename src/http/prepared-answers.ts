import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest, FastifyServerOptions } from 'fastify';

/** Whether the answer a request was given is still the current one (its cache entry is still kept). */
export type StillCurrent = () => boolean;

interface Prepared {
  /** The route pattern, for the request line and the metrics. */
  route: string;
  /**
   * Every header Fastify sent with it, as writeHead takes them; the last value is the request
   * id, set for each answer just before writeHead reads the array.
   */
  headers: string[];
  /** As bytes: a string body is encoded again for every answer. */
  body: Buffer;
  current: StillCurrent;
}

/** The answer a request was served, for its request line and metrics. */
export interface Served {
  requestId: string;
  route: string;
  status: number;
}

const MAX_ENTRIES = 256;
const MARK = Symbol('prepared answer');
type Marked = FastifyRequest & { [MARK]?: StillCurrent };

/**
 * Answers to anonymous catalogue requests, kept as Fastify sent them, so that the same
 * request (method, URL and Origin) is answered again with the same bytes before it reaches
 * the router: routing, query validation, hooks and the reply object cost several times what
 * writing the bytes does. Only what the route marked (`prepareAnswer`) is kept, only a 200 to
 * a request without credentials, and only while the route's own cache keeps the entry the
 * answer came from: that cache's invalidation (notices, expiry) is the only one. Everything
 * else, conditional requests included, goes to Fastify.
 */
export class PreparedAnswers {
  private readonly byRequest = new Map<string, Prepared>();

  /** An onSend hook keeps the answers routes marked. */
  install(app: FastifyInstance): void {
    app.addHook('onSend', (request: Marked, reply, payload, done) => {
      const current = request[MARK];
      if (current && reply.statusCode === 200 && typeof payload === 'string' && !request.headers.authorization) {
        const headers: string[] = [];
        for (const [name, value] of Object.entries(reply.getHeaders())) {
          if (name !== 'x-request-id' && value !== undefined) headers.push(name, String(value));
        }
        const body = Buffer.from(payload);
        headers.push('content-length', String(body.length), 'x-request-id', '');
        if (this.byRequest.size >= MAX_ENTRIES) this.byRequest.delete(this.byRequest.keys().next().value as string);
        const route = request.routeOptions.url ?? 'unmatched';
        this.byRequest.set(keyOf(request.raw), { route, headers, body, current });
      }
      done(null, payload);
    });
  }

  /** Sends the answer prepared for `req`, if there is one still current; undefined sends nothing. */
  answer(req: IncomingMessage, res: ServerResponse, requestIdOf: (given: string | undefined) => string): Served | undefined {
    if (req.method !== 'GET') return undefined;
    const plain = plainGet(req.rawHeaders);
    if (!plain) return undefined;
    const key = `${req.url}\n${plain.origin}`;
    const prepared = this.byRequest.get(key);
    if (!prepared) return undefined;
    if (!prepared.current()) {
      this.byRequest.delete(key);
      return undefined;
    }
    const requestId = requestIdOf(plain.requestId);
    prepared.headers[prepared.headers.length - 1] = requestId;
    res.writeHead(200, prepared.headers);
    res.end(prepared.body);
    return { requestId, route: prepared.route, status: 200 };
  }
}

/** What an anonymous catalogue answer depends on: the URL, and the Origin CORS answers. */
const keyOf = (req: IncomingMessage) => `${req.url}\n${req.headers.origin ?? ''}`;

/**
 * A GET's Origin and X-Request-Id, read from its raw headers, so that an answer sent from here
 * does not build `req.headers`. Undefined when a header leaves the request to Fastify:
 * credentials, a condition, a body, or one of these headers given twice.
 */
function plainGet(raw: string[]): { origin: string; requestId: string | undefined } | undefined {
  let origin: string | undefined;
  let requestId: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Only these lengths can be a header that matters here: most names cost one comparison.
    switch (name.length) {
      case 6:
        if (name.toLowerCase() !== 'origin') break;
        if (origin !== undefined) return undefined;
        origin = raw[i + 1]!;
        break;
      case 12:
        if (name.toLowerCase() !== 'x-request-id') break;
        if (requestId !== undefined) return undefined;
        requestId = raw[i + 1]!;
        break;
      case 13:
      case 14:
      case 17: {
        const lower = name.toLowerCase();
        if (lower === 'authorization' || lower === 'if-none-match' || lower === 'content-length' || lower === 'transfer-encoding') return undefined;
        break;
      }
    }
  }
  return { origin: origin ?? '', requestId };
}

/** Marks the answer a route is sending as one to keep while `current` holds (see PreparedAnswers). */
export function prepareAnswer(request: FastifyRequest, current: StillCurrent): void {
  (request as Marked)[MARK] = current;
}

/**
 * Fastify's `serverFactory`: the HTTP server Fastify would make (same timeouts), whose requests
 * are offered to `first` before Fastify's router.
 */
export function answeringFirst(first: (req: IncomingMessage, res: ServerResponse) => boolean) {
  return (handler: http.RequestListener, options: FastifyServerOptions): http.Server => {
    const server = http.createServer((req, res) => {
      if (!first(req, res)) handler(req, res);
    });
    // As Fastify sets up the server it makes itself (lib/server.js), from its defaulted options.
    server.keepAliveTimeout = options.keepAliveTimeout!;
    server.requestTimeout = options.requestTimeout!;
    server.setTimeout(options.connectionTimeout!);
    if (options.maxRequestsPerSocket! > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket!;
    return server;
  };
}
