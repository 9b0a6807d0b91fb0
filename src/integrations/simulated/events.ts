import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Logger } from '../../logger.js';
import { signStripePayload } from '../stripe/client.js';

/** Delivers a raw, signed webhook body exactly as Stripe's POST would (handleStripeWebhook). */
export type WebhookDelivery = (rawBody: Buffer, signature: string) => Promise<unknown>;

export interface SimulatedEventSender {
  /** Queues a Stripe-shaped event for delivery; returns its id. */
  send(type: string, object: Record<string, unknown>): string;
  /** Awaits every queued delivery (tests call it to be deterministic). */
  flush(): Promise<void>;
}

export const SIMULATED_API_VERSION = '2025-01-27.acacia';

export const simulatedId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/**
 * Stands in for Stripe's event delivery: builds an event, signs it with the webhook secret
 * and hands it to the same handler Stripe's POST reaches, after `delayMs`. A failed
 * delivery is retried a few times, as Stripe does.
 */
export function createSimulatedEventSender(opts: {
  webhookSecret: string;
  deliver: WebhookDelivery;
  clock: Clock;
  log: Logger;
  delayMs: number;
}): SimulatedEventSender {
  const pending = new Set<Promise<void>>();

  const deliverWithRetry = async (payload: string, id: string): Promise<void> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        // The signature's timestamp is transport time (checked against the real clock by the SDK).
        await opts.deliver(Buffer.from(payload), signStripePayload(payload, opts.webhookSecret));
        return;
      } catch (err) {
        opts.log.warn({ err: (err as Error).message, eventId: id, attempt }, 'simulated webhook delivery failed');
        await new Promise((r) => setTimeout(r, 20 * attempt));
      }
    }
  };

  return {
    send(type, object) {
      const id = simulatedId('evt');
      const payload = JSON.stringify({
        id,
        object: 'event',
        api_version: SIMULATED_API_VERSION,
        created: Math.floor(opts.clock.now().getTime() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type,
        data: { object },
      });
      const p: Promise<void> = new Promise<void>((r) => setTimeout(r, opts.delayMs))
        .then(() => deliverWithRetry(payload, id))
        .finally(() => pending.delete(p));
      pending.add(p);
      return id;
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
