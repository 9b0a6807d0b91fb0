import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Database, Tx } from './database.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
export const FUNCTIONS_DIR = fileURLToPath(new URL('../../sql/functions/', import.meta.url));

/** What one run applied: versioned migrations, then function files (by family name). */
export interface Migrated {
  versions: string[];
  functions: string[];
}

/** The database and the files disagree: the start stops with this message. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

const VERSIONED = /^\d{4}_[\w-]+\.sql$/;
const REPEATABLE = /^[\w-]+\.sql$/;

interface Script {
  name: string;
  sql: string;
  checksum: string;
}

/** SHA-256 of the text with line endings made LF, so a checkout's line endings do not count. */
export const checksumOf = (sql: string): string => createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');

async function readScripts(dir: string, pattern: RegExp): Promise<Script[]> {
  const files = (await readdir(dir)).filter((f) => pattern.test(f)).sort();
  return Promise.all(
    files.map(async (f) => {
      const sql = await readFile(dir + f, 'utf8');
      return { name: f.replace(/\.sql$/, ''), sql, checksum: checksumOf(sql) };
    }),
  );
}

/**
 * One hash over every script's name and checksum: databases migrated from the same files
 * hold the same schema (a migrated PGlite template is kept per fingerprint).
 */
export async function schemaFingerprint(dirs = { migrations: MIGRATIONS_DIR, functions: FUNCTIONS_DIR }): Promise<string> {
  const scripts = [...(await readScripts(dirs.migrations, VERSIONED)), ...(await readScripts(dirs.functions, REPEATABLE))];
  return checksumOf(scripts.map((s) => `${s.name} ${s.checksum}`).join('\n'));
}

/**
 * Brings the schema up to date, in one transaction under an advisory lock, so instances
 * starting together apply each script once:
 * 1. the versioned migrations (`migrations/NNNN_name.sql`, forward-only DDL and data) this
 *    database has not seen, in name order. An applied one whose file changed since (its
 *    SHA-256 differs from the one recorded), or whose file is gone, stops the run with a
 *    MigrationError: an applied migration is never edited; write a new one.
 * 2. then the SQL function files (`sql/functions/<family>.sql`, CREATE OR REPLACE), in name
 *    order, each whenever its checksum differs from the one recorded (Flyway's repeatable
 *    migrations). Versioned migrations therefore never call these functions.
 * Migrations applied before checksums were kept get theirs recorded on the first run.
 */
export async function migrate(db: Database, dirs = { migrations: MIGRATIONS_DIR, functions: FUNCTIONS_DIR }): Promise<Migrated> {
  const versioned = await readScripts(dirs.migrations, VERSIONED);
  const repeatable = await readScripts(dirs.functions, REPEATABLE);
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(727274)');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    await tx.query('ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text');
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_functions (
      family text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const versions = await applyVersioned(tx, versioned);
    const functions: string[] = [];
    const recorded = new Map(
      (await tx.query<{ family: string; checksum: string }>('SELECT family, checksum FROM schema_functions')).map((r) => [r.family, r.checksum]),
    );
    for (const { name, sql, checksum } of repeatable) {
      if (recorded.get(name) === checksum) continue;
      await tx.script(sql);
      await tx.query(
        `INSERT INTO schema_functions (family, checksum) VALUES ($1, $2)
         ON CONFLICT (family) DO UPDATE SET checksum = excluded.checksum, applied_at = excluded.applied_at`,
        [name, checksum],
      );
      functions.push(name);
    }
    return { versions, functions };
  });
}

async function applyVersioned(tx: Tx, scripts: Script[]): Promise<string[]> {
  const done = new Map(
    (await tx.query<{ version: string; checksum: string | null }>('SELECT version, checksum FROM schema_migrations')).map((r) => [r.version, r.checksum]),
  );
  const files = new Set(scripts.map((s) => s.name));
  const missing = [...done.keys()].filter((v) => !files.has(v)).sort();
  if (missing.length > 0) {
    throw new MigrationError(
      `The database has migrations applied that are not in migrations/: ${missing.join(', ')}. ` +
        'It was migrated by another version of MindBot; run that version, or use a database of its own.',
    );
  }
  const applied: string[] = [];
  for (const { name, sql, checksum } of scripts) {
    if (!done.has(name)) {
      await tx.script(sql);
      await tx.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [name, checksum]);
      applied.push(name);
      continue;
    }
    const recorded = done.get(name) ?? null;
    if (recorded === null) {
      await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE version = $1', [name, checksum]);
    } else if (recorded !== checksum) {
      throw new MigrationError(
        `migrations/${name}.sql was changed after this database applied it (recorded checksum ${recorded.slice(0, 12)}…, ` +
          `file now ${checksum.slice(0, 12)}…). An applied migration is never edited: restore the file and put the change ` +
          'in a new migration (SQL functions change in sql/functions/).',
      );
    }
  }
  return applied;
}
