import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../test/support/ports.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PORT_VARS = ['AUTH_PORT', 'TIME_PORT', 'ADMIN_PORT', 'WEBHOOK_PORT', 'PERSONA_PORT', 'MONETIZATION_PORT', 'GATEWAY_PORT'];

export interface Started {
  child: ChildProcess;
  /** Milliseconds from spawn to every port answering /health. */
  startMs: number;
  ports: number[];
  stop(): Promise<void>;
}

/**
 * How the platform is started: `development` as `npm start` runs it on a developer's machine
 * (scripts/start.mjs: the sources as they are, compiled by esbuild when changed), `compiled`
 * as production runs it (`npm run build`, then plain node on dist/main.js).
 */
export type StartForm = 'development' | 'compiled';
const ENTRY: Record<StartForm, string[]> = { development: ['scripts/start.mjs'], compiled: ['dist/main.js'] };

/**
 * The platform as `npm start` runs it (all services, the default log level), its standard
 * output read and thrown away as a terminal or log collector would.
 */
export async function startPlatform(env: Record<string, string>, form: StartForm = 'development'): Promise<Started> {
  const ports = await Promise.all(PORT_VARS.map(() => freePort()));
  const began = performance.now();
  const child = spawn(process.execPath, ENTRY[form], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', MINDBOT_SERVICES: 'all', ...Object.fromEntries(PORT_VARS.map((v, i) => [v, String(ports[i])])), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stdout!.resume();
  child.stderr!.on('data', (d) => (err += d));
  for (const port of ports) {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the platform exited: ${err}`);
      const up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
      if (up) break;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const startMs = performance.now() - began;
  return { child, startMs, ports, stop: () => stopChild(child) };
}

export async function startBaseline(database: string, userIds: string[], bodyFile: string): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/as-started/baseline-server.ts', String(port), database, userIds.join(','), bodyFile], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`baseline exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident set size of a process, in MB (Linux). */
export async function rssMb(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}
