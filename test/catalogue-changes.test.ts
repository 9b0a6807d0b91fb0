import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import type { App } from '../src/http/app.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { buildAdminTestApp, signInAdmin } from './support/admin.js';
import { createTwinTestDatabases, onPostgres } from './support/database.js';
import { closeGateway, openGateway } from './support/gateway.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

/**
 * Over a real socket, as clients ask: a repeated request is answered from its prepared bytes
 * before the router (src/http/prepared-answers.ts), which must show a change as soon as the
 * route's own cache does.
 */
const get = async (a: App, url: string, headers: Record<string, string> = {}) => {
  if (!a.server.listening) await a.listen({ port: 0, host: '127.0.0.1' });
  const res = await fetch(`http://127.0.0.1:${(a.server.address() as AddressInfo).port}${url}`, { headers });
  const body = await res.text();
  return { statusCode: res.status, headers: Object.fromEntries(res.headers), json: () => JSON.parse(body) };
};
const oakName = async (a: App) =>
  (await get(a, '/personas?category=education&limit=100')).json().personas.find((p: { slug: string }) => p.slug === 'professor-oak-tutor')?.name;
const starterPrice = async (a: App) =>
  (await get(a, '/time/pricing')).json().pricing_tiers.find((t: { id: string }) => t.id === 'starter_1h')?.price_cents;

/**
 * A change made on another connection is heard when its notice arrives: at once on PGlite
 * (one connection), a moment later on Postgres (the listening connection).
 */
const shows = async <T>(read: () => Promise<T>, expected: T) => {
  if (onPostgres) await expect.poll(read, { timeout: 10_000 }).toEqual(expected);
  else expect(await read()).toEqual(expected);
};

describe('the cached catalogue answers', () => {
  it('show a change made with plain SQL on the next request, and a new ETag with it', async () => {
    const before = await get(app, '/personas?category=education&limit=100');
    expect(await oakName(app)).toBe('Professor Oak');
    await platform.db.query(`UPDATE personas SET name = 'Professor Oak (SQL)' WHERE slug = 'professor-oak-tutor'`);
    await shows(() => oakName(app), 'Professor Oak (SQL)');
    const after = await get(app, '/personas?category=education&limit=100', { 'if-none-match': before.headers.etag as string });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);

    const categories = await get(app, '/categories');
    expect(categories.statusCode).toBe(200);
    await platform.db.query(`UPDATE persona_categories SET label = 'Learning (SQL)' WHERE value = 'education'`);
    await shows(async () => JSON.stringify((await get(app, '/categories')).json()).includes('Learning (SQL)'), true);

    const plans = await get(app, '/plans');
    expect(plans.statusCode).toBe(200);
    expect(plans.headers.etag).toBeDefined();
    expect((await get(app, '/plans', { 'if-none-match': plans.headers.etag as string })).statusCode).toBe(304);
    await platform.db.query(`UPDATE plans SET name = 'Renamed plan' WHERE id = (SELECT id FROM plans WHERE active ORDER BY sort_order, id LIMIT 1)`);
    await shows(async () => (await get(app, '/plans')).json().plans[0].name, 'Renamed plan');

    const pricing = await get(app, '/time/pricing');
    expect((await get(app, '/time/pricing', { 'if-none-match': pricing.headers.etag as string })).statusCode).toBe(304);
    await platform.db.query(`UPDATE pricing_tiers SET price_cents = 1234 WHERE id = 'starter_1h'`);
    await shows(() => starterPrice(app), 1234);
  });

  it('show a change made through the admin API on the next request', async () => {
    const { app: adminApp } = await buildAdminTestApp(platform);
    const admin = await signInAdmin(platform, adminApp);
    await starterPrice(app);
    const patch = await adminApp.inject({
      method: 'PATCH', url: '/admin/pricing-tiers/starter_1h', headers: admin.auth, payload: { price_cents: 777, reason: 'test' },
    });
    expect(patch.statusCode).toBe(200);
    expect(await starterPrice(app)).toBe(777);

    await oakName(app);
    const renamed = await adminApp.inject({
      method: 'PATCH', url: '/admin/personas/professor-oak-tutor', headers: admin.auth, payload: { name: 'Professor Oak (admin)', reason: 'test' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(await oakName(app)).toBe('Professor Oak (admin)');
    await adminApp.close();
  });
});

describe.runIf(onPostgres)('two instances on one Postgres database', () => {
  const dbs: Database[] = [];
  afterAll(async () => {
    for (const db of dbs) await db.close();
  });

  it('each sees a change the other made, on its next request', async () => {
    const [dbA, dbB] = await createTwinTestDatabases();
    dbs.push(dbA, dbB);
    const platformA = await createTestPlatform({}, { db: dbA });
    const a = (await buildAdminTestApp(platformA)).app;
    const b = await buildGatewayApp(await createTestPlatform({}, { db: dbB }));
    try {
      expect(await oakName(b)).toBe('Professor Oak');
      expect(await starterPrice(b)).toBe(999);
      const adminA = await signInAdmin(platformA, a);
      await a.inject({ method: 'PATCH', url: '/admin/personas/professor-oak-tutor', headers: adminA.auth, payload: { name: 'Oak via A', reason: 'test' } });
      await a.inject({ method: 'PATCH', url: '/admin/pricing-tiers/starter_1h', headers: adminA.auth, payload: { price_cents: 555, reason: 'test' } });
      // The notice travels through the database: B hears it on its own connection.
      await shows(() => oakName(b), 'Oak via A');
      await shows(() => starterPrice(b), 555);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
