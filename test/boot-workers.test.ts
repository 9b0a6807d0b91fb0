import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { boot } from '../src/start/boot.js';
import { createTestDatabase } from './support/database.js';

// The background work (the session sweeper, webhook redelivery) runs wherever the routes that
// depend on it are served: with their service, or with the gateway, which serves them all.
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function workersFor(services: string): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mindbot-boot-'));
  dirs.push(dir);
  const db = await createTestDatabase();
  const booted = await boot(loadConfig({ MINDBOT_SERVICES: services, MINDBOT_DATA_DIR: dir }), createLogger('silent'), db);
  try {
    return booted.workers.length;
  } finally {
    await Promise.all(booted.workers.map((w) => w.stop()));
    await Promise.all(booted.apps.map((a) => a.app.close()));
    await db.close();
  }
}

describe('background workers at start', { timeout: 60_000 }, () => {
  it('run with the gateway alone, once each with the gateway and their own service, and not without either', async () => {
    expect(await workersFor('gateway')).toBe(2);
    expect(await workersFor('time,webhooks,gateway')).toBe(2);
    expect(await workersFor('time')).toBe(1);
    expect(await workersFor('auth,personas')).toBe(0);
  });
});
