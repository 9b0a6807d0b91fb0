import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import type { Logger } from '../../logger.js';

/** Where `npm run build:admin-ui` writes the panel (never committed). */
export const PANEL_DIST = fileURLToPath(new URL('../../../admin-ui/dist/', import.meta.url));

const IMMUTABLE = 'public, max-age=31536000, immutable';
const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>MindBot Admin</title>
<p>The admin panel has not been built. Run <code>npm run build:admin-ui</code> (it also runs on install, start and test) and restart.</p>`;

/** Paths the single-page app never answers with its page: the API, sign-in, and asset files. */
const NOT_PAGES = /^\/(admin|auth|assets|docs|openapi\.json|health|ready|metrics)(\/|$|\?)/;

/**
 * The panel's files: hashed assets cached for a year (`immutable`), index.html revalidated
 * every time, each served pre-compressed (.br/.gz written by the build) when the browser
 * takes it. Any other GET is a page of the app and gets index.html, except a missing asset,
 * which is a 404 (a stale chunk must not come back as HTML).
 */
export const panelRoutes = (log: Logger, dist = PANEL_DIST): FastifyPluginAsync => async (app) => {
  if (!existsSync(`${dist}index.html`)) {
    log.warn({ dist }, 'admin panel not built: run npm run build:admin-ui');
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.status(503).type('text/html').send(NOT_BUILT));
    return;
  }
  await app.register(fastifyStatic, {
    root: dist,
    prefix: '/',
    wildcard: false,
    preCompressed: true,
    index: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', path.includes('/assets/') ? IMMUTABLE : 'no-cache');
    },
  });
  const page = async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/', { schema: { hide: true } }, page);
  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    if (NOT_PAGES.test(request.url)) {
      return reply.status(404).send({ detail: `No route for GET ${request.url.split('?')[0]}.`, code: 'not_found' });
    }
    return page(request, reply);
  });
};
