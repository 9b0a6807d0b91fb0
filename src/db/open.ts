import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import type { Database } from './database.js';
import { openPglite, wrapPglite } from './pglite.js';
import { createPgliteDataDir } from './pglite-data-dir.js';
import { createPostgres } from './postgres.js';

/**
 * Postgres when DATABASE_URL is set, otherwise PGlite persisted in MINDBOT_DATA_DIR.
 * `warn` hears why a new PGlite directory could not be copied from the template.
 */
export async function openDatabase(config: Config, warn?: (message: string) => void): Promise<Database> {
  if (config.DATABASE_URL) {
    return createPostgres({
      url: config.DATABASE_URL,
      poolMax: config.DATABASE_POOL_MAX,
      connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      ssl: config.DATABASE_SSL,
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
    });
  }
  const dir = path.resolve(config.MINDBOT_DATA_DIR, 'pgdata');
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await createPgliteDataDir(dir, config.MINDBOT_PGLITE_TEMPLATES, warn);
  return wrapPglite(await openPglite(dir));
}
