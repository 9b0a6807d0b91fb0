import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Queryable } from '../../db/database.js';
import type { Logger } from '../../logger.js';
import { createSimulatedEventSender, type WebhookDelivery } from '../simulated/events.js';
import { createStripeClient } from '../stripe/client.js';
import type { PaymentProvider } from './provider.js';
import { createSimulatedPaymentProvider } from './simulated.js';
import { createStripePaymentProvider } from './stripe.js';

/** Stripe when STRIPE_SECRET_KEY is set; the simulation (same webhook path) otherwise. */
export function createPaymentProvider(parts: {
  config: Config;
  webhookSecret: string;
  clock: Clock;
  log: Logger;
  deliver: WebhookDelivery;
  /** Where the simulation keeps its events until they are delivered. */
  db: Queryable;
}): PaymentProvider {
  if (parts.config.STRIPE_SECRET_KEY) return createStripePaymentProvider(createStripeClient(parts.config));
  const events = createSimulatedEventSender({
    webhookSecret: parts.webhookSecret,
    deliver: parts.deliver,
    db: parts.db,
    clock: parts.clock,
    log: parts.log,
    delayMs: parts.config.SIMULATED_PAYMENT_DELAY_MS,
  });
  return createSimulatedPaymentProvider(events, parts.clock);
}
