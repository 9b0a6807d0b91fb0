import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Platform } from '../../platform.js';

/** How long a serialised public list stays fresh in memory (and in clients' caches). */
export const PUBLIC_MAX_AGE_SECONDS = 15;
const MAX_ENTRIES = 256;

interface Entry {
  body: string;
  etag: string;
  expiresAt: number;
}

/**
 * Serialised public responses (the anonymous catalogue list, categories), so repeated reads
 * skip the database and serialisation. This process's writes that change them (a rating, a
 * started session) clear it; other instances' writes show within PUBLIC_MAX_AGE_SECONDS.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly now: () => number) {}

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt > this.now()) return e;
    if (e) this.entries.delete(key);
    return undefined;
  }

  set(key: string, body: string): Entry {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    const entry = { body, etag: etagOf(body), expiresAt: this.now() + PUBLIC_MAX_AGE_SECONDS * 1000 };
    this.entries.set(key, entry);
    return entry;
  }

  clear(): void {
    this.entries.clear();
  }
}

// One cache per database, shared by the Persona app and the gateway in the same process.
const caches = new WeakMap<object, ResponseCache>();
export function responseCache(platform: Platform): ResponseCache {
  let cache = caches.get(platform.db);
  if (!cache) {
    cache = new ResponseCache(() => platform.clock.now().getTime());
    caches.set(platform.db, cache);
  }
  return cache;
}

export const etagOf = (body: string): string => `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;

/** Sends pre-serialised JSON with its ETag, or 304 when the client already holds it. */
export function sendJson(request: FastifyRequest, reply: FastifyReply, body: string, etag: string, cacheControl: string) {
  reply.header('etag', etag).header('cache-control', cacheControl).header('vary', 'Authorization');
  const match = request.headers['if-none-match'];
  if (match?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).send();
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
