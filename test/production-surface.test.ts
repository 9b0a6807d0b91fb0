import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';

// What production exposes besides the API: /metrics only with its token, /docs only when
// enabled, and client IPs from X-Forwarded-For only through the configured proxies.
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://unused.example/mindbot',
  JWT_PRIVATE_JWKS: '[{"kid":"unused"}]',
  LIVEKIT_API_KEY: 'APIunused',
  LIVEKIT_API_SECRET: 's'.repeat(32),
  STRIPE_WEBHOOK_SECRET: 'whsec_unused',
  STRIPE_SECRET_KEY: 'sk_test_unused',
  AGENT_API_KEY: 'a'.repeat(32),
  SMTP_URL: 'smtp://unused.example:587',
};
const METRICS_TOKEN = 'm'.repeat(40);

async function open(env: Record<string, string>): Promise<{ platform: TestPlatform; app: App }> {
  const platform = await createTestPlatform(env);
  return { platform, app: await buildGatewayApp(platform) };
}

describe('in production', () => {
  let plain: { platform: TestPlatform; app: App };
  let configured: { platform: TestPlatform; app: App };
  beforeAll(async () => {
    plain = await open(production);
    configured = await open({ ...production, METRICS_TOKEN, DOCS_ENABLED: 'true' });
  });
  afterAll(async () => {
    for (const g of [plain, configured]) {
      await g?.app.close();
      await g?.platform.db.close();
    }
  });

  it('serves no /metrics, /docs or /openapi.json unless configured', async () => {
    for (const url of ['/metrics', '/docs', '/docs/', '/openapi.json']) {
      const res = await plain.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
    expect((await plain.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('answers /metrics only to its bearer token, and /docs when DOCS_ENABLED', async () => {
    const { app } = configured;
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN]) {
      const res = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    }
    const ok = await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('http_requests_total');
    expect((await app.inject({ method: 'GET', url: '/openapi.json' })).statusCode).toBe(200);
  });
});

describe('client addresses behind proxies', () => {
  const login = (app: App, remoteAddress: string, forwarded: string) =>
    app.inject({ method: 'POST', url: '/auth/login', remoteAddress, headers: { 'x-forwarded-for': forwarded }, payload: { email: 'nobody@example.com', password: 'wrong-password' } });

  it('ignore X-Forwarded-For by default, in production too: rotating it does not escape the per-IP limit', async () => {
    const { platform, app } = await open({ ...production, AUTH_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await login(app, '203.0.113.7', `198.51.100.${i}`)).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await app.close();
      await platform.db.close();
    }
  });

  it('believe X-Forwarded-For only from a trusted proxy address', async () => {
    const { platform, app } = await open({ AUTH_RATE_LIMIT_PER_MINUTE: '3', TRUST_PROXY: '10.0.0.1' });
    try {
      const viaProxy = [];
      for (let i = 0; i < 4; i++) viaProxy.push((await login(app, '10.0.0.1', `198.51.100.${i}`)).statusCode);
      expect(viaProxy).toEqual([401, 401, 401, 401]);
      const direct = [];
      for (let i = 0; i < 5; i++) direct.push((await login(app, '203.0.113.9', `198.51.100.${i + 10}`)).statusCode);
      expect(direct).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await app.close();
      await platform.db.close();
    }
  });
});
