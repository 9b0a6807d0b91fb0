import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { giveBalance } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

// A seeded fuzzer over every route of the gateway's OpenAPI document (every service's
// routes): bodies, queries and path parameters made from the schemas, valid and not, with
// special values, with and without auth. Nothing may answer 5xx, every refusal is
// `{ detail, code }`, every answer matches the schema the document declares for its status,
// and a refused request changes no row. FUZZ_SEED reproduces a run;
// FUZZ_REQUESTS sets its size.
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 1500);

/** mulberry32: small, seeded, reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL: unknown[] = [
  '', ' ', '\u0000', '\ud800', '\u202e\u2066', 'a'.repeat(5000), '../../etc/passwd', "'; DROP TABLE users; --", '<script>', '%00', 'NaN', 'Infinity',
  -1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, -0.0001, null, true, false, [], {}, [1, 2], { $gt: '' },
];

type Operation = { parameters?: { in: string; name: string; schema?: Schema }[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type Doc = { paths: Record<string, Record<string, Operation>>; components?: Record<string, unknown> };

/**
 * Refusals that come before any route's own code and so may answer on every route (see
 * docs/errors.md): malformed JSON, a path that is not valid UTF-8, an over-long URL. They are
 * checked against the document's `Error` schema.
 */
const ANY_ROUTE: Record<number, string[]> = { 400: ['invalid_json', 'bad_request'], 414: ['uri_too_long'] };

/**
 * Checks a JSON answer against the response schema declared for its status (exact, then `4XX`,
 * then `default`), as Fastify's Ajv would, with the document's components resolvable.
 * Returns a reason when it does not match, undefined when it does.
 */
function responseChecker(doc: Doc) {
  const ajv = addFormats.default(new Ajv({ allErrors: true, strict: false }));
  const compiled = new Map<string, ValidateFunction>();
  return (route: string, op: Operation, status: number, contentType: string | undefined, body: string): string | undefined => {
    const responses = op.responses ?? {};
    let key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => responses[k]);
    let schema = key ? responses[key]!.content?.['application/json']?.schema : undefined;
    if (!key && ANY_ROUTE[status]?.includes((JSON.parse(body) as { code?: string }).code ?? '')) {
      key = `${status} (any route)`;
      schema = { $ref: '#/components/schemas/Error' };
    }
    if (!key) return `status ${status} not declared (${body.slice(0, 120)})`;
    if (!schema || !contentType?.startsWith('application/json')) return undefined;
    const id = `${route} ${key}`;
    let validate = compiled.get(id);
    if (!validate) {
      validate = ajv.compile({ allOf: [schema], components: doc.components });
      compiled.set(id, validate);
    }
    return validate(JSON.parse(body)) ? undefined : `does not match its ${key} schema: ${ajv.errorsText(validate.errors)}`;
  };
}

type Schema = Record<string, unknown> & { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; required?: string[]; enum?: unknown[]; anyOf?: Schema[]; oneOf?: Schema[] };

function valueFor(schema: Schema | undefined, r: () => number, depth = 0): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
  if (!schema || depth > 4) return pick(SPECIAL);
  if (r() < 0.15) return pick(SPECIAL);
  if (schema.enum) return pick(schema.enum);
  if ('const' in schema) return schema.const;
  const alt = schema.anyOf ?? schema.oneOf;
  if (alt) return valueFor(pick(alt), r, depth + 1);
  const type = Array.isArray(schema.type) ? pick(schema.type) : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'email') return `fuzz${Math.floor(r() * 1e6)}@example.com`;
      if (schema.format === 'date') return '1990-01-01';
      if (schema.format === 'date-time') return new Date(Math.floor(r() * 2e12)).toISOString();
      const min = Number(schema.minLength ?? 1);
      return 'x'.repeat(min) + Math.floor(r() * 1e6).toString(36);
    }
    case 'integer':
      return Math.floor(Number(schema.minimum ?? 0) + r() * 10);
    case 'number':
      return Number(schema.minimum ?? 0) + r() * 10;
    case 'boolean':
      return r() < 0.5;
    case 'array':
      return Array.from({ length: Math.floor(r() * 3) }, () => valueFor(schema.items, r, depth + 1));
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) {
        if ((schema.required ?? []).includes(k) ? r() < 0.95 : r() < 0.5) out[k] = valueFor(s, r, depth + 1);
      }
      if (r() < 0.1) out[`extra_${Math.floor(r() * 100)}`] = pick(SPECIAL);
      return out;
    }
    default:
      return pick(SPECIAL);
  }
}

