import type Stripe from 'stripe';
import type { Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';

/**
 * Applies one verified Stripe event inside the transaction that records its id, so an
 * event's effects happen exactly once. Handlers must tolerate any order of delivery.
 */
export type StripeEventHandler = (tx: Queryable, event: Stripe.Event, platform: Platform) => Promise<void>;
export type StripeEventHandlers = Partial<Record<Stripe.Event.Type, StripeEventHandler>>;
