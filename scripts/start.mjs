#!/usr/bin/env node
// `npm start`: in production (NODE_ENV=production, from the environment or ./.env) the
// compiled JavaScript in dist/ (`npm run build`) under plain node; otherwise the TypeScript
// sources through tsx, so a change needs no build.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');

if (process.env.NODE_ENV === 'production') {
  const entry = new URL('../dist/main.js', import.meta.url);
  if (!existsSync(entry)) {
    console.error('dist/main.js is missing: run `npm run build` first.');
    process.exit(2);
  }
  await import(entry.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
