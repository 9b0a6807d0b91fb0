import { ManualClock } from '../../src/clock.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type { Platform } from '../../src/platform.js';
import { createPlatform } from '../../src/start/platform.js';
import { generateSecrets } from '../../src/secrets.js';
import { createTestDatabase } from './database.js';

export interface TestPlatform extends Platform {
  readonly clock: ManualClock;
}

/** A platform on a fresh database with a manual clock and freshly generated secrets. */
export async function createTestPlatform(
  env: Record<string, string> = {},
  opts: { db?: Database; clock?: ManualClock; log?: Logger } = {},
): Promise<TestPlatform> {
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const clock = opts.clock ?? new ManualClock(new Date());
  const platform = await createPlatform({
    config,
    db: opts.db ?? (await createTestDatabase()),
    log: opts.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    secrets: await generateSecrets(),
    clock,
  });
  return { ...platform, clock };
}
