import compress from '@fastify/compress';
import type { FastifyPluginAsync } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/database.js';
import { requireAdmin } from '../../http/authenticate.js';
import type { Logger } from '../../logger.js';
import type { Platform } from '../../platform.js';
import { sessionRoutes } from '../auth/session-routes.js';
import type { ServiceModule } from '../service.js';
import { actionRoutes } from './action-routes.js';
import { exportRoutes } from './export-routes.js';
import { ensureAdmin } from './first-admin.js';
import { panelRoutes } from './panel.js';
import { readRoutes } from './read-routes.js';
import { serviceTargets, type ServiceTarget } from './system.js';

export interface AdminOptions {
  /** The services /admin/system looks at (default: every service at its configured port). */
  targets?: () => Promise<ServiceTarget[]>;
  /** The built panel's folder (default admin-ui/dist). */
  panelDist?: string;
}

/**
 * Everything port 8002 serves besides health and metrics: the admin API (every route inside
 * one requireAdmin scope: 401 without a token, 403 for a non-admin), the Auth service's sign-in
 * routes (the same plugin as on 8000, so the panel signs in on its own origin without a proxy
 * or CORS), and the panel itself, all compressed.
 */
export const adminPort = (platform: Platform, opts: AdminOptions = {}): FastifyPluginAsync => async (app) => {
  await app.register(compress, { threshold: 1024 });
  await app.register(async (scope) => {
    scope.addHook('onRequest', requireAdmin(platform));
    await scope.register(readRoutes(platform, opts.targets ?? (() => serviceTargets(platform.config))));
    await scope.register(actionRoutes(platform));
    await scope.register(exportRoutes(platform));
  });
  await app.register(sessionRoutes(platform));
  await app.register(panelRoutes(platform.log, opts.panelDist));
};

/** Admin Panel (port 8002): analytics, monitoring, system management, and the web panel. */
export const adminService: ServiceModule = {
  name: 'admin',
  title: 'MindBot Admin Panel',
  port: (c) => c.ADMIN_PORT,
  routes: () => [],
  // Operators only: none of it is mounted on the public gateway.
  portRoutes: (platform) => [adminPort(platform)],
};

/** MINDBOT_ADMIN_EMAIL (and _PASSWORD) at start: that account is an administrator. */
export async function ensureAdminFromConfig(db: Database, config: Config, log: Logger): Promise<void> {
  if (!config.MINDBOT_ADMIN_EMAIL) return;
  const outcome = await ensureAdmin(db, {
    email: config.MINDBOT_ADMIN_EMAIL,
    password: config.MINDBOT_ADMIN_PASSWORD,
    now: new Date(),
    reason: 'MINDBOT_ADMIN_EMAIL at start',
  });
  if (outcome !== 'unchanged') log.info({ email: config.MINDBOT_ADMIN_EMAIL, outcome }, 'first administrator set up');
}
