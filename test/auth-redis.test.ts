import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_LOGIN_FAILURES } from '../src/services/auth/login-failures.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { createTestDatabase } from './support/database.js';
import { createTestPlatform } from './support/platform.js';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
const redisUp = await probe.connect().then(
  () => true,
  () => false,
);
afterAll(() => probe.disconnect());

const addr = () => `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const credentials = () => ({ email: `redis_${randomBytes(6).toString('hex')}@example.com`, password: 'right-password', full_name: 'R' });

describe.runIf(redisUp)('login limits with REDIS_URL', () => {
  it('two instances share one failure count: a lock seen by one holds on the other', async () => {
    const db = await createTestDatabase();
    const p1 = await createTestPlatform({ REDIS_URL: redisUrl }, { db });
    const p2 = await createTestPlatform({ REDIS_URL: redisUrl }, { db });
    const [a, b] = [await buildGatewayApp(p1), await buildGatewayApp(p2)];
    try {
      const user = credentials();
      expect((await a.inject({ method: 'POST', url: '/auth/register', payload: user, remoteAddress: addr() })).statusCode).toBe(201);
      for (let i = 0; i < MAX_LOGIN_FAILURES; i++) {
        const app = i % 2 === 0 ? a : b;
        const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { ...user, password: 'wrong' }, remoteAddress: addr() });
        expect(res.statusCode).toBe(401);
      }
      const refused = await b.inject({ method: 'POST', url: '/auth/login', payload: user, remoteAddress: addr() });
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
      p1.redis?.disconnect();
      p2.redis?.disconnect();
      await db.close();
    }
  });
});

describe('login limits when Redis is unreachable', () => {
  it('fail open: sign-in still works (and says so in the log, not to the user)', async () => {
    const platform = await createTestPlatform({ REDIS_URL: 'redis://127.0.0.1:1' });
    const app = await buildGatewayApp(platform);
    try {
      const user = credentials();
      expect((await app.inject({ method: 'POST', url: '/auth/register', payload: user, remoteAddress: addr() })).statusCode).toBe(201);
      expect((await app.inject({ method: 'POST', url: '/auth/login', payload: { ...user, password: 'wrong' } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'POST', url: '/auth/login', payload: user })).statusCode).toBe(200);
    } finally {
      await app.close();
      platform.redis?.disconnect();
      await platform.db.close();
    }
  });
});
