import { describe, expect, it } from 'vitest';
import { NoticedCache, RecentChanges } from './noticed-cache.js';

const live = { live: true };

describe('NoticedCache', () => {
  const setup = (now = { t: 0 }) => {
    const cache = new NoticedCache<string>({ maxAgeMs: 1000, maxEntries: 2, changing: new RecentChanges(500) });
    let reads = 0;
    const read = (key: string) => cache.read(key, () => now.t, async () => ({ value: `${key}${++reads}` }));
    return { cache, read, now, reads: () => reads };
  };

  it('keeps nothing while notices cannot be heard', async () => {
    const { cache, read, reads } = setup();
    await read('a');
    await read('a');
    expect(reads()).toBe(2);
    cache.hear(live);
    await read('a');
    expect(await read('a')).toBe('a3');
    expect(reads()).toBe(3);
  });

  it('does not keep a value read while a drop happened: it may predate the change', async () => {
    const { cache, now } = setup();
    cache.hear(live);
    let release!: () => void;
    const slow = cache.read('a', () => now.t, () => new Promise((resolve) => (release = () => resolve({ value: 'old' }))));
    cache.forget('b');
    release();
    expect(await slow).toBe('old');
    expect(cache.get('a', now.t)).toBeUndefined();
  });

  it('drops a key on its notice, everything on an empty one, and entries past their age or staleness', async () => {
    const { cache, read, now } = setup();
    cache.hear(live);
    await read('a');
    await read('b');
    cache.forget('a');
    expect(cache.get('a', 0)).toBeUndefined();
    expect(cache.get('b', 0)?.value).toBe('b2');
    cache.forget('');
    expect(cache.get('b', 0)).toBeUndefined();
    await cache.read('c', () => now.t, async () => ({ value: 'c', staleAt: 300 }));
    expect(cache.get('c', 299)?.value).toBe('c');
    expect(cache.get('c', 300)).toBeUndefined();
    await read('d');
    expect(cache.get('d', 999)).toBeDefined();
    expect(cache.get('d', 1000)).toBeUndefined();
  });

  it('holds at most maxEntries, and trusts nothing for a key marked as changing', async () => {
    const changing = new RecentChanges(500);
    const cache = new NoticedCache<string>({ maxAgeMs: 10_000, maxEntries: 2, changing });
    cache.hear(live);
    for (const k of ['a', 'b', 'c']) await cache.read(k, () => 0, async () => ({ value: k }));
    expect(['a', 'b', 'c'].map((k) => cache.get(k, 0)?.value)).toEqual([undefined, 'b', 'c']);
    changing.mark('b', 100);
    expect(cache.get('b', 599)).toBeUndefined();
    await cache.read('b', () => 599, async () => ({ value: 'b2' }));
    expect(cache.get('b', 600)).toBeUndefined();
    await cache.read('b', () => 600, async () => ({ value: 'b3' }));
    expect(cache.get('b', 601)?.value).toBe('b3');
  });
});
