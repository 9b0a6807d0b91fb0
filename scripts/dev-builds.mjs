// The two builds `npm start` makes in development when their inputs changed (see start.mjs).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileServer, ensureFresh, fingerprint } from './fresh-build.mjs';

const CACHE = 'node_modules/.cache/mindbot-build';
/** Either build depends on the installed packages too. */
const SHARED_INPUTS = ['package.json', 'package-lock.json', 'tsconfig.json'];

/** The server compiled to .start/ (the layout of src/, so paths relative to a module hold); returns the entry module's path. */
export async function ensureServer(root) {
  const out = path.join(root, '.start');
  await ensureFresh({
    key: fingerprint(root, ['src', 'scripts/fresh-build.mjs', ...SHARED_INPUTS], (rel) => rel.endsWith('.test.ts')),
    output: path.join(out, 'main.js'),
    stamp: path.join(root, CACHE, 'server.fingerprint'),
    lock: path.join(root, CACHE, 'server.lock'),
    build: () => compileServer(root, out),
  });
  return path.join(out, 'main.js');
}

/** The admin panel built to admin-ui/dist/ by `npm run build:admin-ui`. */
export async function ensureAdminPanel(root) {
  await ensureFresh({
    key: fingerprint(root, ['admin-ui', ...SHARED_INPUTS], (rel) => rel === path.join('admin-ui', 'dist')),
    output: path.join(root, 'admin-ui/dist/index.html'),
    stamp: path.join(root, CACHE, 'admin-ui.fingerprint'),
    lock: path.join(root, CACHE, 'admin-ui.lock'),
    build: () => {
      const run = spawnSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'admin-ui/vite.config.ts', '--logLevel', 'warn'], {
        cwd: root,
        stdio: 'inherit',
      });
      if (run.status !== 0) throw new Error(`building the admin panel failed (exit code ${run.status})`);
    },
  });
}

// `node scripts/dev-builds.mjs` (postinstall, pretest): both, now.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await ensureAdminPanel(root);
  await ensureServer(root);
}
