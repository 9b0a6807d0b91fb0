import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Platform } from '../platform.js';
import { AppError } from './errors.js';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * `onRequest` hook for the voice agent's encapsulated scope (`/agent/*`): the request must
 * carry `X-Agent-Key` equal to the agent's secret. Compared as SHA-256 digests in constant
 * time, so neither the length nor any prefix of the key leaks through timing. A user's
 * access token is no substitute, and the key is no bearer token anywhere else.
 */
export function requireAgent(platform: Platform) {
  const expected = digest(platform.secrets.agentApiKey);
  return async (request: FastifyRequest): Promise<void> => {
    const presented = request.headers['x-agent-key'];
    const ok = typeof presented === 'string' && presented.length > 0 && timingSafeEqual(digest(presented), expected);
    if (!ok) {
      throw new AppError('agent_unauthenticated', 'This route is for the voice agent: send its key in the X-Agent-Key header.');
    }
  };
}
