import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CATALOGUE_CHANNEL, type Listening } from '../db/notices.js';
import type { Platform } from '../platform.js';
import { prepareAnswer } from './prepared-answers.js';

/** How long clients may keep a public answer; also how long this cache trusts itself while it cannot hear changes. */
export const PUBLIC_MAX_AGE_SECONDS = 15;
export const PUBLIC_CACHE_CONTROL = `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`;
const MAX_ENTRIES = 256;

interface Entry {
  /**
   * The body as sent, serialised once. A string, not a Buffer: Node writes a string body
   * with its headers in one write, a Buffer as a second chunk of a writev (measured: about
   * a tenth more server CPU per answer).
   */
  body: string;
  etag: string;
  expiresAt: number;
}

/**
 * The anonymous catalogue answers (persona lists, categories, pricing, plans) as the bytes
 * sent, prepared once per distinct query. Any change to their tables, by this process,
 * another instance or plain SQL, empties it (NOTIFY mindbot_catalogue); while that notice
 * cannot be heard, entries last PUBLIC_MAX_AGE_SECONDS.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by every clear: an answer read from the database before it is not kept after it. */
  private generation = 0;
  private listening: Listening = { live: false };

  constructor(private readonly now: () => number) {}

  hear(listening: Listening): void {
    this.listening = listening;
  }

  get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && e.expiresAt > this.now()) return e;
    if (e) this.entries.delete(key);
    return undefined;
  }

  /** The entry for `key`, prepared by `produce` when missing. */
  async fill(key: string, produce: () => Promise<string>): Promise<Entry> {
    const hit = this.get(key);
    if (hit) return hit;
    const generation = this.generation;
    const body = await produce();
    const entry = { body, etag: etagOf(body), expiresAt: this.listening.live ? Infinity : this.now() + PUBLIC_MAX_AGE_SECONDS * 1000 };
    if (generation !== this.generation) return entry;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Sends `key`'s entry as a public answer. While the entry stays kept, the same request is
   * answered again from these bytes before it reaches the router (PreparedAnswers).
   */
  send(request: FastifyRequest, reply: FastifyReply, key: string, entry: Entry): FastifyReply {
    prepareAnswer(request, () => this.get(key) === entry);
    return sendJson(request, reply, entry.body, entry.etag, PUBLIC_CACHE_CONTROL);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }
}

// One cache per database, shared by every app of the process.
const caches = new WeakMap<object, ResponseCache>();
export function responseCache(platform: Platform): ResponseCache {
  let cache = caches.get(platform.db);
  if (!cache) {
    const c = new ResponseCache(() => platform.clock.now().getTime());
    caches.set(platform.db, c);
    platform.db.listen(CATALOGUE_CHANNEL, { notice: () => c.clear(), reset: () => c.clear() }).then(
      (listening) => c.hear(listening),
      (err: unknown) => platform.log.warn({ err }, 'catalogue changes cannot be heard: cached answers expire instead'),
    );
    cache = c;
  }
  return cache;
}

export const etagOf = (body: string | Buffer): string => `"${createHash('sha1').update(body).digest('base64url').slice(0, 22)}"`;

/** Sends pre-serialised JSON with its ETag, or 304 when the client already holds it. */
export function sendJson(request: FastifyRequest, reply: FastifyReply, body: string | Buffer, etag: string, cacheControl: string) {
  // Added to what CORS already varies on (Origin), never in its place.
  const vary = reply.getHeader('vary');
  reply.header('etag', etag).header('cache-control', cacheControl).header('vary', vary ? `${vary}, Authorization` : 'Authorization');
  const match = request.headers['if-none-match'];
  if (match?.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)) {
    return reply.code(304).send();
  }
  return reply.type('application/json; charset=utf-8').send(body);
}
