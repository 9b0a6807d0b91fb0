import { one, type Queryable } from '../../db/database.js';
import { conflict, notFound, validationFailed } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { normalizeActivationCode } from './activation-code.js';
import { getBalance, lockUser, toMinutes, writeEntry, type Balance } from './ledger.js';

/** A card is usable for this long after activation. */
export const CARD_VALIDITY_DAYS = 365;

export interface CardRow {
  id: string;
  kind: 'purchase' | 'admin_grant' | 'ad_reward';
  purchaser_user_id: string | null;
  user_id: string | null;
  activation_code: string | null;
  status: 'pending_payment' | 'failed' | 'paid' | 'active' | 'expired' | 'refunded';
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

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

/** The columns the balance lists (time_cards_listed, migration 0008): only what the response shows. */
export type ListedCard = Pick<
  CardRow,
  'id' | 'user_id' | 'activation_code' | 'status' | 'total_seconds' | 'remaining_seconds' | 'created_at' | 'activated_at' | 'expires_at'
>;

/** The guide's time card object, as the balance lists it. */
export function cardBody(c: ListedCard, now: Date) {
  const lapsed = c.status === 'active' && c.expires_at !== null && new Date(c.expires_at) <= now;
  return {
    id: c.id,
    activation_code: c.activation_code,
    total_minutes: toMinutes(c.total_seconds),
    remaining_minutes: lapsed ? 0 : toMinutes(c.remaining_seconds),
    status: lapsed ? 'expired' : c.status,
    activated_at: iso(c.activated_at),
    expires_at: iso(c.expires_at),
    created_at: new Date(c.created_at).toISOString(),
  };
}

const LISTED_CARDS = 100;

/**
 * The balance and the user's cards (with cards they bought that nobody activated yet),
 * newest first. GET /time/balance is the hottest read: when the user's cards all fit in
 * the list, the balance is summed from the rows of that one query.
 */
export async function balanceWithCards(q: Queryable, userId: string, now: Date): Promise<{ balance: Balance; cards: ListedCard[] }> {
  const rows = await q.query<ListedCard>(`SELECT * FROM time_cards_listed($1, $2)`, [userId, LISTED_CARDS + 1]);
  if (rows.length > LISTED_CARDS) return { balance: await getBalance(q, userId, now), cards: rows.slice(0, LISTED_CARDS) };
  let totalSeconds = 0;
  let activeCards = 0;
  let next: Date | null = null;
  for (const c of rows) {
    const expires = c.expires_at === null ? null : new Date(c.expires_at);
    if (c.user_id !== userId || c.status !== 'active' || !expires || expires <= now || c.remaining_seconds <= 0) continue;
    totalSeconds += c.remaining_seconds;
    activeCards++;
    if (!next || expires < next) next = expires;
  }
  return { balance: { totalSeconds, activeCards, nextExpiration: next }, cards: rows };
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
    if (!card) throw notFound('No time card has that activation code.');
    if (card.status === 'pending_payment') throw conflict('This time card has not been paid for yet; try again once the payment completes.');
    if (card.status === 'failed') throw conflict('The payment for this time card failed, so it cannot be activated.');
    if (card.status === 'refunded') throw conflict('This time card was refunded and cannot be activated.');
    if (card.status !== 'paid') throw conflict('This time card has already been activated.');
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
