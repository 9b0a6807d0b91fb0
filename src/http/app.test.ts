import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { createApp, type App } from './app.js';
import { conflict } from './errors.js';
import { publicRoutes, signedInRoutes, type RoutePlugin } from './routes.js';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform.js';
import { createUser } from '../../test/support/users.js';

let platform: TestPlatform;
let app: App;

const probeRoutes = (p: TestPlatform): RoutePlugin => publicRoutes(async (scope) => {
  scope.post('/probe/echo', { schema: { body: Type.Object({ name: Type.String({ minLength: 2 }), age: Type.Integer() }) } }, async (req) => req.body);
  scope.get('/probe/boom', async () => {
    throw new Error('secret internal detail');
  });
  scope.get('/probe/conflict', async () => {
    throw conflict('Already there.');
  });
  await scope.register(signedInRoutes(p, (authed) => {
    authed.get('/probe/me', async (req) => ({ id: req.user?.id }));
  }));
});

beforeAll(async () => {
  platform = await createTestPlatform();
  app = await createApp(platform, { name: 'probe', title: 'Probe', routes: [probeRoutes(platform)] });
});
afterAll(async () => {
  await app.close();
  await platform.db.close();
});

describe('every service app', () => {
  it('answers health, readiness, metrics and docs', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', service: 'probe' });
    expect((await app.inject('/ready')).json()).toEqual({ status: 'ready' });
    await app.inject('/health');
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toMatch(/http_requests_total\{[^}]*route="\/health"[^}]*status="200"/);
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    const spec = (await app.inject('/openapi.json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toContain('/probe/echo');
    expect((await app.inject('/docs')).statusCode).toBeLessThan(400);
  });

  it('renders validation failures as 422 naming the field, and ignores unknown fields', async () => {
    const bad = await app.inject({ method: 'POST', url: '/probe/echo', payload: { name: 'x', age: 3 } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().detail).toContain('name');
    expect(bad.json().errors[0].field).toBe('name');
    const missing = await app.inject({ method: 'POST', url: '/probe/echo', payload: { name: 'xy' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().detail).toContain('age');
    const extra = await app.inject({ method: 'POST', url: '/probe/echo', payload: { name: 'xy', age: 3, admin: true } });
    expect(extra.json()).toEqual({ name: 'xy', age: 3 });
  });

  it('keeps 5xx bodies generic and maps catalogue errors to their status', async () => {
    const boom = await app.inject('/probe/boom');
    expect(boom.statusCode).toBe(500);
    expect(boom.json()).toEqual({ detail: 'Internal server error.', code: 'internal' });
    expect(boom.body).not.toContain('secret');
    const c = await app.inject('/probe/conflict');
    expect(c.statusCode).toBe(409);
    expect(c.headers['x-request-id']).toBeTruthy();
    expect(c.json().detail).toBe('Already there.');
    const nf = await app.inject('/nowhere');
    expect(nf.statusCode).toBe(404);
    expect(nf.json().detail).toContain('/nowhere');
  });

  it('refuses bodies over 64 KiB with 413 and malformed JSON with 400', async () => {
    const big = await app.inject({ method: 'POST', url: '/probe/echo', payload: { name: 'x'.repeat(70_000), age: 1 } });
    expect(big.statusCode).toBe(413);
    expect(big.json().detail).toMatch(/too large/);
    const broken = await app.inject({ method: 'POST', url: '/probe/echo', headers: { 'content-type': 'application/json' }, payload: '{"name":' });
    expect(broken.statusCode).toBe(400);
  });

  it('requires a valid bearer token in an authenticated scope', async () => {
    expect((await app.inject('/probe/me')).statusCode).toBe(401);
    expect((await app.inject({ url: '/probe/me', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    const user = await createUser(platform);
    const ok = await app.inject({ url: '/probe/me', headers: user.auth });
    expect(ok.json()).toEqual({ id: user.id });
    expect(ok.headers['x-request-id']).toBeTruthy();
  });
});
