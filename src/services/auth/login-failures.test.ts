import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.js';
import {
  FAILURE_WINDOW_SECONDS,
  MAX_LOGIN_FAILURES,
  memoryLoginFailures,
  redisLoginFailures,
  type LoginFailures,
} from './login-failures.js';

async function fail(store: LoginFailures, account: string, times: number) {
  for (let i = 0; i < times; i++) expect(await store.attempt(account)).toBe(0);
}

describe('memory login failures', () => {
  it('blocks after MAX failures until the oldest counted failure leaves the window', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    const store = memoryLoginFailures(clock);
    await fail(store, 'a@example.com', 1);
    clock.advance(60);
    await fail(store, 'a@example.com', MAX_LOGIN_FAILURES - 1);
    expect(await store.attempt('A@EXAMPLE.COM')).toBe(FAILURE_WINDOW_SECONDS - 60);
    clock.advance(FAILURE_WINDOW_SECONDS - 60);
    // The first failure has left the window: one more attempt is allowed, then blocked again.
    expect(await store.attempt('a@example.com')).toBe(0);
    expect(await store.attempt('a@example.com')).toBe(60);
  });

  it('a success gives its reserved slot back', async () => {
    const store = memoryLoginFailures(new ManualClock());
    for (let i = 0; i < 3 * MAX_LOGIN_FAILURES; i++) {
      expect(await store.attempt('b@example.com')).toBe(0);
      await store.succeeded('b@example.com');
    }
  });
});

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false });
const redisUp = await redis.connect().then(
  () => true,
  () => false,
);
afterAll(() => redis.disconnect());

describe.runIf(redisUp)('redis login failures', () => {
  const prefix = `test-login-fail:${randomBytes(6).toString('hex')}:`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  it('blocks the attempt after MAX failures with the key TTL as Retry-After', async () => {
    const store = redisLoginFailures(redis, prefix);
    await fail(store, 'c@example.com', MAX_LOGIN_FAILURES);
    const wait = await store.attempt('C@example.com');
    expect(wait).toBeGreaterThan(FAILURE_WINDOW_SECONDS - 5);
    expect(wait).toBeLessThanOrEqual(FAILURE_WINDOW_SECONDS);
    expect(await store.attempt('other@example.com')).toBe(0);
  });

  it('concurrent attempts reserve slots atomically, successes give them back', async () => {
    const store = redisLoginFailures(redis, prefix);
    const waits = await Promise.all(Array.from({ length: MAX_LOGIN_FAILURES + 4 }, () => store.attempt('d@example.com')));
    expect(waits.filter((w) => w === 0)).toHaveLength(MAX_LOGIN_FAILURES);
    await store.succeeded('d@example.com');
    expect(await store.attempt('d@example.com')).toBe(0);
    expect(await store.attempt('d@example.com')).toBeGreaterThan(0);
  });

  it('releasing after the window expired leaves no key without a TTL', async () => {
    const store = redisLoginFailures(redis, prefix);
    await store.succeeded('e@example.com');
    expect(await redis.keys(`${prefix}*`).then((ks) => Promise.all(ks.map((k) => redis.ttl(k))))).not.toContain(-1);
  });
});
