import type { Platform } from '../../platform.js';
import type { Worker } from '../service.js';
import { lockUser } from '../../db/locks.js';
import { expireUserCards } from './ledger.js';
import { closeQueuedRooms, queueRoomDeletion } from './room-closing.js';
import { closeAtCap, endById } from './session-billing.js';

export interface SweepResult {
  sessionsClosed: number;
  /** Sessions at their cap whose user had bought more time meanwhile: they go on. */
  sessionsExtended: number;
  /** Persona sessions nobody joined within SESSION_NO_SHOW_SECONDS: ended, nothing billed. */
  noShows: number;
  /** LiveKit rooms of ended sessions closed (a failure is retried next sweep). */
  roomsClosed: number;
  cardsExpired: number;
  paymentsCancelled: number;
}

/** How long an Idempotency-Key replay is kept. */
export const IDEMPOTENCY_RETENTION_MS = 24 * 3600 * 1000;
/** A cancellation whose event has not arrived is asked for again after this long. */
const CANCEL_RETRY_MS = 3600 * 1000;

/**
 * One pass of the sweeper: closes sessions that reached their cap (what the balance affords
 * now, the session's limit, from when billing started) — billed at the cap, not at the sweep
 * time — or extends them when their user bought time since the cap was set; ends persona
 * sessions nobody joined within SESSION_NO_SHOW_SECONDS (billing never started, so nothing
 * is billed); closes the LiveKit rooms of the sessions it ended; and records
 * the expiry of cards whose time is up, cancels payments left unpaid for
 * PENDING_PAYMENT_TTL_HOURS, and forgets old Idempotency-Key records. Safe to run
 * concurrently with requests and itself.
 */
export async function sweepOnce(platform: Platform): Promise<SweepResult> {
  const now = platform.clock.now();
  const due = await platform.db.query<{ id: string; room_name: string }>(
    `SELECT id, room_name FROM time_sessions
      WHERE status = 'active' AND cap_seconds IS NOT NULL
        AND billing_started_at + make_interval(secs => cap_seconds) <= $1
      ORDER BY billing_started_at LIMIT 500`,
    [now],
  );
  let sessionsClosed = 0;
  let sessionsExtended = 0;
  for (const s of due) {
    const outcome = await closeAtCap(platform, s.id);
    if (outcome === 'ended') {
      sessionsClosed++;
      await queueRoomDeletion(platform.db, s.room_name, now);
    }
    if (outcome === 'extended') sessionsExtended++;
  }
  // Only persona sessions wait for a join: a plain session bills from its start.
  const unjoined = await platform.db.query<{ id: string; room_name: string }>(
    `SELECT id, room_name FROM time_sessions
      WHERE status = 'active' AND billing_started_at IS NULL
        AND started_at + make_interval(secs => $2::int) <= $1
      ORDER BY started_at LIMIT 500`,
    [now, platform.config.SESSION_NO_SHOW_SECONDS],
  );
  let noShows = 0;
  for (const s of unjoined) {
    if (await endById(platform, s.id, 'no_show')) {
      noShows++;
      await queueRoomDeletion(platform.db, s.room_name, now);
    }
  }
  const roomsClosed = await closeQueuedRooms(platform, now);

  const owners = await platform.db.query<{ user_id: string }>(
    `SELECT DISTINCT user_id FROM time_cards c WHERE time_card_lapsed(c, $1) LIMIT 500`,
    [now],
  );
  let cardsExpired = 0;
  for (const o of owners) {
    cardsExpired += await platform.db.transaction(async (tx) => {
      await lockUser(tx, o.user_id);
      return expireUserCards(tx, o.user_id, now);
    });
  }
  const paymentsCancelled = await cancelAbandonedPayments(platform, now);
  await platform.db.query(`DELETE FROM idempotency_keys WHERE created_at < $1`, [new Date(now.getTime() - IDEMPOTENCY_RETENTION_MS)]);
  return { sessionsClosed, sessionsExtended, noShows, roomsClosed, cardsExpired, paymentsCancelled };
}

/**
 * Cancels the payments of time cards nobody paid for within PENDING_PAYMENT_TTL_HOURS, so an
 * abandoned checkout does not keep its coupon forever. The card changes only when the
 * provider's `payment_intent.canceled` event arrives (one path for every state change).
 */
async function cancelAbandonedPayments(platform: Platform, now: Date): Promise<number> {
  const stale = await platform.db.query<{ id: string; payment_intent_id: string }>(
    `SELECT id, payment_intent_id FROM time_cards
      WHERE status = 'pending_payment' AND payment_intent_id IS NOT NULL AND created_at <= $1
        AND (payment_cancel_requested_at IS NULL OR payment_cancel_requested_at <= $2)
      ORDER BY created_at LIMIT 100`,
    [new Date(now.getTime() - platform.config.PENDING_PAYMENT_TTL_HOURS * 3600_000), new Date(now.getTime() - CANCEL_RETRY_MS)],
  );
  let cancelled = 0;
  for (const card of stale) {
    try {
      await platform.payments.cancelPaymentIntent(card.payment_intent_id);
      await platform.db.query(`UPDATE time_cards SET payment_cancel_requested_at = $2 WHERE id = $1`, [card.id, now]);
      cancelled++;
    } catch (err) {
      platform.log.warn({ err, cardId: card.id }, 'could not cancel an abandoned payment; trying again next sweep');
    }
  }
  return cancelled;
}

/** Runs `sweepOnce` every `intervalMs` until stopped; a failed pass is logged and retried next tick. */
export function startSweeper(platform: Platform, intervalMs = 5_000): Worker {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running !== null) return;
    running = sweepOnce(platform)
      .then((r) => {
        if (Object.values(r).some((n) => n > 0)) platform.log.info(r, 'time sweeper');
      })
      .catch((err: unknown) => platform.log.error({ err }, 'time sweeper failed'))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
