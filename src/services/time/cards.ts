import { one, type Queryable } from '../../db/database.js';
import { conflict, notFound, validationFailed } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { normalizeActivationCode } from './activation-code.js';
import { toMinutes, writeEntry } from './ledger.js';
import { lockUser } from '../../db/locks.js';
import { type Loaded, noticedCache } from '../../db/noticed-cache.js';
import { BALANCE_CHANNEL } from '../../db/notices.js';
import { userWrites } from '../../http/user-writes.js';

/** A card is usable for this long after activation. */
export const CARD_VALIDITY_DAYS = 365;

export interface CardRow {
  id: string;
  kind: 'purchase' | 'admin_grant' | 'ad_reward';
  purchaser_user_id: string | null;
  user_id: string | null;
  activation_code: string | null;
  status: 'pending_payment' | 'failed' | 'paid' | 'active' | 'expired' | 'refunded' | 'disputed';
  total_seconds: number;
  remaining_seconds: number;
  amount_cents: number;
  currency: string;
  refunded_cents: number;
  payment_intent_id: string | null;
  created_at: Date | string;
  activated_at: Date | string | null;
  expires_at: Date | string | null;
}

/** The balance lists at most this many cards (the balance itself counts them all). */
const LISTED_CARDS = 100;

/**
 * GET /time/balance's body as JSON text, built by the database in one call
 * (`time_balance_body`, sql/functions/time-balance.sql): the hottest read of the API
 * never parses and re-serialises card rows. With it, when the body next changes by the
 * clock alone (a card lapsing).
 */
export async function readBalanceBody(q: Queryable, userId: string, now: Date): Promise<Loaded<string>> {
  const [row] = await q.query<{ body: string; lapses_at: Date | null }>(
    `SELECT time_balance_body($1, $2, $3) AS body, time_balance_lapses_at($1, $2) AS lapses_at`,
    [userId, now, LISTED_CARDS],
  );
  return { value: row!.body, staleAt: row!.lapses_at === null ? undefined : new Date(row!.lapses_at).getTime() };
}

/**
 * How long a balance body is kept at most. Every change to a card drops the bodies it is in,
 * in every process (NOTIFY mindbot_balance, sql/functions/change-notices.sql); a user's own
 * change through this process is read back at once (src/http/user-writes.ts); a card lapsing
 * ends the body's time by itself. This bounds only a change whose notice went missing.
 */
export const BALANCE_CACHE_MS = 30_000;
const BALANCE_CACHE = { maxAgeMs: BALANCE_CACHE_MS, maxEntries: 10_000, changing: userWrites };

/** The user's balance body (readBalanceBody), kept between changes. */
export async function balanceBody(platform: Pick<Platform, 'db' | 'clock' | 'log'>, userId: string): Promise<string> {
  const { db, clock } = platform;
  const cache = noticedCache<string>(db, BALANCE_CHANNEL, BALANCE_CACHE, (err) =>
    platform.log.warn({ err }, 'balance changes cannot be heard: balances are read on every request'),
  );
  return cache.read(userId, () => clock.now().getTime(), () => readBalanceBody(db, userId, clock.now()));
}

/**
 * Activates a paid card for whoever holds its code (cards are giftable): its seconds are
 * credited by an `activation` entry and it expires CARD_VALIDITY_DAYS later.
 */
export async function activateCard(platform: Platform, userId: string, code: string) {
  const normalized = normalizeActivationCode(code);
  if (!normalized) throw validationFailed('activation_code must look like XXXX-XXXX-XXXX.', [{ field: 'activation_code', message: 'must look like XXXX-XXXX-XXXX' }]);
  const now = platform.clock.now();
  return platform.db.transaction(async (tx) => {
    const card = await one<CardRow>(tx, `SELECT * FROM time_cards WHERE activation_code = $1 FOR UPDATE`, [normalized]);
    if (!card) throw notFound('No time card has that activation code.', 'activation_code_not_found');
    if (card.status === 'pending_payment') throw conflict('This time card has not been paid for yet; try again once the payment completes.', 'card_not_activatable');
    if (card.status === 'failed') throw conflict('The payment for this time card failed, so it cannot be activated.', 'card_not_activatable');
    if (card.status === 'refunded') throw conflict('This time card was refunded and cannot be activated.', 'card_not_activatable');
    if (card.status === 'disputed') throw conflict('The payment for this time card is disputed, so it cannot be activated until the dispute is resolved.', 'card_not_activatable');
    if (card.status !== 'paid') throw conflict('This time card has already been activated.', 'card_not_activatable');
    await lockUser(tx, userId);
    const expiresAt = new Date(now.getTime() + CARD_VALIDITY_DAYS * 86_400_000);
    const [active] = await tx.query<CardRow>(
      `UPDATE time_cards SET status = 'active', user_id = $2, activated_at = $3, expires_at = $4
        WHERE id = $1 RETURNING *`,
      [card.id, userId, now, expiresAt],
    );
    await writeEntry(tx, { userId, cardId: card.id, kind: 'activation', seconds: card.total_seconds, now });
    // A refund that arrived before activation takes its share now, by its own entry.
    const settled = (await reverseRefundedSeconds(tx, active!, now)) ?? active!;
    return {
      message: 'Time card activated successfully',
      time_card: {
        id: settled.id,
        total_minutes: toMinutes(settled.total_seconds),
        remaining_minutes: toMinutes(settled.remaining_seconds),
        expires_at: expiresAt.toISOString(),
      },
    };
  });
}

/**
 * Removes the refunded share of an active card's seconds (never more than it still holds)
 * with a `refund_reversal` entry. What was already reversed is counted from the ledger, so
 * calling it again, in any order with other events, changes nothing. Caller locks the card.
 */
export async function reverseRefundedSeconds(tx: Queryable, card: CardRow, now: Date): Promise<CardRow | undefined> {
  if (card.status !== 'active' || !card.user_id || card.refunded_cents <= 0 || card.amount_cents <= 0) return undefined;
  await lockUser(tx, card.user_id);
  const target = Math.ceil((card.total_seconds * card.refunded_cents) / card.amount_cents);
  const [done] = await tx.query<{ removed: number | string | null }>(
    `SELECT -COALESCE(SUM(seconds), 0) AS removed FROM ledger_entries WHERE card_id = $1 AND kind = 'refund_reversal'`,
    [card.id],
  );
  const take = Math.min(card.remaining_seconds, Math.max(0, target - Number(done?.removed ?? 0)));
  const fully = card.refunded_cents >= card.amount_cents;
  if (take === 0 && !fully) return undefined;
  const [updated] = await tx.query<CardRow>(
    `UPDATE time_cards SET remaining_seconds = remaining_seconds - $2,
            status = CASE WHEN $3::boolean THEN 'refunded' ELSE status END
      WHERE id = $1 RETURNING *`,
    [card.id, take, fully],
  );
  if (take > 0) await writeEntry(tx, { userId: card.user_id, cardId: card.id, kind: 'refund_reversal', seconds: -take, now });
  return updated;
}
