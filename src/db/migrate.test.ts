import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/database.js';
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
    expect(await migrate(db)).toEqual([]);
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
});
