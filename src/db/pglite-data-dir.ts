import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaFingerprint } from './migrate.js';


/** Where migrated templates are kept unless MINDBOT_PGLITE_TEMPLATES says otherwise: one per PGlite version and schema. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../node_modules/.cache/mindbot-pglite/', import.meta.url));

/**
 * Makes a new PGlite data directory at `dir`: a copy of the migrated template for these
 * migrations (made now if missing), so a first start costs a directory copy, not initdb
 * plus every migration. Without a usable template (a read-only install) the directory is
 * initialised in place. Either way it is made beside `dir` and moved there when complete:
 * a start interrupted half-way leaves no half-made directory behind.
 */
export async function createPgliteDataDir(dir: string, templates = DEFAULT_TEMPLATES_DIR, warn?: (message: string) => void): Promise<void> {
  const template = await migratedTemplate(templates).catch((err: unknown) => {
    warn?.(`no PGlite template in ${templates} (${(err as Error).message}): initialising the data directory in place`);
    return null;
  });
  await placeDirectory(dir, (scratch) => (template ? copyTree(template, scratch) : initialiseInChild(scratch)));
}

/** The migrated template for the current migrations, made if missing; older ones are removed. */
export async function migratedTemplate(templates = DEFAULT_TEMPLATES_DIR): Promise<string> {
  const name = `${await pgliteVersion()}-${(await schemaFingerprint()).slice(0, 16)}`;
  const dir = path.join(templates, name);
  if (existsSync(path.join(dir, 'PG_VERSION'))) return dir;
  await placeDirectory(dir, initialiseInChild);
  for (const other of await readdir(templates)) {
    if (other !== name && !other.includes('.new-')) await rm(path.join(templates, other), { recursive: true, force: true });
  }
  return dir;
}

/** Copies a directory tree with every file copy in flight at once (fs.cp copies one at a time: ten times slower here). */
async function copyTree(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const relative = entries.map((e) => ({ path: path.relative(from, path.join(e.parentPath, e.name)), dir: e.isDirectory() }));
  await mkdir(to, { recursive: true });
  for (const e of relative) if (e.dir) await mkdir(path.join(to, e.path), { recursive: true });
  await Promise.all(relative.filter((e) => !e.dir).map((e) => copyFile(path.join(from, e.path), path.join(to, e.path))));
}

/** The installed PGlite's version (its package exports no package.json: found from its entry). */
async function pgliteVersion(): Promise<string> {
  let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return (JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

async function placeDirectory(dir: string, make: (scratch: string) => Promise<void>): Promise<void> {
  const scratch = `${dir}.new-${process.pid}`;
  await mkdir(path.dirname(dir), { recursive: true });
  await rm(scratch, { recursive: true, force: true });
  try {
    await make(scratch);
    if (existsSync(dir)) await rmdir(dir);
    await rename(scratch, dir);
  } catch (err) {
    await rm(scratch, { recursive: true, force: true });
    // Another process placed the same directory first (two starts making one template).
    if (!existsSync(path.join(dir, 'PG_VERSION'))) throw err;
  }
}

/**
 * Creates and migrates a data directory in a short-lived child process: what initialising
 * grows (WebAssembly memory, which never shrinks) stays with the child.
 */
async function initialiseInChild(dir: string): Promise<void> {
  // The initialiser beside this module: TypeScript through tsx in development (whether tsx
  // came by --import or by its API, as `npm start` registers it), compiled JavaScript in dist/.
  const self = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(self), `pglite-init${path.extname(self)}`);
  const loader = path.extname(self) === '.ts' && !process.execArgv.some((a) => a.includes('tsx')) ? ['--import', 'tsx'] : [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [...loader, ...process.execArgv, entry, dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`initialising the database in ${dir} failed (exit code ${code})`);
}
