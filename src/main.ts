import { type Config, ConfigError, loadConfig } from './config.js';
import { MigrationError } from './db/migrate.js';
import { stdoutLogOutput } from './log-output.js';
import { loadEnvFileIfPresent } from './env-file.js';
import { createLogger } from './logger.js';
import { boot } from './start/boot.js';
import { installShutdown } from './start/shutdown.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    loadEnvFileIfPresent();
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const output = stdoutLogOutput();
  const log = createLogger(config.LOG_LEVEL, output);
  for (const warning of config.warnings) log.warn(warning);
  // A fault no request owns: logged (and written out, briefly) before the process ends.
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    void output.flush(1000).then(() => process.exit(1));
  });
  const booted = await boot(config, log);
  installShutdown(booted, log, output);
  for (const { name, port, app } of booted.apps) {
    await app.listen({ host: config.HOST, port });
    const url = `http://${config.HOST}:${port}`;
    // One human line per service, besides the JSON logs (and, like them, never blocking).
    output.write(`${name.padEnd(13)} ${url.padEnd(24)} docs: ${url}/docs\n`);
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
