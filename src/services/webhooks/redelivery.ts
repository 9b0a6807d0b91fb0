import type { Platform } from '../../platform.js';
import type { Worker } from '../service.js';

/** How often the payment provider is asked for webhook events whose retry is due. */
export const REDELIVERY_TICK_MS = 10_000;

/**
 * The webhooks service's worker for events the payment provider still owes this platform
 * (the simulation's outbox; with Stripe there are none, Stripe retries itself): at the start,
 * every event a previous run left undelivered; then, every REDELIVERY_TICK_MS, those whose
 * retry is due. A tick that is still running when the next is due is not doubled.
 */
export function startRedelivery(platform: Platform, tickMs = REDELIVERY_TICK_MS): Worker {
  let running: Promise<void> | null = null;
  const run = (which: 'due' | 'all'): void => {
    if (running !== null) return;
    running = platform.payments
      .redeliver(which)
      .then(
        () => undefined,
        (err: unknown) => platform.log.error({ err }, 'could not redeliver webhook events'),
      )
      .finally(() => {
        running = null;
      });
  };
  run('all');
  const timer = setInterval(() => run('due'), tickMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
