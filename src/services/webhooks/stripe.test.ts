import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';
import { combineHandlers } from './stripe.js';

describe('combineHandlers', () => {
  it('runs every area\'s handler for a shared event type, in order', async () => {
    const ran: string[] = [];
    const combined = combineHandlers(
      { 'payment_intent.succeeded': async () => void ran.push('time') },
      { 'payment_intent.succeeded': async () => void ran.push('monetization'), 'invoice.paid': async () => void ran.push('invoice') },
    );
    const event = { type: 'payment_intent.succeeded' } as Stripe.Event;
    await combined['payment_intent.succeeded']!({} as Queryable, event, {} as Platform);
    await combined['invoice.paid']!({} as Queryable, event, {} as Platform);
    expect(ran).toEqual(['time', 'monetization', 'invoice']);
  });
});
