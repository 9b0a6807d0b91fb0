import fp from 'fastify-plugin';
import type { RouteOptions } from 'fastify';
import { createApp, type App } from '../../src/http/app.js';
import { adminPort, type AdminOptions } from '../../src/services/admin/index.js';
import { sessionRoutes } from '../../src/services/auth/session-routes.js';
import { ensureFirstAdmin } from '../../src/start/first-admin.js';
import { buildGatewayApp } from '../../src/start/gateway.js';
import type { TestPlatform } from './platform.js';

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface AdminTestApp {
  app: App;
  /** Every route the admin app registered (method and URL pattern), as the app itself saw them. */
  routes: { method: string; url: string }[];
}

/**
 * The admin port's app as port 8002 builds it, with a hook that records every route it
 * registers, so a test can walk all of them (a route added later cannot escape).
 */
export async function buildAdminTestApp(platform: TestPlatform, opts: Partial<AdminOptions> = {}): Promise<AdminTestApp> {
  const routes: { method: string; url: string }[] = [];
  const record = fp(async (app) => {
    app.addHook('onRoute', (r: RouteOptions) => {
      for (const method of [r.method].flat()) routes.push({ method, url: r.url });
    });
  });
  const app = await createApp(platform, {
    name: 'admin',
    title: 'MindBot Admin Panel',
    routes: [record, adminPort(platform, { targets: async () => [], signInRoutes: sessionRoutes(platform), ...opts })],
  });
  return { app, routes };
}

/** The first admin, made as the start-up makes it; returns a signed-in token. */
export async function signInAdmin(platform: TestPlatform, app: App): Promise<{ id: string; token: string; auth: { authorization: string } }> {
  await ensureFirstAdmin(platform.db, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, now: platform.clock.now(), reason: 'test' });
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD } });
  if (res.statusCode !== 200) throw new Error(`admin login failed: ${res.statusCode} ${res.body}`);
  const token = res.json().access_token as string;
  const me = await app.inject({ method: 'GET', url: '/admin/me', headers: { authorization: `Bearer ${token}` } });
  return { id: me.json().id as string, token, auth: { authorization: `Bearer ${token}` } };
}

export { buildGatewayApp };
