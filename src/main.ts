import { type Config, ConfigError, loadConfig } from './config.js';
import { MigrationError } from './db/migrate.js';
import { createLogger } from './logger.js';
import { boot } from './start/boot.js';
import { installShutdown } from './start/shutdown.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL);
  const booted = await boot(config, log);
  installShutdown(booted, log);
  for (const { name, port, app } of booted.apps) {
    await app.listen({ host: config.HOST, port });
    const url = `http://${config.HOST}:${port}`;
    // One human line per service, besides the JSON logs.
    console.log(`${name.padEnd(13)} ${url.padEnd(24)} docs: ${url}/docs`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof MigrationError) {
    console.error(`MindBot did not start: ${err.message}`);
    process.exit(2);
  }
  console.error('MindBot failed to start:', err);
  process.exit(1);
});
