import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import type { Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrate.js';
import { loadPglite, openPglite, wrapPglite } from '../../src/db/pglite.js';
import { createPostgres } from '../../src/db/postgres.js';
import { newPostgresDatabase } from './postgres-server.js';

export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/**
 * A fresh, migrated database for one test file: a copy of the PGlite template, or,
 * when TEST_DATABASE_URL is set, a new schema on that Postgres database.
 */
export async function createTestDatabase(): Promise<Database> {
  if (onPostgres) {
    const db = await createEmptyTestDatabase();
    await migrate(db);
    return db;
  }
  const template = await readFile(inject('pgliteTemplate'));
  return wrapPglite(await loadPglite(new Blob([template])));
}

/** A database with nothing in it, not even migrations: an empty PGlite or a new Postgres schema. */
export async function createEmptyTestDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) return wrapPglite(await openPglite(undefined));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = createPostgres({ url, poolMax: 1, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, ssl: false });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.close();
  return createPostgres({ url, poolMax: 10, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, ssl: false, schema, preparedStatements: true });
}

/** Two connections to one fresh, migrated Postgres schema: two instances on the same database (Postgres only). */
export async function createTwinTestDatabases(): Promise<[Database, Database]> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('two instances share a database on Postgres only');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const open = () => createPostgres({ url, poolMax: 4, connectTimeoutMs: 5000, statementTimeoutMs: 30_000, ssl: false, schema, preparedStatements: true });
  const setup = open();
  await setup.query(`CREATE SCHEMA ${schema}`);
  await migrate(setup);
  await setup.close();
  return [open(), open()];
}

/**
 * A new, empty database on TEST_DATABASE_URL's server, for a platform started as a child
 * process with it as DATABASE_URL (Postgres only); `drop` removes it, whoever is connected.
 */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('a database of its own needs TEST_DATABASE_URL');
  return newPostgresDatabase(server, 'mindbot_child');
}
