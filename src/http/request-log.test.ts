import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { createApp, type App } from './app.js';
import { publicRoutes } from './routes.js';
import { createTestPlatform, type TestPlatform } from '../../test/support/platform.js';

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
    done();
  },
});

let platform: TestPlatform;
let app: App;
beforeAll(async () => {
  platform = await createTestPlatform();
  const routes = publicRoutes(async (scope) => {
    scope.get('/probe/quiet', async () => ({ ok: true }));
    scope.get('/probe/chatty', async (request) => {
      request.log.warn({ password: 'hunter2 canary', attempt: 2 }, 'probe warned');
      request.log.info('probe said');
      return { ok: true };
    });
    scope.get('/probe/boom', async () => {
      throw new Error('probe failure');
    });
  });
  app = await createApp({ ...platform, log: createLogger('info', sink) }, { name: 'probe', title: 'Probe', routes: [routes] });
});
afterAll(async () => {
  await app.close();
  await platform.db.close();
});

const of = (reqId: string) => lines.filter((l) => l.reqId === reqId);

describe('what a request logs', () => {
  it('is one line when it completes, with its id, route, status and duration', async () => {
    const res = await app.inject('/probe/quiet');
    const mine = of(res.headers['x-request-id'] as string);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ msg: 'request', service: 'probe', method: 'GET', route: '/probe/quiet', status: 200, ms: expect.any(Number) });
  });

  it('carries the request id and the service in every line logged through request.log, with the redaction rules', async () => {
    const res = await app.inject('/probe/chatty');
    const mine = of(res.headers['x-request-id'] as string);
    expect(mine.map((l) => l.msg)).toEqual(['probe warned', 'probe said', 'request']);
    expect(mine[0]).toMatchObject({ level: 40, service: 'probe', attempt: 2, password: '[redacted]' });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });

  it('ties a failure to its request', async () => {
    const res = await app.inject('/probe/boom');
    expect(res.statusCode).toBe(500);
    const mine = of(res.headers['x-request-id'] as string);
    expect(mine.find((l) => l.level === 50)).toMatchObject({ service: 'probe', err: { message: 'probe failure' } });
    expect(mine.at(-1)).toMatchObject({ msg: 'request', status: 500 });
  });
});
