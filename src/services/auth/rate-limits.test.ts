import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import type { App } from '../../http/app.js';
import { buildGatewayApp } from '../../start/gateway.js';
import { buildServiceApp } from '../service.js';
import { authService } from './index.js';
import { FAILURE_WINDOW_SECONDS, MAX_LOGIN_FAILURES } from './login-failures.js';

const PER_IP = 12;
let platform: TestPlatform;
let app: App;
let ip = 0;
const from = () => `10.3.0.${++ip}`;

beforeAll(async () => {
  platform = await createTestPlatform({ AUTH_RATE_LIMIT_PER_MINUTE: String(PER_IP) });
  app = await buildGatewayApp(platform);
});
afterAll(async () => {
  await app.close();
  await platform.db.close();
});

let n = 0;
async function account(): Promise<string> {
  const email = `limits${++n}_${Date.now()}@example.com`;
  const res = await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password: 'right-password', full_name: 'L' }, remoteAddress: from() });
  expect(res.statusCode).toBe(201);
  return email;
}
// Every attempt from a new address: these tests are about the per-account limit alone.
const login = (email: string, password: string) =>
  app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress: from() });

describe('per-account failed-login limit', () => {
  it('refuses the 11th failed login within 15 minutes with 429 and Retry-After, even with the right password', async () => {
    const email = await account();
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) expect((await login(email, `wrong-${i}`)).statusCode).toBe(401);
    const refused = await login(email, 'right-password');
    expect(refused.statusCode).toBe(429);
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(FAILURE_WINDOW_SECONDS);
    expect(refused.json().detail).toMatch(/Too many requests/);
    expect(refused.json().access_token).toBeUndefined();
    // Letter case does not give a fresh counter.
    expect((await login(email.toUpperCase(), 'right-password')).statusCode).toBe(429);
  });

  it('lets the account in again once the window has passed', async () => {
    const email = await account();
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) await login(email, 'wrong');
    const refused = await login(email, 'right-password');
    expect(refused.statusCode).toBe(429);
    platform.clock.advance(Number(refused.headers['retry-after']));
    expect((await login(email, 'right-password')).statusCode).toBe(200);
  });

  it('counts only failures: successful logins never lock an account', async () => {
    const email = await account();
    for (let i = 0; i < MAX_LOGIN_FAILURES + 2; i++) expect((await login(email, 'right-password')).statusCode).toBe(200);
    for (let i = 0; i < MAX_LOGIN_FAILURES - 1; i++) await login(email, 'wrong');
    expect((await login(email, 'right-password')).statusCode).toBe(200);
  });

  it('limits unknown emails the same way, so the answer reveals nothing', async () => {
    const email = `nobody${Date.now()}@example.com`;
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) expect((await login(email, 'guess')).statusCode).toBe(401);
    expect((await login(email, 'guess')).statusCode).toBe(429);
  });

  it('concurrent guesses cannot slip past the limit', async () => {
    const email = await account();
    const results = await Promise.all(Array.from({ length: MAX_LOGIN_FAILURES + 5 }, (_, i) => login(email, `wrong-${i}`)));
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(MAX_LOGIN_FAILURES);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(5);
  });

  it('the Auth port and the gateway share one count (a second port gives no extra guesses)', async () => {
    const authApp = await buildServiceApp(platform, authService);
    try {
      const email = await account();
      for (let i = 0; i < MAX_LOGIN_FAILURES; i++) {
        const target = i % 2 === 0 ? app : authApp;
        const res = await target.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'wrong' }, remoteAddress: from() });
        expect(res.statusCode).toBe(401);
      }
      const refused = await authApp.inject({ method: 'POST', url: '/auth/login', payload: { email, password: 'right-password' }, remoteAddress: from() });
      expect(refused.statusCode).toBe(429);
    } finally {
      await authApp.close();
    }
  });

  it('a locked account does not affect other accounts', async () => {
    const locked = await account();
    for (let i = 0; i < MAX_LOGIN_FAILURES; i++) await login(locked, 'wrong');
    expect((await login(await account(), 'right-password')).statusCode).toBe(200);
  });
});

describe('per-IP limit', () => {
  it.each(['/auth/login', '/auth/register', '/auth/refresh'])('%s: one address gets AUTH_RATE_LIMIT_PER_MINUTE requests, then 429', async (url) => {
    const address = `10.4.${url.length}.1`;
    // A new email each time, so only the per-IP limit can be what answers 429.
    const payload = () => ({ email: `ip_${++n}_${Date.now()}@example.com`, password: 'short', refresh_token: 'x' });
    for (let i = 0; i < PER_IP; i++) {
      const res = await app.inject({ method: 'POST', url, payload: payload(), remoteAddress: address });
      expect(res.statusCode).not.toBe(429);
    }
    const limited = await app.inject({ method: 'POST', url, payload: payload(), remoteAddress: address });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await app.inject({ method: 'POST', url, payload: payload(), remoteAddress: '10.4.99.99' });
    expect(other.statusCode).not.toBe(429);
  });
});
