import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import type { App } from '../../../src/http/app.js';
import type { Platform } from '../../../src/platform.js';

export interface SignedEvent {
  id: string;
  payload: string;
  signature: string;
}

/** A Stripe-shaped event, signed with the platform's webhook secret as Stripe would sign it. */
export function signedEvent(platform: Platform, type: string, object: Record<string, unknown>, id = `evt_${randomBytes(10).toString('hex')}`): SignedEvent {
  const payload = JSON.stringify({
    id,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: Math.floor(platform.clock.now().getTime() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  });
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: platform.secrets.stripeWebhookSecret });
  return { id, payload, signature };
}

/** POSTs a signed event to /webhooks/stripe as Stripe does (raw JSON body). */
export function deliverEvent(app: App, e: SignedEvent) {
  return app.inject({
    method: 'POST',
    url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': e.signature },
    payload: e.payload,
  });
}
