import type { RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import type { ServiceModule } from '../service.js';
import { configRoutes } from './config-routes.js';
import { authRoutes } from './routes.js';
import type { SessionHooks } from './session-routes.js';

/** What the start-up layer plugs into Auth: registration hooks and further routes on its port (accounts). */
export interface AuthExtensions {
  hooks?(platform: Platform): SessionHooks;
  routes?(platform: Platform): RoutePlugin[];
}

/** Auth service (port 8000): users, access and refresh tokens, LiveKit tokens. */
export function createAuthService(ext: AuthExtensions = {}): ServiceModule {
  return {
    name: 'auth',
    title: 'MindBot Auth',
    port: (c) => c.AUTH_PORT,
    routes: (p) => [authRoutes(p, ext.hooks?.(p)), configRoutes(p), ...(ext.routes?.(p) ?? [])],
  };
}

export const authService: ServiceModule = createAuthService();
