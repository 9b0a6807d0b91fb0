import { PGlite } from '@electric-sql/pglite';
import type { Database, Tx } from './database.js';

const parsers = { 20: (v: string) => Number(v) };

// Postgres's 128 MB of shared buffers, in WebAssembly memory that never shrinks, cost more
// than they save on MindBot's tables: 16 MB takes a restarted platform from ~450 to ~340 MB.
const startParams = [...(PGlite as unknown as { defaultStartParams: string[] }).defaultStartParams, '-c', 'shared_buffers=16MB'];

/** Opens (or creates) the embedded database in `dataDir`; `undefined` means in memory. */
export async function openPglite(dataDir: string | undefined): Promise<PGlite> {
  return PGlite.create({ dataDir, parsers, startParams });
}

/** Loads a database from a dump made by `dumpDataDir` (tests clone one migrated template). */
export async function loadPglite(dump: Blob | File): Promise<PGlite> {
  return PGlite.create({ loadDataDir: dump, parsers });
}

/**
 * PGlite is one connection: a transaction holds it exclusively, and plain queries wait
 * for it, so transactions never interleave (which also makes them serializable).
 */
export function wrapPglite(pg: PGlite): Database {
  return {
    kind: 'pglite',
    query: async <T>(text: string, params?: readonly unknown[]) =>
      (await pg.query<T>(text, params as unknown[])).rows,
    transaction: <T>(fn: (tx: Tx) => Promise<T>) =>
      pg.transaction(async (t) => {
        const tx: Tx = {
          query: async <R>(text: string, params?: readonly unknown[]) =>
            (await t.query<R>(text, params as unknown[])).rows,
          script: async (sql) => {
            await t.exec(sql);
          },
        };
        return fn(tx);
      }),
    ping: async () => {
      await pg.query('SELECT 1');
    },
    // One process, one connection: every change is heard, at its commit.
    listen: async (channel, handler) => {
      await pg.listen(channel, (payload) => handler.notice(payload));
      return { live: true };
    },
    close: () => pg.close(),
  };
}
