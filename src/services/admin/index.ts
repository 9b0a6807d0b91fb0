import compress from '@fastify/compress';
import type { FastifyPluginAsync } from 'fastify';
import { requireAdmin } from '../../http/authenticate.js';
import { guardedRoutes } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import type { ServiceModule } from '../service.js';
import { actionRoutes } from './action-routes.js';
import { exportRoutes } from './export-routes.js';
import { panelRoutes } from './panel.js';
import { readRoutes } from './read-routes.js';
import type { ServiceTarget } from './system.js';

export interface AdminOptions {
  /** The services /admin/system looks at. */
  targets: () => Promise<ServiceTarget[]>;
  /** The Auth service's sign-in routes, served on this port too (the start-up layer passes them). */
  signInRoutes?: FastifyPluginAsync;
  /** The built panel's folder (default admin-ui/dist). */
  panelDist?: string;
}

/**
 * Everything port 8002 serves besides health and metrics: the admin API (every route inside
 * one requireAdmin scope: 401 without a token, 403 for a non-admin), the Auth service's sign-in
 * routes (the same plugin as on 8000, so the panel signs in on its own origin without a proxy
 * or CORS), and the panel itself, all compressed.
 */
export const adminPort = (platform: Platform, opts: AdminOptions): FastifyPluginAsync => async (app) => {
  await app.register(compress, { threshold: 1024 });
  await app.register(guardedRoutes(requireAdmin(platform), async (scope) => {
    await scope.register(readRoutes(platform, opts.targets));
    await scope.register(actionRoutes(platform));
    await scope.register(exportRoutes(platform));
  }));
  if (opts.signInRoutes) await app.register(opts.signInRoutes);
  await app.register(panelRoutes(platform.log, opts.panelDist));
};

/**
 * Admin Panel (port 8002): analytics, monitoring, system management, and the web panel. Made by
 * the start-up layer, which knows the other services (their ports, Auth's sign-in routes).
 */
export function createAdminService(parts: {
  targets: (platform: Platform) => () => Promise<ServiceTarget[]>;
  signInRoutes: (platform: Platform) => FastifyPluginAsync;
}): ServiceModule {
  return {
    name: 'admin',
    title: 'MindBot Admin Panel',
    port: (c) => c.ADMIN_PORT,
    routes: () => [],
    // Operators only: none of it is mounted on the public gateway.
    portRoutes: (platform) => [adminPort(platform, { targets: parts.targets(platform), signInRoutes: parts.signInRoutes(platform) })],
  };
}