/** A path segment; a lone surrogate goes as the invalid UTF-8 it would be. */
function pathValue(v: unknown): string {
  try {
    return encodeURIComponent(String(v));
  } catch {
    return '%ED%A0%80';
  }
}

const MONEY_TABLES = ['users', 'time_cards', 'ledger_entries', 'time_sessions', 'payment_history', 'user_subscriptions', 'ad_interactions', 'personas', 'coupon_redemptions'];

let platform: TestPlatform;
let app: App;
let users: TestUser[];
beforeAll(async () => {
  ({ platform, app } = await openGateway({ AUTH_RATE_LIMIT_PER_MINUTE: '100000' }));
  users = [await createUser(platform), await createUser(platform)];
  for (const u of users) await giveBalance(platform, u.id, 3600);
});
afterAll(() => closeGateway(platform, app));

const digest = async () =>
  (await platform.db.query<{ d: string }>(
    `SELECT ${MONEY_TABLES.map((t) => `(SELECT md5(COALESCE(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x)`).join(" || ',' || ")} AS d`,
  ))[0]!.d;

describe('schema-driven fuzzing of every route', () => {
  it(`answers ${REQUESTS} seeded requests (seed ${SEED}) without a 5xx, each as its schema declares, refusing in shape and changing nothing when refusing`, async () => {
    await app.ready();
    const doc = structuredClone(app.swagger()) as unknown as Doc;
    const mismatch = responseChecker(doc);
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
    );
    expect(operations.length).toBeGreaterThan(40);
    const r = rng(SEED);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    const failures: string[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const { path, method, op } = pick(operations);
      const url = path.replace(/\{[^}]+\}/g, () => pathValue(r() < 0.7 ? `id_${Math.floor(r() * 1e6)}` : pick(SPECIAL)));
      const query: Record<string, string> = {};
      for (const p of op.parameters ?? []) {
        if (p.in === 'query' && r() < 0.6) query[p.name] = String(valueFor(p.schema, r));
      }
      const auth = pick([{}, users[0]!.auth, users[1]!.auth, { authorization: 'Bearer not.a.token' }, { authorization: `Bearer ${users[0]!.token.slice(0, -4)}AAAA` }]);
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const raw = r() < 0.05;
      const payload = raw ? pick(['{"a":', '[]', 'null', '"x"', '{"__proto__":{"admin":true}}']) : method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(valueFor(bodySchema, r));
      // Webhook receivers need a signature and the agent routes a key: refused before anything, still fuzzed.
      const before = await digest();
      const res = await app.inject({ method: method as 'GET', url, query, headers: { ...auth, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, payload });
      const tag = `#${i} ${method} ${url} → ${res.statusCode}`;
      if (res.statusCode >= 500) failures.push(`${tag}: ${res.body.slice(0, 200)}`);
      let reason: string | undefined;
      try {
        reason = mismatch(`${method} ${path}`, op, res.statusCode, res.headers['content-type'] as string | undefined, res.body);
      } catch (err) {
        reason = `cannot be checked: ${(err as Error).message}`;
      }
      if (reason) failures.push(`${tag} (${method} ${path}): ${reason}`);
      if (res.statusCode >= 400) {
        let body: { detail?: unknown; code?: unknown } = {};
        try {
          body = res.json();
        } catch {
          failures.push(`${tag}: not JSON`);
        }
        if (typeof body.detail !== 'string' || typeof body.code !== 'string') failures.push(`${tag}: not {detail, code}: ${res.body.slice(0, 200)}`);
        if ((await digest()) !== before) failures.push(`${tag}: a refused request changed rows`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
