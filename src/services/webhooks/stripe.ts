import { Type } from '@sinclair/typebox';
import type Stripe from 'stripe';
import { badRequest } from '../../http/errors.js';
import { ErrorResponse } from '../../http/schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import { verifyStripeEvent } from '../../integrations/stripe/client.js';
import type { Platform } from '../../platform.js';
import { receiptStripeHandlers } from '../monetization/receipts.js';
import { monetizationStripeHandlers } from '../monetization/stripe-events.js';
import { disputeStripeHandlers } from '../time/disputes.js';
import { timeStripeHandlers } from '../time/stripe-events.js';
import type { StripeEventHandlers } from '../../integrations/stripe/handlers.js';

/** Stripe's own tolerance: a signature older than five minutes is refused (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Every area's handlers; when two areas handle one type, both run (in this order). */
export function combineHandlers(...maps: StripeEventHandlers[]): StripeEventHandlers {
  const combined: StripeEventHandlers = {};
  for (const map of maps) {
    for (const [type, handler] of Object.entries(map) as [keyof StripeEventHandlers, NonNullable<StripeEventHandlers[keyof StripeEventHandlers]>][]) {
      const before = combined[type];
      combined[type] = before
        ? async (tx, event, platform) => {
            await before(tx, event, platform);
            await handler(tx, event, platform);
          }
        : handler;
    }
  }
  return combined;
}

const handlers = combineHandlers(timeStripeHandlers, disputeStripeHandlers, monetizationStripeHandlers, receiptStripeHandlers);

export interface WebhookOutcome {
  eventId: string;
  duplicate: boolean;
}

/**
 * Verifies a Stripe webhook on its raw bytes and applies it in ONE transaction that also
 * records its id, so its effects happen once however often it is delivered. A bad or
 * missing signature is refused (400) before anything is read or written.
 */
export async function handleStripeWebhook(platform: Platform, rawBody: Buffer, signature: string | undefined): Promise<WebhookOutcome> {
  if (!signature) throw badRequest('The Stripe-Signature header is missing.', 'invalid_signature');
  let event: Stripe.Event;
  try {
    event = verifyStripeEvent(rawBody, signature, platform.secrets.stripeWebhookSecret, SIGNATURE_TOLERANCE_SECONDS);
  } catch {
    throw badRequest('The Stripe-Signature header does not match this payload.', 'invalid_signature');
  }
  const now = platform.clock.now();
  const recorded = await platform.db.transaction(async (tx) => {
    const fresh = await tx.query(
      `INSERT INTO stripe_events (id, type, created_at, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [event.id, event.type, new Date(event.created * 1000), now],
    );
    if (fresh.length === 0) return false;
    await handlers[event.type]?.(tx, event, platform);
    return true;
  });
  platform.log.info({ eventId: event.id, type: event.type, duplicate: !recorded }, 'stripe event');
  return { eventId: event.id, duplicate: !recorded };
}

/** POST /webhooks/stripe: the body stays raw bytes in this scope so the signature can be checked. */
export const stripeWebhookRoutes = (platform: Platform): RoutePlugin => publicRoutes(async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.post(
    '/webhooks/stripe',
    {
      // Stripe's events (invoices with many lines) can exceed the API's 64 KiB body limit.
      bodyLimit: WEBHOOK_BODY_LIMIT_BYTES,
      schema: {
        tags: ['webhooks'],
        summary: 'Stripe event receiver (signed with the webhook secret)',
        headers: Type.Object({ 'stripe-signature': Type.Optional(Type.String()) }),
        response: { 200: Type.Object({ status: Type.Literal('received') }), 400: ErrorResponse },
      },
    },
    async (request) => {
      const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      await handleStripeWebhook(platform, raw, request.headers['stripe-signature']);
      return { status: 'received' as const };
    },
  );
});
