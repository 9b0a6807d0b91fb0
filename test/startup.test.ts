import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';

const PORT_VARS = ['AUTH_PORT', 'TIME_PORT', 'ADMIN_PORT', 'WEBHOOK_PORT', 'PERSONA_PORT', 'MONETIZATION_PORT', 'GATEWAY_PORT'];

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Starts the platform as `npm start` does (scripts/start.mjs), waits for its service lines. */
async function start(env: Record<string, string>, expectLines: number) {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-start-'));
  dirs.push(dataDir);
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', MINDBOT_DATA_DIR: dataDir, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 100_000;
  while (out.split('\n').filter((l) => l.includes('docs: http')).length < expectLines) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`platform did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, exited, dataDir, output: () => out };
}

// A first start on a new PGlite directory is slow on a loaded machine: these tests wait for it.
describe('npm start', { timeout: 120_000 }, () => {
  it('starts every service on its port with one line each, and stops cleanly on SIGTERM', async () => {
    const ports = await Promise.all(PORT_VARS.map(() => freePort()));
    const env = Object.fromEntries(PORT_VARS.map((v, i) => [v, String(ports[i])]));
    const { child, exited, dataDir, output } = await start(env, 7);
    for (const [i, name] of ['auth', 'time', 'admin', 'webhooks', 'personas', 'monetization', 'gateway'].entries()) {
      expect(output()).toMatch(new RegExp(`^${name}\\s+http://127\\.0\\.0\\.1:${ports[i]}\\s+docs: http://127\\.0\\.0\\.1:${ports[i]}/docs$`, 'm'));
      const health = await fetch(`http://127.0.0.1:${ports[i]}/health`);
      expect(await health.json()).toEqual({ status: 'ok', service: name });
    }
    const ready = await fetch(`http://127.0.0.1:${ports[6]}/ready`);
    expect(ready.status).toBe(200);

    // Development secrets are generated once and kept private in the data dir.
    const secrets = JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8'));
    expect(secrets.jwtPrivateJwks[0].kid).toBeTruthy();
    // The voice agent's key, where the worker reads it in development.
    expect(secrets.agentApiKey).toMatch(/^agk_[\w-]{43}$/);
    expect((await stat(path.join(dataDir, 'secrets.json'))).mode & 0o777).toBe(0o600);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('runs only the services named in MINDBOT_SERVICES', async () => {
    const [auth, time] = [await freePort(), await freePort()];
    const { child, exited, output } = await start({ MINDBOT_SERVICES: 'auth,time', AUTH_PORT: String(auth), TIME_PORT: String(time) }, 2);
    expect(output()).not.toMatch(/^gateway/m);
    expect((await fetch(`http://127.0.0.1:${time}/health`)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('refuses to start in production without its secrets, naming them', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: '', JWT_PRIVATE_JWKS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('Missing required secrets for production');
    expect(err).toContain('JWT_PRIVATE_JWKS');
  });
});
