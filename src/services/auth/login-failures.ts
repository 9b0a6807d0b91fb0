import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../clock.js';
import type { Platform } from '../../platform.js';

/** Failed logins allowed per account within the window; the next attempt is refused. */
export const MAX_LOGIN_FAILURES = 10;
export const FAILURE_WINDOW_SECONDS = 15 * 60;

/**
 * Counts failed logins per account (the lower-cased email, known or not, so the answer
 * never tells whether an account exists). Only failures count, but each attempt holds
 * its slot while the password is checked, so concurrent guesses cannot slip past the
 * limit: `attempt` reserves, `succeeded` gives the slot back.
 */
export interface LoginFailures {
  /** 0 when the attempt may proceed (a slot is now reserved), else seconds until it may. */
  attempt(account: string): Promise<number>;
  /** The reserved slot was not a failure after all. */
  succeeded(account: string): Promise<void>;
}

function accountKey(account: string): string {
  // Emails stay out of the store's keys.
  return createHash('sha256').update(account.toLowerCase()).digest('base64url');
}

/** One process's memory: a sliding window of failure times per account, on the platform clock. */
export function memoryLoginFailures(clock: Clock, maxAccounts = 100_000): LoginFailures {
  const failures = new Map<string, number[]>();
  const windowMs = FAILURE_WINDOW_SECONDS * 1000;
  const recent = (key: string, now: number) => {
    const list = (failures.get(key) ?? []).filter((t) => t > now - windowMs);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  };
  return {
    async attempt(account) {
      const now = clock.now().getTime();
      if (failures.size >= maxAccounts) for (const k of failures.keys()) recent(k, now);
      const key = accountKey(account);
      const list = recent(key, now);
      if (list.length >= MAX_LOGIN_FAILURES) {
        const oldestThatCounts = list[list.length - MAX_LOGIN_FAILURES]!;
        return Math.max(1, Math.ceil((oldestThatCounts + windowMs - now) / 1000));
      }
      failures.set(key, [...list, now]);
      return 0;
    },
    async succeeded(account) {
      const key = accountKey(account);
      const list = failures.get(key);
      if (list && list.length > 0) failures.set(key, list.slice(0, -1));
    },
  };
}

// Decrements only a live key: a slot released after the window expired must not leave a key without a TTL.
const RELEASE = `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0`;

/**
 * Shared across instances: a counter per account whose window starts at its first
 * failure and ends when the key expires (Redis time).
 */
export function redisLoginFailures(redis: Redis, prefix = 'mindbot-login-fail:'): LoginFailures {
  const release = (key: string) => redis.eval(RELEASE, 1, key);
  return {
    async attempt(account) {
      const key = prefix + accountKey(account);
      const results = await redis.multi().set(key, 0, 'EX', FAILURE_WINDOW_SECONDS, 'NX').incr(key).ttl(key).exec();
      const count = Number(results?.[1]?.[1] ?? 0);
      if (count <= MAX_LOGIN_FAILURES) return 0;
      await release(key);
      return Math.max(1, Number(results?.[2]?.[1] ?? FAILURE_WINDOW_SECONDS));
    },
    async succeeded(account) {
      await release(prefix + accountKey(account));
    },
  };
}

const perPlatform = new WeakMap<Platform, LoginFailures>();

/**
 * The platform's one store: every app built on it (the Auth port and the gateway in one
 * process) counts into the same place, so a second port gives no extra guesses.
 */
export function loginFailuresFor(platform: Platform): LoginFailures {
  let store = perPlatform.get(platform);
  if (!store) {
    store = platform.redis ? redisLoginFailures(platform.redis) : memoryLoginFailures(platform.clock);
    perPlatform.set(platform, store);
  }
  return store;
}
