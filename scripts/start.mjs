#!/usr/bin/env node
// `npm start`: in production (NODE_ENV=production, from the environment or ./.env) the
// compiled JavaScript in dist/ (`npm run build`) under plain node. Otherwise the same, from the
// sources as they are now: whatever changed since the last start is built first (the server
// compiled by esbuild to .start/ in well under a second, the admin panel by Vite), so an edit
// needs no build step, and the platform runs without a TypeScript loader in the process.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

if (existsSync('.env')) process.loadEnvFile('.env');

const root = fileURLToPath(new URL('..', import.meta.url));

if (process.env.NODE_ENV === 'production') {
  const entry = new URL('../dist/main.js', import.meta.url);
  if (!existsSync(entry)) {
    console.error('dist/main.js is missing: run `npm run build` first.');
    process.exit(2);
  }
  await import(entry.href);
} else {
  const { ensureAdminPanel, ensureServer } = await import('./dev-builds.mjs');
  await ensureAdminPanel(root);
  const entry = await ensureServer(root);
  // Stack traces point into the TypeScript sources.
  process.setSourceMapsEnabled(true);
  await import(new URL(`file://${entry}`).href);
}
