import { createApp, type App } from '../http/app.js';
import type { Platform } from '../platform.js';
import { SERVICES } from '../services/index.js';

/** The whole public API on one origin (port 8080): every service's routes in one app. */
export function buildGatewayApp(platform: Platform): Promise<App> {
  return createApp(platform, {
    name: 'gateway',
    title: 'MindBot API',
    routes: SERVICES.flatMap((s) => s.routes(platform)),
  });
}
