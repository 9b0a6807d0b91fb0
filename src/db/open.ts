import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../config.js';
import type { Database } from './database.js';
import { openPglite, wrapPglite } from './pglite.js';
import { createPostgres } from './postgres.js';

/** Postgres when DATABASE_URL is set, otherwise PGlite persisted in MINDBOT_DATA_DIR. */
export async function openDatabase(config: Config): Promise<Database> {
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
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await initialiseInChild(dir);
  return wrapPglite(await openPglite(dir));
}

/**
 * A new data directory is created and migrated by a short-lived child process (what
 * initialising grows stays with it), beside the final place, then moved there: a start
 * interrupted half-way leaves no half-made directory behind.
 */
async function initialiseInChild(dir: string): Promise<void> {
  const scratch = `${dir}.new-${process.pid}`;
  await mkdir(path.dirname(dir), { recursive: true });
  await rm(scratch, { recursive: true, force: true });
  // The initialiser beside this module: TypeScript through tsx in development (whether tsx
  // came by --import or by its API, as `npm start` registers it), compiled JavaScript in dist/.
  const self = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(self), `pglite-init${path.extname(self)}`);
  const loader = path.extname(self) === '.ts' && !process.execArgv.some((a) => a.includes('tsx')) ? ['--import', 'tsx'] : [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [...loader, ...process.execArgv, entry, scratch], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`initialising the database in ${dir} failed (exit code ${code})`);
  if (existsSync(dir)) await rmdir(dir);
  await rename(scratch, dir);
}
