import { randomBytes } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Queryable } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { signStripePayload } from '../stripe/client.js';

/** Delivers a raw, signed webhook body exactly as Stripe's POST would (handleStripeWebhook). */
export type WebhookDelivery = (rawBody: Buffer, signature: string) => Promise<unknown>;

export interface SimulatedEventSender {
  /** Records a Stripe-shaped event (durably, as Stripe has it once its API answered) and queues its delivery; returns its id. */
  send(type: string, object: Record<string, unknown>): Promise<string>;
  /**
   * Delivers again the events whose retry is due ('due'), or every event still stored ('all':
   * what a previous run left behind, at a start); returns how many were taken. The webhooks
   * service's redelivery worker calls it.
   */
  redeliver(which: 'due' | 'all'): Promise<number>;
  /** Awaits every queued delivery (tests call it to be deterministic; shutdown lets them land). */
  flush(): Promise<void>;
}

export const SIMULATED_API_VERSION = '2025-01-27.acacia';

export const simulatedId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`;

/**
 * Stands in for Stripe's event delivery: builds an event, records it in
 * `simulated_webhook_events`, signs it with the webhook secret and hands it to the same
 * handler Stripe's POST reaches, after `delayMs`. A delivered event is deleted. One that still
 * fails after a few quick tries is tried again later, as Stripe does: after 30 s, then
 * doubling waits of at most an hour, by `redeliver`, which also delivers at a start whatever a
 * previous run left behind (it stopped, or crashed, first). Duplicates are harmless: the
 * handler applies each event id once.
 */
export function createSimulatedEventSender(opts: {
  webhookSecret: string;
  deliver: WebhookDelivery;
  db: Queryable;
  clock: Clock;
  log: Logger;
  delayMs: number;
}): SimulatedEventSender {
  const pending = new Set<Promise<void>>();
  const track = (p: Promise<void>): void => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const inFlight = new Set<string>();
  const deliverStored = async (id: string, payload: string): Promise<void> => {
    if (inFlight.has(id)) return;
    inFlight.add(id);
    try {
      await deliverRound(id, payload);
    } finally {
      inFlight.delete(id);
    }
  };
  const deliverRound = async (id: string, payload: string): Promise<void> => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        // The signature's timestamp is transport time (checked against the real clock by the SDK).
        await opts.deliver(Buffer.from(payload), signStripePayload(payload, opts.webhookSecret));
        await opts.db.query(`DELETE FROM simulated_webhook_events WHERE id = $1`, [id]);
        return;
      } catch (err) {
        opts.log.warn({ err: (err as Error).message, eventId: id, attempt }, 'simulated webhook delivery failed');
        await new Promise((r) => setTimeout(r, 20 * attempt));
      }
    }
    const [row] = await opts.db.query<{ next_attempt_at: Date }>(
      `UPDATE simulated_webhook_events
          SET failed_rounds = failed_rounds + 1,
              next_attempt_at = $2::timestamptz + LEAST(interval '1 hour', interval '30 seconds' * power(2, failed_rounds))
        WHERE id = $1 RETURNING next_attempt_at`,
      [id, opts.clock.now()],
    );
    opts.log.error({ eventId: id, nextAttemptAt: row?.next_attempt_at }, 'simulated webhook not delivered; it will be tried again');
  };

  const redeliver = async (which: 'due' | 'all'): Promise<number> => {
    const stored = await opts.db.query<{ id: string; payload: string }>(
      which === 'due'
        ? `SELECT id, payload FROM simulated_webhook_events
            WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT 100`
        : `SELECT id, payload FROM simulated_webhook_events ORDER BY created_at, id`,
      which === 'due' ? [opts.clock.now()] : [],
    );
    const taken = stored.filter((e) => !inFlight.has(e.id));
    if (which === 'all' && taken.length > 0) opts.log.info({ events: taken.length }, 'delivering simulated webhooks a previous run left behind');
    for (const e of taken) await deliverStored(e.id, e.payload);
    return taken.length;
  };

  return {
    async send(type, object) {
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
      await opts.db.query(`INSERT INTO simulated_webhook_events (id, type, payload, created_at) VALUES ($1, $2, $3, $4)`, [
        id, type, payload, opts.clock.now(),
      ]);
      // Unref'd: a pending delivery does not keep the process alive; shutdown flushes first.
      track(new Promise<void>((r) => setTimeout(r, opts.delayMs).unref()).then(() => deliverStored(id, payload)));
      return id;
    },
    redeliver,
    async flush() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
