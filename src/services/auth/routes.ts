import type { FastifyPluginAsync } from 'fastify';
import type { Platform } from '../../platform.js';
import { accountRoutes, jwksRoutes } from './account-routes.js';
import { sessionRoutes, type SessionHooks } from './session-routes.js';

/** Every Auth service route; each plugin is its own encapsulated scope. */
export function authRoutes(platform: Platform, hooks: SessionHooks = {}): FastifyPluginAsync {
  return async (app) => {
    await app.register(sessionRoutes(platform, hooks));
    await app.register(accountRoutes(platform));
    await app.register(jwksRoutes(platform));
  };
}
