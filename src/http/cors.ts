import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

/** Where browser apps are served from while they are being built (Vite, Next/CRA, webpack, Angular, …). */
export const DEV_ORIGINS = [5173, 4173, 3000, 3001, 8080, 8081, 4200, 5000]
  .flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`]);

/** How long a browser may reuse a preflight answer (Chromium caps it at 2 h). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * The origins allowed to call the API from a browser: CORS_ORIGINS (comma-separated,
 * or `*` for any), by default the local dev-server origins outside production and none in it.
 */
export function allowedOrigins(config: Pick<Config, 'CORS_ORIGINS' | 'isProduction'>): string[] | '*' {
  if (config.CORS_ORIGINS === undefined) return config.isProduction ? [] : DEV_ORIGINS;
  if (config.CORS_ORIGINS.trim() === '*') return '*';
  return config.CORS_ORIGINS.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

/**
 * CORS through @fastify/cors: allowlisted origins only, no credentials (the API takes
 * Bearer tokens, not cookies), preflights cached, and the headers a client reads exposed,
 * for requests that carry an Origin.
 */
export async function installCors(app: FastifyInstance, config: Config): Promise<void> {
  const origins = allowedOrigins(config);
  const allowed = origins === '*' ? '*' : origins.length > 0 ? origins : false;
  await app.register(cors, {
    // A request without an Origin does not come from a page: it gets no CORS headers (only
    // `Vary: Origin`, so a cache keeps the two answers apart).
    origin: (origin, callback) => callback(null, origin === undefined ? false : allowed),
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'WWW-Authenticate'],
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
    strictPreflight: true,
  });
}
