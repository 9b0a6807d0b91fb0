import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAdminTestApp, signInAdmin } from '../../test/support/admin.js';
import { createTwinTestDatabases, onPostgres } from '../../test/support/database.js';
import { closeGateway, openGateway } from '../../test/support/gateway.js';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform.js';
import { buildGatewayApp } from '../../src/start/gateway.js';
import type { App } from './app.js';
import { revokeUserTokens } from './user-standing.js';

let platform: TestPlatform;
let app: App;
let ip = 0;
let n = 0;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

async function signUp() {
  const email = `standing${++n}_${Date.now()}@example.com`;
  const res = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email, password: 'correct horse', full_name: 'Ada' },
    remoteAddress: `10.9.0.${++ip}`,
  });
  const body = res.json();
  const [row] = await platform.db.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
  return { id: row!.id, email, access: body.access_token as string, refresh: body.refresh_token as string };
}
const me = (token: string) => app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } });
const refresh = (token: string) =>
  app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token: token }, remoteAddress: `10.9.1.${++ip}` });

describe("a user's standing, checked on every authenticated request", () => {
  it('revoking signs the user out everywhere at once: old access and refresh tokens are refused, a new sign-in works', async () => {
    const u = await signUp();
    expect((await me(u.access)).statusCode).toBe(200);
    platform.clock.advance(1_000);
    await revokeUserTokens(platform.db, u.id, platform.clock.now());

    const old = await me(u.access);
    expect(old.statusCode).toBe(401);
    expect(old.json().detail).toMatch(/revoked/);
    expect((await refresh(u.refresh)).statusCode).toBe(401);

    platform.clock.advance(1);
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: u.email, password: 'correct horse' },
      remoteAddress: `10.9.2.${++ip}`,
    });
    expect(login.statusCode).toBe(200);
    expect((await me(login.json().access_token)).statusCode).toBe(200);
  });

  it('a disabled account is refused with its existing token and cannot sign in or refresh', async () => {
    const u = await signUp();
    await platform.db.query('UPDATE users SET disabled_at = $2 WHERE id = $1', [u.id, platform.clock.now()]);
    const res = await me(u.access);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/disabled/);
    expect((await refresh(u.refresh)).statusCode).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { email: u.email, password: 'correct horse' },
      remoteAddress: `10.9.3.${++ip}`,
    });
    expect(login.statusCode).toBe(401);
    expect(login.json().detail).toMatch(/disabled/);
  });

  it('the stored role counts, not the one in the token: a demoted admin loses admin rights at once', async () => {
    const u = await signUp();
    await platform.db.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [u.id]);
    const adminToken = await platform.accessTokens.sign({ sub: u.id, email: u.email, role: 'admin' });
    await platform.db.query(`UPDATE users SET role = 'user' WHERE id = $1`, [u.id]);
    const { requireAdmin } = await import('./authenticate.js');
    const request = { headers: { authorization: `Bearer ${adminToken}` } } as never;
    await expect(requireAdmin(platform)(request)).rejects.toMatchObject({ status: 403 });
  });

  it("a deleted account's token is refused", async () => {
    const token = await platform.accessTokens.sign({ sub: 'usr_gone', email: 'gone@example.com', role: 'user' });
    const res = await me(token);
    expect(res.statusCode).toBe(401);
  });
});

/** A change made on another connection counts once its notice arrives: at once on PGlite, a moment later on Postgres. */
const refusedSoon = async (request: () => Promise<{ statusCode: number }>) => {
  if (onPostgres) await expect.poll(async () => (await request()).statusCode, { timeout: 10_000 }).toBe(401);
  else expect((await request()).statusCode).toBe(401);
};

describe('the standing kept between requests (the clock stands still: only a notice or a revocation can end it)', () => {
  it('a revocation on this instance counts on the very next request, after lookups were kept', async () => {
    const u = await signUp();
    expect((await me(u.access)).statusCode).toBe(200);
    expect((await me(u.access)).statusCode).toBe(200);
    platform.clock.advance(1_000);
    await platform.db.transaction((tx) => revokeUserTokens(tx, u.id, platform.clock.now()));
    expect((await me(u.access)).statusCode).toBe(401);
  });

  it('a change made with SQL counts as soon as its notice is heard', async () => {
    const u = await signUp();
    expect((await me(u.access)).statusCode).toBe(200);
    expect((await me(u.access)).statusCode).toBe(200);
    await platform.db.query('UPDATE users SET disabled_at = $2 WHERE id = $1', [u.id, platform.clock.now()]);
    await refusedSoon(() => me(u.access));
  });
});

describe.runIf(onPostgres)('two instances on one Postgres database', () => {
  it('an account disabled through one instance is refused by the other', async () => {
    const [dbA, dbB] = await createTwinTestDatabases();
    const a = await createTestPlatform({}, { db: dbA });
    const b = await createTestPlatform({}, { db: dbB });
    const adminApp = (await buildAdminTestApp(a)).app;
    const gatewayB = await buildGatewayApp(b);
    try {
      const reg = await gatewayB.inject({ method: 'POST', url: '/auth/register', payload: { email: 'twin@example.com', password: 'correct horse', full_name: 'Twin' } });
      const auth = { authorization: `Bearer ${reg.json().access_token}` };
      const meB = () => gatewayB.inject({ url: '/auth/me', headers: auth });
      expect((await meB()).statusCode).toBe(200);
      expect((await meB()).statusCode).toBe(200);
      const admin = await signInAdmin(a, adminApp);
      const id = (await meB()).json().id as string;
      const off = await adminApp.inject({ method: 'POST', url: `/admin/users/${id}/disable`, headers: admin.auth, payload: { reason: 'test' } });
      expect(off.statusCode).toBe(200);
      await refusedSoon(meB);
    } finally {
      await adminApp.close();
      await gatewayB.close();
      await dbA.close();
      await dbB.close();
    }
  });
});
