import type { Database } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { openPglite, wrapPglite } from '../src/db/pglite.js';
import { createPostgres } from '../src/db/postgres.js';
import { newPostgresDatabase } from '../test/support/postgres-server.js';

export interface BenchDatabase {
  kind: 'postgres' | 'pglite';
  db: Database;
  drop(): Promise<void>;
}

/** An in-memory PGlite, migrated. */
export async function pgliteDatabase(): Promise<BenchDatabase> {
  const db = wrapPglite(await openPglite(undefined));
  await migrate(db);
  return { kind: 'pglite', db, drop: () => db.close() };
}

/** An empty database made for this run on BENCH_POSTGRES_ADMIN_URL (default: the local server), with its URL; null if unreachable. */
export async function emptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const adminUrl = process.env.BENCH_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  try {
    return await newPostgresDatabase(adminUrl, 'mindbot_bench', 3000);
  } catch (err) {
    console.log(`postgres: skipped (${(err as Error).message})`);
    return null;
  }
}

/** Such a database, migrated, behind the platform's Postgres pool. */
export async function postgresDatabase(): Promise<BenchDatabase | null> {
  const empty = await emptyPostgresDatabase();
  if (!empty) return null;
  const db = createPostgres({ url: empty.url, poolMax: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, ssl: false, preparedStatements: true });
  await migrate(db);
  return {
    kind: 'postgres',
    db,
    async drop() {
      await db.close();
      await empty.drop();
    },
  };
}
