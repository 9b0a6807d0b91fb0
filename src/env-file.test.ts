import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadEnvFileIfPresent } from './env-file.js';

const keys = ['MINDBOT_ENV_FILE_A', 'MINDBOT_ENV_FILE_B'];
afterEach(() => {
  for (const k of keys) delete process.env[k];
});

describe('loadEnvFileIfPresent', () => {
  it('reads the file into the environment, the real environment winning', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-env-'));
    const file = path.join(dir, '.env');
    await writeFile(file, '# a comment\nMINDBOT_ENV_FILE_A=from-file\nMINDBOT_ENV_FILE_B="from file"\n');
    process.env.MINDBOT_ENV_FILE_B = 'from-environment';
    expect(loadEnvFileIfPresent(file)).toBe(true);
    expect(process.env.MINDBOT_ENV_FILE_A).toBe('from-file');
    expect(process.env.MINDBOT_ENV_FILE_B).toBe('from-environment');
    await rm(dir, { recursive: true, force: true });
  });

  it('changes nothing when there is no file', () => {
    expect(loadEnvFileIfPresent(path.join(os.tmpdir(), 'mindbot-no-such-dir', '.env'))).toBe(false);
    expect(process.env.MINDBOT_ENV_FILE_A).toBeUndefined();
  });
});
