import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './migrate.js';
import { openPglite, wrapPglite } from './pglite.js';
import { createPgliteDataDir, migratedTemplate } from './pglite-data-dir.js';

// A data directory is PGlite's alone: these run once, whichever database the suite targets.
let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'mindbot-datadir-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function openDir(dir: string) {
  return wrapPglite(await openPglite(dir));
}

describe('a new PGlite data directory', () => {
  it('is a copy of the migrated template, made once for these migrations', { timeout: 120_000 }, async () => {
    const templates = path.join(root, 'templates');
    await mkdir(templates, { recursive: true });
    await writeFile(path.join(templates, 'stale-template'), 'from older migrations');

    await createPgliteDataDir(path.join(root, 'first'), templates);
    const [template] = await readdir(templates);
    // One template, named for the PGlite version and the migrations; the stale one removed.
    expect(await readdir(templates)).toEqual([template]);
    expect(template).toMatch(/^\d+\.\d+\.\d+-[0-9a-f]{16}$/);

    // Marked, the template shows that the next new directory is copied from it, not made anew.
    const marked = await openDir(path.join(templates, template!));
    await marked.query(`INSERT INTO users (id, email, full_name, password_hash) VALUES ('marker', 'marker@example.com', 'M', 'x')`);
    await marked.close();
    await createPgliteDataDir(path.join(root, 'second'), templates);

    const second = await openDir(path.join(root, 'second'));
    try {
      expect(await second.query(`SELECT id FROM users WHERE id = 'marker'`)).toEqual([{ id: 'marker' }]);
      // Fully migrated: starting on it applies nothing.
      expect(await migrate(second)).toEqual({ versions: [], functions: [] });
    } finally {
      await second.close();
    }
    const first = await openDir(path.join(root, 'first'));
    try {
      expect(await first.query(`SELECT id FROM users WHERE id = 'marker'`)).toEqual([]);
      expect(await migrate(first)).toEqual({ versions: [], functions: [] });
    } finally {
      await first.close();
    }
    expect(await migratedTemplate(templates)).toBe(path.join(templates, template!));
  });

  it('is initialised in place when no template can be kept', { timeout: 120_000 }, async () => {
    // A file where the templates directory should be: a read-only or odd install.
    const blocked = path.join(root, 'not-a-directory');
    await writeFile(blocked, '');
    const dir = path.join(root, 'in-place');
    const warnings: string[] = [];
    await createPgliteDataDir(dir, blocked, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringContaining('initialising the data directory in place')]);
    const db = await openDir(dir);
    try {
      expect(await migrate(db)).toEqual({ versions: [], functions: [] });
    } finally {
      await db.close();
    }
    // Nothing half-made is left beside it.
    expect((await readdir(root)).filter((f) => f.includes('.new-'))).toEqual([]);
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
  });
});
