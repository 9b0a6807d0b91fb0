import type Stripe from 'stripe';
import type { Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';

/**
 * Applies one verified Stripe event inside the transaction that records its id, so an
 * event's effects happen exactly once. Handlers must tolerate any order of delivery.
 */
export type StripeEventHandler = (tx: Queryable, event: Stripe.Event, platform: Platform) => Promise<void>;
export type StripeEventHandlers = Partial<Record<Stripe.Event.Type, StripeEventHandler>>;

/**
 * Thrown by a handler for a verified event it must not apply (an amount or currency that is
 * not what was ordered): the event is recorded as rejected with this reason and nothing
 * else it would have done happens.
 */
export class UnprocessableEvent extends Error {
  override name = 'UnprocessableEvent';
}
