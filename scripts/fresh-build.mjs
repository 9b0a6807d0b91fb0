// What `npm start` runs in development is built from the sources when they changed, and only
// then: the server's TypeScript compiled by esbuild to .start/ (plain node runs it, without
// tsx's loader thread), the admin panel by Vite to admin-ui/dist/. A build is keyed by a
// fingerprint of its inputs (path, size, mtime), kept beside its output; processes starting
// at once build it once, under a lock.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LOCK_STALE_MS = 120_000;

/** A fingerprint of files under `inputs` (files or directories), skipping paths `skip` names. */
export function fingerprint(root, inputs, skip = () => false) {
  const hash = createHash('sha256');
  const visit = (rel) => {
    if (skip(rel)) return;
    const abs = path.join(root, rel);
    const s = statSync(abs, { throwIfNoEntry: false });
    if (!s) return;
    if (s.isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(path.join(rel, name));
    } else {
      hash.update(`${rel}\0${s.size}\0${s.mtimeMs}\n`);
    }
  };
  for (const input of inputs) visit(input);
  return hash.digest('hex');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `fn` holding the lock directory `lock` (made atomically by mkdir; taken over when left stale). */
export async function withLock(lock, fn) {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const s = statSync(lock, { throwIfNoEntry: false });
      if (s && Date.now() - s.mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else await sleep(50);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Makes `output` current: when it is missing or `stamp` does not hold `key`, runs `build()`
 * (under a lock, checked again once held) and records `key`. Returns whether it built.
 */
export async function ensureFresh({ key, output, stamp, lock, build }) {
  const current = () => existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8') === key;
  if (current()) return false;
  mkdirSync(path.dirname(lock), { recursive: true });
  return withLock(lock, async () => {
    if (current()) return false;
    await build();
    mkdirSync(path.dirname(stamp), { recursive: true });
    writeFileSync(stamp, key);
    return true;
  });
}

/** Compiles src/ (tests left out) to `out`, each module on its own as tsc would, with source maps. */
export async function compileServer(root, out) {
  const esbuild = await import('esbuild');
  const src = path.join(root, 'src');
  const files = readdirSync(src, { recursive: true }).filter((f) => !f.endsWith('.test.ts'));
  const next = `${out}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true });
  esbuild.buildSync({
    entryPoints: files.filter((f) => f.endsWith('.ts')).map((f) => path.join(src, f)),
    outdir: next,
    outbase: src,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const f of files.filter((f) => f.endsWith('.json'))) {
    mkdirSync(path.dirname(path.join(next, f)), { recursive: true });
    writeFileSync(path.join(next, f), readFileSync(path.join(src, f)));
  }
  rmSync(out, { recursive: true, force: true });
  renameSync(next, out);
}
