import { Type } from '@sinclair/typebox';
import type Stripe from 'stripe';
import { AppError, badRequest, fromDatabaseError } from '../../http/errors.js';
import { ErrorResponse } from '../../http/schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import { verifyStripeEvent } from '../../integrations/stripe/client.js';
import type { Platform } from '../../platform.js';
import { receiptStripeHandlers } from '../monetization/receipts.js';
import { monetizationStripeHandlers } from '../monetization/stripe-events.js';
import { disputeStripeHandlers } from '../time/disputes.js';
import { timeStripeHandlers } from '../time/stripe-events.js';
import { UnprocessableEvent, type StripeEventHandlers } from '../../integrations/stripe/handlers.js';

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
  if (!isEventShape(event)) {
    throw new AppError('webhook_event_invalid', 'The event has no id, type, created time or data.object: it cannot be processed.');
  }
  const now = platform.clock.now();
  let recorded: boolean;
  try {
    recorded = await applyEvent(platform, event, now);
  } catch (err) {
    // Transient database trouble: 503, and Stripe delivers again.
    if (fromDatabaseError(err)?.status === 503) throw err;
    const reason = err instanceof UnprocessableEvent ? err.message : 'the event could not be applied';
    platform.log.error({ err, eventId: event.id, type: event.type }, 'stripe event rejected');
    await platform.db.query(
      `INSERT INTO stripe_events (id, type, created_at, received_at, rejected_reason) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING`,
      [event.id, event.type, new Date(event.created * 1000), now, reason],
    );
    return { eventId: event.id, duplicate: false };
  }
  platform.log.info({ eventId: event.id, type: event.type, duplicate: !recorded }, 'stripe event');
  return { eventId: event.id, duplicate: !recorded };
}

/** What every handler relies on: Stripe's envelope with an object to read. */
function isEventShape(event: Stripe.Event): boolean {
  const e = event as unknown as Record<string, unknown>;
  const data = e.data as Record<string, unknown> | null | undefined;
  return typeof e.id === 'string' && e.id.length > 0 && e.id.length <= 255 && typeof e.type === 'string'
    && typeof e.created === 'number' && Number.isFinite(e.created) && Math.abs(e.created) < 1e11
    && typeof data === 'object' && data !== null && typeof data.object === 'object' && data.object !== null && !Array.isArray(data.object);
}

async function applyEvent(platform: Platform, event: Stripe.Event, now: Date): Promise<boolean> {
  return platform.db.transaction(async (tx) => {
    const fresh = await tx.query(
      `INSERT INTO stripe_events (id, type, created_at, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [event.id, event.type, new Date(event.created * 1000), now],
    );
    if (fresh.length === 0) return false;
    await handlers[event.type]?.(tx, event, platform);
    return true;
  });
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
