import type Stripe from 'stripe';
import { one, type Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';
import type { StripeEventHandlers } from '../../integrations/stripe/handlers.js';
import { reverseRefundedSeconds, type CardRow } from './cards.js';
import { writeEntry } from './ledger.js';
import { lockUser } from '../../db/locks.js';
import { cardForIntent } from './stripe-events.js';

/**
 * Disputes of time-card payments (migrations/0012_payment_disputes.sql). An open dispute
 * holds the card's unspent seconds; a dispute MindBot wins, or an inquiry that closes without
 * a chargeback, gives them back; a lost one keeps them. Any order, any number of deliveries:
 * the dispute row remembers whether it was held, closed and released.
 */

/** Closing statuses in which the money stays with MindBot. */
const KEPT = new Set(['won', 'warning_closed']);
const CLOSED = new Set(['won', 'lost', 'warning_closed']);

interface DisputeRow {
  id: string;
  time_card_id: string;
  status: string;
  closed: boolean;
  held_status: 'paid' | 'active' | null;
  held_seconds: number;
  released: boolean;
}

const intentOf = (d: Stripe.Dispute): string | null =>
  typeof d.payment_intent === 'string' ? d.payment_intent : (d.payment_intent?.id ?? null);

/** Records the dispute's latest state (once per id) and returns it locked, with its card locked after the user. */
async function recordDispute(tx: Queryable, platform: Platform, dispute: Stripe.Dispute): Promise<{ row: DisputeRow; card: CardRow } | null> {
  const piId = intentOf(dispute);
  if (!piId) return null;
  const found = await cardForIntent(tx, piId, dispute.metadata);
  if (!found) return null;
  // Lock order everywhere: the user first, then their cards.
  if (found.user_id) await lockUser(tx, found.user_id);
  const card = (await one<CardRow>(tx, `SELECT * FROM time_cards WHERE id = $1 FOR UPDATE`, [found.id]))!;
  const now = platform.clock.now();
  const closed = CLOSED.has(dispute.status);
  const [row] = await tx.query<DisputeRow>(
    `INSERT INTO payment_disputes (id, time_card_id, payment_intent_id, status, closed, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $6)
     ON CONFLICT (id) DO UPDATE
       SET status = CASE WHEN payment_disputes.closed THEN payment_disputes.status ELSE EXCLUDED.status END,
           closed = payment_disputes.closed OR EXCLUDED.closed,
           updated_at = EXCLUDED.updated_at
     RETURNING *`,
    [dispute.id, card.id, piId, dispute.status, closed, now],
  );
  return { row: row!, card };
}

/**
 * Takes the card's unspent seconds off the balance while the dispute is open, and keeps them
 * off for one lost (whichever of its events came first); returns both as they now are.
 */
async function hold(tx: Queryable, platform: Platform, row: DisputeRow, card: CardRow): Promise<{ row: DisputeRow; card: CardRow }> {
  if (row.held_status !== null || (row.closed && KEPT.has(row.status)) || (card.status !== 'paid' && card.status !== 'active')) return { row, card };
  const seconds = card.status === 'active' ? card.remaining_seconds : 0;
  await tx.query(`UPDATE time_cards SET status = 'disputed', remaining_seconds = remaining_seconds - $2 WHERE id = $1`, [card.id, seconds]);
  if (seconds > 0) await writeEntry(tx, { userId: card.user_id!, cardId: card.id, kind: 'dispute_hold', seconds: -seconds, now: platform.clock.now(), reference: row.id });
  await tx.query(`UPDATE payment_disputes SET held_status = $2, held_seconds = $3 WHERE id = $1`, [row.id, card.status, seconds]);
  return {
    row: { ...row, held_status: card.status, held_seconds: seconds },
    card: { ...card, status: 'disputed', remaining_seconds: card.remaining_seconds - seconds },
  };
}

/**
 * Gives the held seconds back once a dispute closed in MindBot's favour, less what a refund
 * that arrived meanwhile paid back: the card ends with the seconds its money still allows.
 */
async function release(tx: Queryable, platform: Platform, row: DisputeRow, card: CardRow): Promise<void> {
  if (!row.closed || !KEPT.has(row.status) || row.held_status === null || row.released || card.status !== 'disputed') return;
  const now = platform.clock.now();
  const [restored] = await tx.query<CardRow>(
    `UPDATE time_cards SET status = $2, remaining_seconds = remaining_seconds + $3 WHERE id = $1 RETURNING *`,
    [card.id, row.held_status, row.held_seconds],
  );
  if (row.held_seconds > 0) {
    await writeEntry(tx, { userId: card.user_id!, cardId: card.id, kind: 'dispute_release', seconds: row.held_seconds, now, reference: row.id });
  }
  await tx.query(`UPDATE payment_disputes SET released = true WHERE id = $1`, [row.id]);
  if (restored!.refunded_cents <= 0) return;
  if (restored!.status === 'active') {
    await reverseRefundedSeconds(tx, restored!, now);
  } else if (restored!.refunded_cents >= restored!.amount_cents) {
    await tx.query(`UPDATE time_cards SET status = 'refunded' WHERE id = $1 AND status = 'paid'`, [card.id]);
  }
}

const onDispute = async (tx: Queryable, event: Stripe.Event, platform: Platform): Promise<void> => {
  const recorded = await recordDispute(tx, platform, event.data.object as Stripe.Dispute);
  if (!recorded) return;
  const held = await hold(tx, platform, recorded.row, recorded.card);
  await release(tx, platform, held.row, held.card);
};

export const disputeStripeHandlers: StripeEventHandlers = {
  'charge.dispute.created': onDispute,
  'charge.dispute.updated': onDispute,
  'charge.dispute.funds_withdrawn': onDispute,
  'charge.dispute.closed': onDispute,
};
