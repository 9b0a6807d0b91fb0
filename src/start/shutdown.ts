import type { LogOutput } from '../log-output.js';
import type { Logger } from '../logger.js';
import { closePlatform } from './platform.js';
import type { Booted } from './boot.js';

/**
 * Graceful shutdown in phases: answer new requests 503, drain the connections already taken
 * and finish in-flight requests (each app's close, src/http/drain.ts), stop the background workers, deliver simulated webhooks still in flight, then close the database. A second signal forces the exit.
 * The log lines still buffered are written before the exit, for a second at most: the
 * grace timer wins over everything, a log output that does not drain included.
 */
export function installShutdown(booted: Booted, log: Logger, output?: LogOutput, graceMs = 10_000): void {
  const exit = async (code: number) => {
    await output?.flush(1000);
    process.exit(code);
  };
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: forcing exit');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long: forcing exit');
      void exit(1);
    }, graceMs);
    force.unref();
    try {
      await Promise.all(booted.apps.map((a) => a.app.close()));
      await Promise.all(booted.workers.map((w) => w.stop()));
      await closePlatform(booted.platform);
      log.info('shutdown complete');
      await exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      await exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
