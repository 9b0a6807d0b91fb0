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
  scope.post('/probe/defaults', { schema: { body: Type.Object({ loud: Type.Boolean({ default: false }), note: Type.Optional(Type.String()) }) } }, async (req) => req.body);
  scope.post('/probe/choice', { schema: { body: Type.Object({ quality: Type.Union(['low', 'high'].map((q) => Type.Literal(q))), size: Type.Optional(Type.Integer({ minimum: 1 })) }) } }, async (req) => req.body);
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

  it('names each failing field once in words, with the allowed values of an enum', async () => {
    const res = await app.inject({ method: 'POST', url: '/probe/choice', payload: { quality: 'ultra', size: 0 } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({
      code: 'validation_failed',
      detail: 'Invalid request: quality must be one of: low, high; size must be at least 1.',
      errors: [
        { field: 'quality', message: 'must be one of: low, high', allowed: ['low', 'high'] },
        { field: 'size', message: 'must be at least 1' },
      ],
    });
    const missing = await app.inject({ method: 'POST', url: '/probe/choice', payload: {} });
    expect(missing.json().errors).toEqual([{ field: 'quality', message: 'is required' }]);
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

  it('takes a POST without a body as the empty object', async () => {
    const json = { 'content-type': 'application/json' };
    for (const headers of [json, {}]) {
      const ok = await app.inject({ method: 'POST', url: '/probe/defaults', headers });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ loud: false });
    }
    const missing = await app.inject({ method: 'POST', url: '/probe/echo', headers: json, payload: '' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors.map((e: { field: string }) => e.field).sort()).toEqual(['age', 'name']);
  });

  it('documents request fields with a default as optional', async () => {
    const spec = (await app.inject('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    const body = spec.paths['/probe/defaults'].post.requestBody;
    expect(body.required).toBe(false);
    expect(body.content['application/json'].schema.required).toBeUndefined();
    expect(spec.paths['/probe/echo'].post.requestBody.content['application/json'].schema.required).toEqual(['name', 'age']);
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
