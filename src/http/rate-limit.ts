import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform.js';
import { rateLimited } from './errors.js';

/**
 * Registers @fastify/rate-limit with no global limit: routes opt in through
 * `config: { rateLimit: { max, timeWindow, keyGenerator } }`. Redis-backed when
 * REDIS_URL is set so limits hold across instances; in memory otherwise.
 */
export async function installRateLimit(app: FastifyInstance, platform: Platform): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    redis: platform.redis,
    nameSpace: 'mindbot-rl:',
    skipOnError: true,
    errorResponseBuilder: (_request, context) => rateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  });
}
