import Stripe from 'stripe';
import type { Config } from '../../config.js';

/**
 * The official Stripe SDK client. STRIPE_API_BASE points it at another Stripe-compatible
 * server (stripe-mock, the tests' local fake) through the SDK's host/port/protocol options.
 */
export function createStripeClient(config: Pick<Config, 'STRIPE_SECRET_KEY' | 'STRIPE_API_BASE'>): Stripe {
  if (!config.STRIPE_SECRET_KEY) throw new Error('createStripeClient needs STRIPE_SECRET_KEY');
  const options: Stripe.StripeConfig = {
    maxNetworkRetries: 2,
    timeout: 15_000,
    telemetry: false,
    appInfo: { name: 'MindBot' },
  };
  if (config.STRIPE_API_BASE) {
    const base = new URL(config.STRIPE_API_BASE);
    const protocol = base.protocol === 'http:' ? 'http' : 'https';
    options.host = base.hostname;
    options.port = base.port || (protocol === 'http' ? 80 : 443);
    options.protocol = protocol;
  }
  return new Stripe(config.STRIPE_SECRET_KEY, options);
}

/** Verifies a webhook's signature on its raw bytes; throws Stripe's SignatureVerificationError. */
export function verifyStripeEvent(rawBody: Buffer, signature: string, secret: string, toleranceSeconds = 300): Stripe.Event {
  return Stripe.webhooks.constructEvent(rawBody, signature, secret, toleranceSeconds);
}

/** A Stripe-Signature header for `payload` (the simulated provider and tests sign with it). */
export function signStripePayload(payload: string, secret: string, timestampSeconds?: number): string {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: timestampSeconds });
}
