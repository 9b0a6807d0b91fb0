import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/ports.js';

const cleanup: (() => unknown)[] = [];
afterAll(async () => {
  for (const c of cleanup) await c();
});

/** `n` requests, `parallel` at a time; each must be answered 200 (a stalled process fails them). */
async function hammer(url: string, n: number, parallel = 16): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next++ < n) {
        const res = await fetch(url, { signal: AbortSignal.timeout(20_000) });
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
    }),
  );
}

describe('a platform whose standard output nobody reads', () => {
  it('keeps answering while its log pipe is full, and still exits on SIGTERM once the reader is gone', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-stuck-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    // The reader holds the pipe open and never reads: once the pipe's buffer is full, every
    // write to it would block.
    const reader = spawn('sleep', ['600'], { stdio: ['pipe', 'ignore', 'ignore'] });
    cleanup.push(() => reader.kill('SIGKILL'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      // The default log level, as `npm start` runs: one info line per request.
      env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'info', MINDBOT_DATA_DIR: dataDir, DATABASE_URL: '', MINDBOT_SERVICES: 'time', TIME_PORT: String(port) },
      stdio: ['ignore', reader.stdin!, 'ignore'],
    });
    cleanup.push(() => child.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const url = `http://127.0.0.1:${port}/health`;
    for (let i = 0; ; i++) {
      const up = await fetch(url).then((r) => r.ok, () => false);
      if (up) break;
      if (i > 600 || child.exitCode !== null) throw new Error('platform did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Far more log lines than a pipe holds (64 KiB).
    await hammer(url, 3000);

    reader.kill('SIGKILL');
    await hammer(url, 200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
