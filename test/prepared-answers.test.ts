import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { capturedLog } from './support/log-lines.js';
import { createUser } from './support/users.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';

// The anonymous catalogue answers, over real sockets: a repeated request is answered from
// the bytes Fastify sent the first time, before the router (src/http/prepared-answers.ts).

const FRONTEND = 'https://app.example.com';
const { log, lines } = capturedLog('info');

let platform: TestPlatform;
let app: App;
let base = '';
/** Requests that reached Fastify's router. */
let routed = 0;

beforeAll(async () => {
  platform = await createTestPlatform({ CORS_ORIGINS: FRONTEND }, { log });
  app = await buildGatewayApp(platform);
  app.addHook('onRequest', (_request, _reply, done) => {
    routed++;
    done();
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.close();
  await platform?.db.close();
});

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(base + url, { headers });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() };
};
/** The headers two answers to the same request share: all but the request id and the date. */
const lasting = (headers: Record<string, string>) => {
  const { 'x-request-id': _id, date: _date, ...rest } = headers;
  return rest;
};
/** A request written byte for byte (header names as given), on its own connection: the answer's head. */
const rawGet = (url: string, headerLines: string[]) =>
  new Promise<string>((resolve, reject) => {
    const socket = net.connect(Number(new URL(base).port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (received += d));
    socket.on('end', () => resolve(received.slice(0, received.indexOf('\r\n\r\n'))));
    socket.on('error', reject);
    socket.write(`GET ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\n${headerLines.map((l) => `${l}\r\n`).join('')}Connection: close\r\n\r\n`);
  });
const requestLines = () => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');

describe('a repeated anonymous catalogue request', () => {
  it('gets the same bytes without the router, with its own request id, request line and metrics', async () => {
    for (const url of ['/personas?limit=20', '/categories', '/time/pricing', '/plans']) {
      const first = await get(url);
      expect(first.status).toBe(200);
      const before = routed;
      const again = await get(url);
      expect(routed).toBe(before);
      expect(again.status).toBe(200);
      expect(again.body).toBe(first.body);
      expect(lasting(again.headers)).toEqual(lasting(first.headers));
      expect(again.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
      expect(again.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    }

    lines.length = 0;
    const traced = await get('/personas?limit=20', { 'x-request-id': 'trace-me-42' });
    expect(traced.headers['x-request-id']).toBe('trace-me-42');
    expect(requestLines()).toEqual([expect.objectContaining({ reqId: 'trace-me-42', method: 'GET', route: '/personas', status: 200, ms: expect.any(Number) })]);
    // The line names the route, never the URL with its query.
    expect(lines.join('')).not.toContain('limit=20');

    const metrics = await get('/metrics');
    expect(metrics.body).toMatch(/http_requests_total\{method="GET",route="\/personas",status="200",service="gateway"\} 3\n/);
  });

  it('keeps each Origin its own CORS answer', async () => {
    const fromFrontend = await get('/personas?limit=5', { origin: FRONTEND });
    expect(fromFrontend.headers['access-control-allow-origin']).toBe(FRONTEND);
    const fromElsewhere = await get('/personas?limit=5', { origin: 'https://evil.example' });
    expect(fromElsewhere.headers['access-control-allow-origin']).toBeUndefined();
    const fromNoPage = await get('/personas?limit=5');
    expect(fromNoPage.headers['access-control-allow-origin']).toBeUndefined();
    expect(fromNoPage.headers.vary).toBe('Origin, Authorization');
    const frontendAgain = await get('/personas?limit=5', { origin: FRONTEND });
    expect(frontendAgain.headers['access-control-allow-origin']).toBe(FRONTEND);
    expect(frontendAgain.body).toBe(fromFrontend.body);
  });

  it('still goes through the router when it carries credentials or a condition', async () => {
    const url = '/personas?limit=20';
    const prepared = await get(url);
    await get(url);

    const forged = await get(url, { authorization: 'Bearer not-a-token' });
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ code: 'unauthenticated' });

    // A signed-in viewer's list is their own, never the anonymous one kept.
    const user = await createUser(platform);
    const mine = await get(url, user.auth);
    expect(mine.status).toBe(200);
    expect(mine.headers['cache-control']).toMatch(/^private/);

    const before = routed;
    const revalidated = await get(url, { 'if-none-match': prepared.headers.etag! });
    expect(revalidated.status).toBe(304);
    expect(routed).toBe(before + 1);

    // Header names in any case, and repeated headers, as a client may write them.
    expect(await rawGet(url, ['AUTHORIZATION: Bearer not-a-token'])).toMatch(/^HTTP\/1\.1 401 /);
    expect(await rawGet(url, [`If-None-Match: ${prepared.headers.etag}`])).toMatch(/^HTTP\/1\.1 304 /);
    expect(await rawGet(url, ['X-Request-ID: Mixed-Case-1'])).toMatch(/\r\nx-request-id: Mixed-Case-1(\r\n|$)/);
    const twice = await rawGet('/personas?limit=5', ['Origin: https://evil.example', `Origin: ${FRONTEND}`]);
    expect(twice).toMatch(/^HTTP\/1\.1 200 /);
    expect(twice.toLowerCase()).not.toContain('access-control-allow-origin');

    const other = await get('/personas?limit=3');
    expect(other.body).not.toBe(prepared.body);
  });

  it('shows a catalogue change on the next request', async () => {
    const url = '/personas?category=education&limit=100';
    const oak = async () => JSON.parse((await get(url)).body).personas.find((p: { slug: string }) => p.slug === 'professor-oak-tutor')?.name;
    expect(await oak()).toBe('Professor Oak');
    expect(await oak()).toBe('Professor Oak');
    await platform.db.query(`UPDATE personas SET name = 'Professor Oak (prepared)' WHERE slug = 'professor-oak-tutor'`);
    await expect.poll(oak, { timeout: 10_000 }).toBe('Professor Oak (prepared)');
  });
});
