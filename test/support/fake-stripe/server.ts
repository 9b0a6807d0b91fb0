import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the few Stripe API endpoints MindBot calls, for tests that go
 * through the real SDK (STRIPE_API_BASE points at it). Endpoints live in their own files
 * as `FakeStripeRoutes` (payment-intents.ts; customers/subscriptions can be added the same
 * way) and are mounted with `startFakeStripe([paymentIntentRoutes, ...])`.
 */
export interface FakeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  /** The form body decoded into nested objects (metadata[user_id]=… → {metadata: {user_id}}). */
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export interface FakeResponse {
  status?: number;
  body: unknown;
}

export type FakeHandler = (req: FakeRequest, fake: FakeStripe) => FakeResponse;

export interface FakeRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with :params, e.g. /v1/payment_intents/:id */
  path: string;
  handler: FakeHandler;
}

export type FakeStripeRoutes = FakeRoute[];

export interface FakeStripe {
  url: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** Objects the fake created, by id (handlers share them). */
  objects: Map<string, Record<string, unknown>>;
  /** Responses already given per Idempotency-Key, as Stripe replays them. */
  idempotent: Map<string, FakeResponse>;
  id(prefix: string): string;
  close(): Promise<void>;
}

export async function startFakeStripe(routeSets: FakeStripeRoutes[]): Promise<FakeStripe> {
  const routes = routeSets.flat().map((r) => ({ ...r, regex: new RegExp(`^${r.path.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`) }));
  const fake: FakeStripe = {
    url: '',
    requests: [],
    objects: new Map(),
    idempotent: new Map(),
    id: (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const body = decodeForm(req.method === 'GET' ? url.searchParams.toString() : text);
      let response: FakeResponse = { status: 404, body: { error: { type: 'invalid_request_error', message: `No fake for ${req.method} ${url.pathname}` } } };
      for (const r of routes) {
        const m = r.method === req.method ? r.regex.exec(url.pathname) : null;
        if (!m) continue;
        const request: FakeRequest = { method: r.method, path: url.pathname, params: { ...m.groups }, body, headers: req.headers };
        fake.requests.push(request);
        const key = req.headers['idempotency-key'];
        const replay = typeof key === 'string' ? fake.idempotent.get(key) : undefined;
        response = replay ?? r.handler(request, fake);
        if (typeof key === 'string' && !replay) fake.idempotent.set(key, response);
        break;
      }
      res.writeHead(response.status ?? 200, { 'content-type': 'application/json', 'request-id': fake.id('req') });
      res.end(JSON.stringify(response.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Decodes Stripe's bracketed form encoding into nested objects (arrays become index-keyed objects). */
export function decodeForm(text: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const parts = rawKey.split(/[[\]]+/).filter(Boolean);
    let node = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = value;
      else {
        node[p] ??= {};
        node = node[p] as Record<string, unknown>;
      }
    });
  }
  return out;
}
