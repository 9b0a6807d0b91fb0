import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyTestDatabase, createTestDatabase } from '../../test/support/database.js';
import type { Database } from './database.js';
import { migrate } from './migrate.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

describe('migrations', () => {
  it('are applied once: running them again applies nothing', async () => {
    const versions = await db.query<{ version: string }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((v) => v.version)[0]).toBe('0001_foundation');
    expect(await migrate(db)).toEqual({ versions: [], functions: [] });
  });

  it('make emails unique regardless of case', async () => {
    await db.query(`INSERT INTO users (id, email, full_name, password_hash) VALUES ('u1', 'Ann@Example.com', 'Ann', 'x')`);
    await expect(
      db.query(`INSERT INTO users (id, email, full_name, password_hash) VALUES ('u2', 'ann@example.COM', 'Ann', 'x')`),
    ).rejects.toMatchObject({ code: '23505' });
  });

  it('roll a failed transaction back entirely', async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO users (id, email, full_name, password_hash) VALUES ('u3', 'c@example.com', 'C', 'x')`);
        await tx.query('SELECT 1/0');
      }),
    ).rejects.toThrow();
    expect(await db.query(`SELECT id FROM users WHERE id = 'u3'`)).toEqual([]);
  });

  it('define every SQL function once, in sql/functions/, and the ledger triggers from there', async () => {
    const families = await db.query<{ family: string }>('SELECT family FROM schema_functions ORDER BY family');
    expect(families.map((f) => f.family)).toEqual(['ad-interactions', 'append-only', 'change-notices', 'time-balance', 'time-format', 'time-ledger', 'time-sessions']);
    const triggers = await db.query<{ tgname: string }>(`SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace ORDER BY tgname`);
    expect(triggers.map((t) => t.tgname)).toEqual([
      'ad_interactions_guard', 'admin_audit_append_only', 'ledger_entries_append_only', 'payment_history_append_only',
      'persona_categories_catalogue_changed', 'personas_catalogue_changed', 'plans_catalogue_changed', 'pricing_tiers_catalogue_changed',
      'time_cards_balance_changed', 'time_cards_balance_truncated', 'users_standing_changed',
    ]);
    // The dropped 0008 function never comes back.
    expect(await db.query(`SELECT 1 FROM pg_proc WHERE proname = 'time_cards_listed' AND pronamespace = current_schema()::regnamespace`)).toEqual([]);
  });
});

/** The migrator on directories of its own, against an empty database. */
describe('the migrator', () => {
  let dir: string;
  let scratch: Database;
  const dirs = () => ({ migrations: `${dir}/migrations/`, functions: `${dir}/functions/` });
  const write = (file: string, sql: string) => writeFile(path.join(dir, file), sql);

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-migrate-'));
    await mkdir(`${dir}/migrations`);
    await mkdir(`${dir}/functions`);
    scratch = await createEmptyTestDatabase();
  });
  afterAll(async () => {
    await scratch.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies versioned migrations, then function files; again, nothing', async () => {
    await write('migrations/0001_a.sql', 'CREATE TABLE t (n integer NOT NULL);');
    await write('functions/scratch.sql', 'CREATE OR REPLACE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 1 $$;');
    expect(await migrate(scratch, dirs())).toEqual({ versions: ['0001_a'], functions: ['scratch'] });
    expect(await scratch.query('SELECT f() AS v')).toEqual([{ v: 1 }]);
    expect(await migrate(scratch, dirs())).toEqual({ versions: [], functions: [] });
  });

  it('re-applies a function file when it changes, and only that one', async () => {
    await write('functions/scratch.sql', 'CREATE OR REPLACE FUNCTION f() RETURNS integer LANGUAGE sql AS $$ SELECT 2 $$;');
    await write('functions/other.sql', 'CREATE OR REPLACE FUNCTION g() RETURNS integer LANGUAGE sql AS $$ SELECT 3 $$;');
    expect(await migrate(scratch, dirs())).toEqual({ versions: [], functions: ['other', 'scratch'] });
    expect(await scratch.query('SELECT f() AS v')).toEqual([{ v: 2 }]);
    await write('functions/other.sql', 'CREATE OR REPLACE FUNCTION g() RETURNS integer LANGUAGE sql AS $$ SELECT 4 $$;');
    expect(await migrate(scratch, dirs())).toEqual({ versions: [], functions: ['other'] });
  });

  it('refuses to run when an applied migration was edited, and changes nothing', async () => {
    await write('migrations/0001_a.sql', 'CREATE TABLE t (n bigint NOT NULL);');
    await write('migrations/0002_b.sql', 'CREATE TABLE u (n integer);');
    await expect(migrate(scratch, dirs())).rejects.toMatchObject({
      name: 'MigrationError',
      message: expect.stringMatching(/^migrations\/0001_a\.sql was changed after this database applied it/),
    });
    expect(await scratch.query(`SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'u'`)).toEqual([]);
    await write('migrations/0001_a.sql', 'CREATE TABLE t (n integer NOT NULL);');
    expect(await migrate(scratch, dirs())).toEqual({ versions: ['0002_b'], functions: [] });
  });

  it('records the checksum of a migration applied before checksums were kept, then holds it to it', async () => {
    await scratch.query(`UPDATE schema_migrations SET checksum = NULL WHERE version = '0002_b'`);
    await write('migrations/0002_b.sql', '-- kept\nCREATE TABLE u (n integer);');
    expect(await migrate(scratch, dirs())).toEqual({ versions: [], functions: [] });
    await write('migrations/0002_b.sql', 'CREATE TABLE u (n text);');
    await expect(migrate(scratch, dirs())).rejects.toThrow(/0002_b\.sql was changed/);
  });

  it('refuses a database that applied a migration this version does not have', async () => {
    await write('migrations/0002_b.sql', '-- kept\nCREATE TABLE u (n integer);');
    await scratch.query(`INSERT INTO schema_migrations (version, checksum) VALUES ('0099_future', 'x')`);
    await expect(migrate(scratch, dirs())).rejects.toThrow(/not in migrations\/: 0099_future/);
  });
});
