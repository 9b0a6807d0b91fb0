import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestPlatform } from '../../../test/support/platform.js';
import type { App } from '../../http/app.js';
import { hashRefreshToken } from './refresh-tokens.js';
import { closeGateway, openGateway } from '../../../test/support/gateway.js';

let platform: TestPlatform;
let app: App;
let ip = 0;
const from = () => `10.2.0.${++ip}`;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

let n = 0;
async function signUp(): Promise<{ access_token: string; refresh_token: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email: `refresh${++n}_${Date.now()}@example.com`, password: 'password-ok', full_name: 'R' },
    remoteAddress: from(),
  });
  expect(res.statusCode).toBe(201);
  return res.json();
}
const refresh = (refresh_token: string) =>
  app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token }, remoteAddress: from() });
const logout = (refresh_token: string) => app.inject({ method: 'POST', url: '/auth/logout', payload: { refresh_token } });

describe('refresh tokens', () => {
  it('rotate: a refresh answers new tokens that work, and the old refresh token is spent', async () => {
    const first = await signUp();
    const res = await refresh(first.refresh_token);
    expect(res.statusCode).toBe(200);
    const second = res.json();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.token_type).toBe('bearer');
    const me = await app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${second.access_token}` } });
    expect(me.statusCode).toBe(200);
    expect((await refresh(second.refresh_token)).statusCode).toBe(200);
  });

  it('reuse of a rotated token revokes the whole family with 401', async () => {
    const first = await signUp();
    const second = (await refresh(first.refresh_token)).json();
    const replay = await refresh(first.refresh_token);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().detail).toMatch(/already used/);
    // The thief's replay also kills the legitimate holder's newer token.
    const legit = await refresh(second.refresh_token);
    expect(legit.statusCode).toBe(401);
    expect(legit.json().detail).toMatch(/revoked/);
  });

  it('other sign-ins (families) are not affected by a revocation', async () => {
    const a = await signUp();
    await refresh(a.refresh_token);
    await refresh(a.refresh_token); // reuse: family a revoked
    const b = await signUp();
    expect((await refresh(b.refresh_token)).statusCode).toBe(200);
  });

  it('logout revokes the family; logging out again is harmless', async () => {
    const first = await signUp();
    const second = (await refresh(first.refresh_token)).json();
    expect((await logout(first.refresh_token)).statusCode).toBe(204);
    expect((await refresh(second.refresh_token)).statusCode).toBe(401);
    expect((await logout(second.refresh_token)).statusCode).toBe(204);
  });

  it('expires after REFRESH_TOKEN_TTL_DAYS', async () => {
    const t = await signUp();
    platform.clock.advance(platform.config.REFRESH_TOKEN_TTL_DAYS * 86_400 + 1);
    const res = await refresh(t.refresh_token);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/expired/);
  });

  it('refuses an unknown or malformed token without changing anything', async () => {
    const unknown = `rt_${'A'.repeat(43)}`;
    expect((await refresh(unknown)).statusCode).toBe(401);
    expect((await logout(unknown)).statusCode).toBe(401);
    expect((await refresh('not-a-token')).statusCode).toBe(422);
    expect((await app.inject({ method: 'POST', url: '/auth/refresh', payload: {} })).statusCode).toBe(422);
  });

  it('stores only the SHA-256 of the token', async () => {
    const t = await signUp();
    const rows = await platform.db.query<{ token_hash: string }>(`SELECT token_hash FROM refresh_tokens WHERE token_hash = $1`, [
      hashRefreshToken(t.refresh_token),
    ]);
    expect(rows).toHaveLength(1);
    const plain = await platform.db.query(`SELECT 1 FROM refresh_tokens WHERE token_hash = $1`, [t.refresh_token]);
    expect(plain).toHaveLength(0);
  });

  it('two concurrent refreshes with one token: at most one succeeds and the family ends revoked', async () => {
    const t = await signUp();
    const [a, b] = await Promise.all([refresh(t.refresh_token), refresh(t.refresh_token)]);
    const codes = [a.statusCode, b.statusCode].sort();
    expect(codes).toEqual([200, 401]);
    const winner = (a.statusCode === 200 ? a : b).json();
    expect((await refresh(winner.refresh_token)).statusCode).toBe(401);
  });
});
