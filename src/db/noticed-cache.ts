import type { Database } from './database.js';
import type { Listening } from './notices.js';

/**
 * Keys this process is changing right now: a cache does not trust what it holds for them,
 * nor keep what it reads, until `ms` after the last mark. It covers the time between this
 * process's commit and the arrival of that commit's notice, so a change is read back at once
 * by whoever made it.
 */
export class RecentChanges {
  private readonly until = new Map<string, number>();

  constructor(private readonly ms: number) {}

  mark(key: string, now: number): void {
    this.until.delete(key);
    this.until.set(key, now + this.ms);
    // Oldest first: the first mark still running stops the sweep.
    for (const [k, t] of this.until) {
      if (t > now) break;
      this.until.delete(k);
    }
  }

  has(key: string, now: number): boolean {
    const t = this.until.get(key);
    return t !== undefined && t > now;
  }
}

export interface NoticedCacheOptions {
  /** How long an entry is trusted at most, even while every change is heard. */
  maxAgeMs: number;
  maxEntries: number;
  /** Keys whose entries are not to be trusted now (see RecentChanges). */
  changing?: RecentChanges;
}

/** What a load returns: the value, and when it stops being true by itself (a card expiring), if it does. */
export interface Loaded<V> {
  value: V;
  staleAt?: number;
}

/**
 * Values read from the database, kept per key while every change to them is heard: a notice
 * whose payload is a key drops that key in every process; an empty payload, or a reset
 * (notices may have been missed), drops them all. While notices cannot be heard nothing is
 * kept. A value read while anything was dropped is not kept: it may predate the change.
 */
export class NoticedCache<V> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  /** Bumped by every drop. */
  private generation = 0;
  private listening: Listening = { live: false };

  constructor(private readonly options: NoticedCacheOptions) {}

  hear(listening: Listening): void {
    this.listening = listening;
  }

  forget(key?: string): void {
    this.generation++;
    if (key === undefined || key === '') this.entries.clear();
    else this.entries.delete(key);
  }

  /** The kept entry for `key`, if it may be served at `now`. */
  get(key: string, now: number): { value: V } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until > now && this.listening.live && !this.options.changing?.has(key, now)) return e;
    this.entries.delete(key);
    return undefined;
  }

  /** The value for `key`: the kept one, or what `load` reads, kept when nothing made it doubtful. */
  async read(key: string, now: () => number, load: () => Promise<Loaded<V>>): Promise<V> {
    const hit = this.get(key, now());
    if (hit) return hit.value;
    const generation = this.generation;
    const { value, staleAt = Infinity } = await load();
    const at = now();
    if (generation === this.generation && this.listening.live && !this.options.changing?.has(key, at)) {
      if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(key, { value, until: Math.min(staleAt, at + this.options.maxAgeMs) });
    }
    return value;
  }
}

const byDatabase = new WeakMap<Database, Map<string, NoticedCache<unknown>>>();

/** The process's cache of `channel`'s values on `db`, listening from its first use. */
export function noticedCache<V>(db: Database, channel: string, options: NoticedCacheOptions, onListenError: (err: unknown) => void = () => {}): NoticedCache<V> {
  let caches = byDatabase.get(db);
  if (!caches) {
    caches = new Map();
    byDatabase.set(db, caches);
  }
  let cache = caches.get(channel) as NoticedCache<V> | undefined;
  if (!cache) {
    const c = new NoticedCache<V>(options);
    caches.set(channel, c as NoticedCache<unknown>);
    db.listen(channel, { notice: (key) => c.forget(key), reset: () => c.forget() }).then((listening) => c.hear(listening), onListenError);
    cache = c;
  }
  return cache;
}
