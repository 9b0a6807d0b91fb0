import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { SERVICES } from '../src/services/index.js';
import { buildServiceApp } from '../src/services/service.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { EXAMPLES_FILE, renderExamples } from '../scripts/guide-examples.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';

// biome-ignore lint/suspicious/noExplicitAny: walks an untyped JSON document
type Json = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

let platform: TestPlatform;
const docs: Record<string, Json> = {};
const apps: App[] = [];

beforeAll(async () => {
  platform = await createTestPlatform();
  const gateway = await buildGatewayApp(platform);
  apps.push(gateway);
  for (const service of SERVICES) {
    const app = await buildServiceApp(platform, service);
    apps.push(app);
    await app.ready();
    docs[service.name] = structuredClone(app.swagger()) as Json;
  }
  await gateway.ready();
  docs.gateway = structuredClone(gateway.swagger()) as Json;
});
afterAll(async () => {
  for (const app of apps) await app.close();
  await platform.db.close();
});

const operations = (doc: Json) =>
  Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ route: `${m.toUpperCase()} ${path}`, op: item[m] as Json })),
  );

describe('the OpenAPI documents', () => {
  it('are valid OpenAPI 3.1, the gateway\'s and every service\'s', async () => {
    for (const [name, doc] of Object.entries(docs)) {
      expect(doc.openapi, name).toBe('3.1.0');
      const result = await validate(structuredClone(doc) as never);
      expect(result.valid ? [] : result.errors, name).toEqual([]);
    }
  });

  it('give every route a unique operationId and every status a description and a schema', () => {
    for (const [name, doc] of Object.entries(docs)) {
      const ops = operations(doc);
      expect(ops.length, name).toBeGreaterThan(2);
      // A new route needs an entry in src/http/operations.ts (or schema.operationId).
      expect(ops.filter((o) => typeof o.op.operationId !== 'string').map((o) => o.route), `${name}: routes without an operationId`).toEqual([]);
      const ids = ops.map((o) => o.op.operationId);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i), `${name}: duplicate operationIds`).toEqual([]);
      const incomplete = ops.flatMap(({ route, op }) =>
        Object.entries((op.responses ?? {}) as Json)
          .filter(([status, r]) => !r.description || r.description === 'Default Response' || (status !== '204' && !r.content?.['application/json']?.schema && !r.content?.['text/csv']))
          .map(([status]) => `${route} ${status}`),
      );
      expect(incomplete, `${name}: responses without a description or schema`).toEqual([]);
      expect(ops.filter((o) => !Object.keys(o.op.responses ?? {}).some((s) => Number(s) < 300)).map((o) => o.route), `${name}: no success response`).toEqual([]);
    }
  });

  it('merge every public service into the gateway document, sharing named component schemas', () => {
    const gateway = docs.gateway!;
    for (const name of ['auth', 'time', 'personas', 'monetization', 'webhooks']) {
      for (const { route } of operations(docs[name]!)) {
        const [method, path] = route.split(' ');
        expect(gateway.paths[path!]?.[method!.toLowerCase()], route).toBeDefined();
      }
    }
    const start = gateway.paths['/personas/{slug}/session'].post;
    expect(start.operationId).toBe('startPersonaSession');
    expect(start.responses['402'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(gateway.paths['/time/purchase'].post.responses['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    const body = gateway.components.schemas[start.requestBody.content['application/json'].schema.$ref.split('/').pop()];
    expect(body.properties.quality_preference).toMatchObject({ type: 'string', enum: ['low', 'standard', 'high'], default: 'standard' });
    expect(body.required).toBeUndefined();
    expect(gateway.components.schemas.Error.properties.code.type).toBe('string');
  });

  it('declare Idempotency-Key where it is honoured, X-Request-Id everywhere, and show the guide\'s bodies', () => {
    const gateway = docs.gateway!;
    const params = (op: Json) => (op.parameters as Json[]).map((p) => p.$ref ?? p.name);
    expect(params(gateway.paths['/time/purchase'].post)).toContain('#/components/parameters/IdempotencyKey');
    expect(params(gateway.paths['/personas/{slug}/session'].post)).toContain('#/components/parameters/IdempotencyKey');
    expect(params(gateway.paths['/auth/login'].post)).not.toContain('#/components/parameters/IdempotencyKey');
    for (const { op } of operations(gateway)) {
      expect(params(op)).toContain('#/components/parameters/RequestId');
      for (const r of Object.values(op.responses as Json)) expect((r as Json).headers['X-Request-Id']).toBeDefined();
    }
    const register = gateway.paths['/auth/register'].post;
    expect(register.requestBody.content['application/json'].example).toEqual({ email: 'user@example.com', password: 'secure_password', full_name: 'John Doe' });
    expect(register.responses['201'].content['application/json'].example).toMatchObject({ token_type: 'bearer' });
    expect(gateway.paths['/personas/{slug}/session'].post.requestBody.content['application/json'].example).toMatchObject({ quality_preference: 'standard' });
  });

  it('take their examples from the API guide as it is now (npm run openapi:examples)', () => {
    expect(readFileSync(EXAMPLES_FILE, 'utf8')).toBe(renderExamples());
  });
});
