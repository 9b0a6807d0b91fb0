import type { ServiceModule } from '../service.js';
import { configRoutes } from './config-routes.js';
import { authRoutes } from './routes.js';

/** Auth service (port 8000): users, access and refresh tokens, LiveKit tokens. */
export const authService: ServiceModule = {
  name: 'auth',
  title: 'MindBot Auth',
  port: (c) => c.AUTH_PORT,
  routes: (p) => [authRoutes(p), configRoutes(p)],
};
