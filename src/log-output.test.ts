import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logOutput } from './log-output.js';

describe('the log output', () => {
  it('writes every line, in order, by the time flush resolves', async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'mindbot-log-')), 'out.log');
    const fd = openSync(file, 'w');
    const output = logOutput(fd);
    const expected: string[] = [];
    for (let turn = 0; turn < 5; turn++) {
      for (let i = 0; i < 400; i++) {
        const line = `{"turn":${turn},"i":${i},"text":"héllo ✓"}\n`;
        expected.push(line);
        output.write(line);
      }
      await new Promise((r) => setImmediate(r));
    }
    output.write('last line, written just before the flush\n');
    expected.push('last line, written just before the flush\n');
    await output.flush(5000);
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(expected.join(''));
    expect(output.dropped).toBe(0);
  });
});

describe('the log output to a pipe nobody reads', () => {
  it('never blocks: writing goes on, flush gives up at its timeout, and what did not fit is counted as dropped', async () => {
    const fifo = path.join(mkdtempSync(path.join(os.tmpdir(), 'mindbot-log-')), 'pipe');
    execFileSync('mkfifo', [fifo]);
    // The reader holds the pipe open and never reads.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const output = logOutput(fd);
    const line = `${JSON.stringify({ msg: 'request', pad: 'x'.repeat(200) })}\n`;
    const began = performance.now();
    // 12 MB: more than the pipe holds (64 KiB) and more than the output keeps (8 MB).
    for (let turn = 0; turn < 60; turn++) {
      for (let i = 0; i < 1000; i++) output.write(line);
      await new Promise((r) => setImmediate(r));
    }
    await output.flush(300);
    expect(performance.now() - began).toBeLessThan(5000);
    expect(output.dropped).toBeGreaterThan(10_000);
    closeSync(fd);
    closeSync(reader);
  });
});
