import { randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/database.js';
import { lockUser } from '../../db/locks.js';

/**
 * The minute ledger. A card's `remaining_seconds` is its running balance and every change
 * to it is written, in the same transaction, as an append-only `ledger_entries` row; so
 * for every user: sum(entries) = sum(remaining on active cards). Mutations take the user's
 * row lock first, which serialises one user's balance changes without deadlocks.
 */
export interface Balance {
  totalSeconds: number;
  activeCards: number;
  nextExpiration: Date | null;
}

export type LedgerKind =
  | 'activation' | 'session_debit' | 'expiry' | 'refund_reversal' | 'admin_grant' | 'ad_reward' | 'dispute_hold' | 'dispute_release'
  | 'admin_void';

/** Seconds usable now: active cards not yet past their expiry, whether or not the sweeper ran. */
export async function getBalance(q: Queryable, userId: string, now: Date): Promise<Balance> {
  const [row] = await q.query<{ total_seconds: number | string; active_cards: number | string; next_expiration: Date | string | null }>(
    `SELECT * FROM time_usable_balance($1, $2)`,
    [userId, now],
  );
  return {
    totalSeconds: Number(row?.total_seconds ?? 0),
    activeCards: Number(row?.active_cards ?? 0),
    nextExpiration: row?.next_expiration ? new Date(row.next_expiration) : null,
  };
}

/** Seconds as minutes (or hours) with at most two decimals: for rendering only. */
export const toMinutes = (seconds: number): number => Math.round((seconds / 60) * 100) / 100;
export const toHours = (seconds: number): number => Math.round((seconds / 3600) * 100) / 100;

/** The guide's balance object. */
export function balanceBody(b: Balance): {
  total_minutes: number;
  total_hours: number;
  active_cards: number;
  next_expiration: string | null;
} {
  return {
    total_minutes: toMinutes(b.totalSeconds),
    total_hours: toHours(b.totalSeconds),
    active_cards: b.activeCards,
    next_expiration: b.nextExpiration ? b.nextExpiration.toISOString() : null,
  };
}

export async function writeEntry(
  tx: Queryable,
  e: { userId: string; cardId: string; kind: LedgerKind; seconds: number; now: Date; timeSessionId?: string; reference?: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO ledger_entries (user_id, card_id, kind, seconds, time_session_id, reference, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [e.userId, e.cardId, e.kind, e.seconds, e.timeSessionId ?? null, e.reference ?? null, e.now],
  );
}

export const newCardId = (): string => `tcrd_${randomBytes(12).toString('hex')}`;

/**
 * Credits seconds outside a purchase (an admin grant, an ad reward) as a card of its own
 * that expires at `expiresAt`. Idempotent per (kind, reference): a second call does nothing.
 * `now` is the platform clock: the card is activated then.
 */
export async function grantSeconds(
  tx: Queryable,
  g: { userId: string; seconds: number; kind: 'admin_grant' | 'ad_reward'; expiresAt: Date; reference: string; now: Date },
): Promise<void> {
  if (!Number.isInteger(g.seconds) || g.seconds <= 0) throw new RangeError('grantSeconds: seconds must be a positive integer');
  await lockUser(tx, g.userId);
  const now = g.now;
  const rows = await tx.query<{ id: string }>(
    `INSERT INTO time_cards (id, kind, user_id, reference, status, total_seconds, remaining_seconds, activated_at, expires_at, created_at)
     VALUES ($1, $2, $3, $4, 'active', $5, $5, $6, $7, $6)
     ON CONFLICT (kind, reference) WHERE reference IS NOT NULL DO NOTHING
     RETURNING id`,
    [newCardId(), g.kind, g.userId, g.reference, g.seconds, now, g.expiresAt],
  );
  const card = rows[0];
  if (!card) return;
  await writeEntry(tx, { userId: g.userId, cardId: card.id, kind: g.kind, seconds: g.seconds, now, reference: g.reference });
}

/**
 * Takes back what is still unspent on an active card (an admin's void): the remaining seconds
 * leave by one `admin_void` entry; what was already spent stays spent. Locks the holder, then
 * the card. Returns the card's remaining seconds before and how many were removed (0 when
 * nothing was left), or undefined when the card is not active on someone's balance.
 */
export async function voidUnspentSeconds(
  tx: Queryable,
  cardId: string,
  now: Date,
): Promise<{ userId: string; remainingBefore: number; removed: number } | undefined> {
  const [holder] = await tx.query<{ user_id: string | null }>(`SELECT user_id FROM time_cards WHERE id = $1`, [cardId]);
  if (!holder?.user_id) return undefined;
  await lockUser(tx, holder.user_id);
  const [card] = await tx.query<{ user_id: string; status: string; remaining_seconds: number }>(
    `SELECT user_id, status, remaining_seconds FROM time_cards WHERE id = $1 FOR UPDATE`,
    [cardId],
  );
  if (card?.status !== 'active' || card.user_id !== holder.user_id) return undefined;
  const removed = card.remaining_seconds;
  if (removed > 0) {
    await tx.query(`UPDATE time_cards SET remaining_seconds = 0 WHERE id = $1`, [cardId]);
    await writeEntry(tx, { userId: card.user_id, cardId, kind: 'admin_void', seconds: -removed, now });
  }
  return { userId: card.user_id, remainingBefore: removed, removed };
}

/** Expires the user's lapsed cards (sql/functions/time-ledger.sql); call with the user locked. */
export async function expireUserCards(tx: Queryable, userId: string, now: Date): Promise<number> {
  const [row] = await tx.query<{ n: number | string }>(`SELECT time_expire_lapsed_cards($1, $2) AS n`, [userId, now]);
  return Number(row?.n ?? 0);
}
