import type Stripe from 'stripe';
import { one, type Queryable } from '../../db/database.js';

import { UnprocessableEvent, type StripeEventHandlers } from '../../integrations/stripe/handlers.js';
import { releaseRedemption } from '../coupons/coupons.js';
import { reverseRefundedSeconds, type CardRow } from './cards.js';
import { lockUser } from '../../db/locks.js';

export const TIME_CARD_PURPOSE = 'time_card_purchase';

/**
 * Time-card payments follow Stripe's events. Each handler moves a card only forward
 * (pending → paid, pending → failed, paid/active → refunded), so duplicates and any order
 * of delivery end in the same state.
 */
export const timeStripeHandlers: StripeEventHandlers = {
  'payment_intent.succeeded': async (tx, event, platform) => {
    const pi = event.data.object as Stripe.PaymentIntent;
    const card = await cardForIntent(tx, pi.id, pi.metadata);
    if (!card) return;
    // What was received, not what was asked: a succeeded intent that received nothing pays nothing.
    const received = typeof pi.amount_received === 'number' ? pi.amount_received : null;
    if (received !== card.amount_cents || pi.currency !== card.currency) {
      platform.log.error({ cardId: card.id, paymentIntentId: pi.id, received, expected: card.amount_cents }, 'payment amount does not match the time card; not fulfilled');
      throw new UnprocessableEvent(`received ${received ?? 'nothing'} ${pi.currency}, the card costs ${card.amount_cents} ${card.currency}`);
    }
    const now = platform.clock.now();
    await tx.query(
      `UPDATE time_cards SET status = CASE WHEN status IN ('pending_payment', 'failed') THEN 'paid' ELSE status END,
              paid_at = COALESCE(paid_at, $2), payment_intent_id = COALESCE(payment_intent_id, $3)
        WHERE id = $1`,
      [card.id, now, pi.id],
    );
    await tx.query(
      `INSERT INTO payment_history (user_id, amount_cents, currency, status, payment_intent_id, purpose, reference, created_at)
       VALUES ($1, $2, $3, 'succeeded', $4, $5, $6, $7)
       ON CONFLICT (payment_intent_id) WHERE status = 'succeeded' DO NOTHING`,
      [card.purchaser_user_id, card.amount_cents, card.currency, pi.id, TIME_CARD_PURPOSE, card.id, now],
    );
  },

  // Canceled is final (a failed attempt is not: the same intent may still succeed), so the
  // coupon this purchase used, if any, is given back.
  'payment_intent.canceled': async (tx, event) => {
    const pi = event.data.object as Stripe.PaymentIntent;
    const card = await cardForIntent(tx, pi.id, pi.metadata);
    if (!card) return;
    await markCardFailed(tx, card.id, pi.id);
    if (card.status === 'pending_payment' || card.status === 'failed') await releaseRedemption(tx, 'time_card', card.id);
  },

  'payment_intent.payment_failed': async (tx, event, platform) => {
    const pi = event.data.object as Stripe.PaymentIntent;
    const card = await cardForIntent(tx, pi.id, pi.metadata);
    if (!card) return;
    await markCardFailed(tx, card.id, pi.id);
    await tx.query(
      `INSERT INTO payment_history (user_id, amount_cents, currency, status, payment_intent_id, purpose, reference, created_at)
       VALUES ($1, $2, $3, 'failed', $4, $5, $6, $7)`,
      [card.purchaser_user_id, card.amount_cents, card.currency, pi.id, TIME_CARD_PURPOSE, card.id, platform.clock.now()],
    );
  },

  'charge.refunded': async (tx, event, platform) => {
    const charge = event.data.object as Stripe.Charge;
    const piId = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
    if (!piId) return;
    const found = await cardForIntent(tx, piId, charge.metadata);
    if (!found) return;
    // Lock order everywhere: the user first, then their cards.
    if (found.user_id) await lockUser(tx, found.user_id);
    const card = (await one<CardRow>(tx, `SELECT * FROM time_cards WHERE id = $1 FOR UPDATE`, [found.id]))!;
    if (!Number.isSafeInteger(charge.amount_refunded) || charge.amount_refunded < 0 || (charge.currency && charge.currency !== card.currency)) {
      throw new UnprocessableEvent(`refund of ${String(charge.amount_refunded)} ${String(charge.currency)} does not fit the card`);
    }
    const refunded = Math.max(card.refunded_cents, Math.min(charge.amount_refunded, card.amount_cents));
    const delta = refunded - card.refunded_cents;
    const fully = refunded >= card.amount_cents;
    const [updated] = await tx.query<CardRow>(
      `UPDATE time_cards SET refunded_cents = $2,
              status = CASE WHEN $3::boolean AND status IN ('pending_payment', 'failed', 'paid') THEN 'refunded' ELSE status END
        WHERE id = $1 RETURNING *`,
      [card.id, refunded, fully],
    );
    const now = platform.clock.now();
    await reverseRefundedSeconds(tx, updated!, now);
    if (delta > 0 && card.purchaser_user_id) {
      await tx.query(
        `INSERT INTO payment_history (user_id, amount_cents, currency, status, payment_intent_id, purpose, reference, created_at)
         VALUES ($1, $2, $3, 'refunded', $4, $5, $6, $7)`,
        [card.purchaser_user_id, delta, card.currency, piId, TIME_CARD_PURPOSE, card.id, now],
      );
    }
  },
};

/** The card a payment is for: by our metadata, else by the stored intent id. Other purposes are not ours. */
export async function cardForIntent(tx: Queryable, paymentIntentId: string, metadata: Stripe.Metadata | null | undefined): Promise<CardRow | undefined> {
  if (metadata?.purpose && metadata.purpose !== TIME_CARD_PURPOSE) return undefined;
  if (metadata?.time_card_id) {
    const card = await one<CardRow>(tx, `SELECT * FROM time_cards WHERE id = $1 AND kind = 'purchase'`, [metadata.time_card_id]);
    if (card && (card.payment_intent_id === null || card.payment_intent_id === paymentIntentId)) return card;
    return undefined;
  }
  return one<CardRow>(tx, `SELECT * FROM time_cards WHERE payment_intent_id = $1`, [paymentIntentId]);
}

/** pending → failed (only: a later success still wins, a success is never undone by a failure). */
export async function markCardFailed(tx: Queryable, cardId: string, paymentIntentId: string): Promise<void> {
  await tx.query(
    `UPDATE time_cards SET status = 'failed', payment_intent_id = COALESCE(payment_intent_id, $2)
      WHERE id = $1 AND status = 'pending_payment'`,
    [cardId, paymentIntentId],
  );
}

