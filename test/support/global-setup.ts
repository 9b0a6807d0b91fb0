import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { migrate } from '../../src/db/migrate.js';
import { openPglite, wrapPglite } from '../../src/db/pglite.js';

/**
 * Migrates one PGlite database and dumps it: every test file loads a copy of that
 * template (a fraction of a second) instead of running initdb and migrations again.
 * Against Postgres (TEST_DATABASE_URL), each file migrates its own schema instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.TEST_DATABASE_URL) return async () => {};
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-template-'));
  const pg = await openPglite(undefined);
  await migrate(wrapPglite(pg));
  const dump = await pg.dumpDataDir('none');
  await pg.close();
  const file = path.join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return () => rm(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}
