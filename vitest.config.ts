import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The voice agent never opens the database: its tests run once, in the PGlite pass.
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', ...(process.env.TEST_DATABASE_URL ? [] : ['agent/**/*.test.ts'])],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Tests must not depend on the developer's environment.
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  },
});
