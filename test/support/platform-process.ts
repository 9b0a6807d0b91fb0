import { type ChildProcess, spawn } from 'node:child_process';

/**
 * The platform as `npm start` runs it (scripts/start.mjs), in a child process with `env`
 * over development defaults; resolves once the gateway on `port` is ready. `cleanup` gets
 * the kill that ends it whatever the test did.
 */
export async function startPlatformProcess(env: Record<string, string>, port: number, cleanup: (() => unknown)[]) {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', GATEWAY_PORT: String(port), AUTH_RATE_LIMIT_PER_MINUTE: '100000', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; ; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/ready`).then((r) => r.ok, () => false);
    if (up) break;
    if (i > 1000 || child.exitCode !== null) throw new Error(`platform did not start:\n${err}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child: child as ChildProcess, exited };
}
