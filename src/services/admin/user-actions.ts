import { randomBytes } from 'node:crypto';
import { one, type Queryable } from '../../db/database.js';
import { conflict, notFound } from '../../http/errors.js';
import { revokeUserTokens } from '../../http/user-standing.js';
import type { Platform } from '../../platform.js';
import { CARD_VALIDITY_DAYS } from '../time/cards.js';
import { lockUser } from '../../db/locks.js';
import { getBalance, grantSeconds, voidUnspentSeconds } from '../time/ledger.js';
import { closeQueuedRooms, queueRoomDeletion } from '../time/room-closing.js';
import { endByIdIn } from '../time/session-billing.js';
import { writeAudit } from './audit.js';

/** Who acts and why: every admin action carries both into its audit entry. */
export interface Actor {
  adminId: string;
  reason: string;
}

async function balanceSeconds(q: Queryable, userId: string, now: Date): Promise<number> {
  return (await getBalance(q, userId, now)).totalSeconds;
}

async function requireUserRow(q: Queryable, userId: string) {
  const row = await one<{ id: string; disabled_at: Date | null; role: string }>(q, `SELECT id, disabled_at, role FROM users WHERE id = $1`, [userId]);
  if (!row) throw notFound('No user with that id.');
  return row;
}

/**
 * Credits minutes as a card of kind `admin_grant` through the ledger's grantSeconds, valid
 * as long as a bought card. `reference` makes a retried grant a no-op.
 */
export async function grantMinutes(platform: Platform, actor: Actor, userId: string, minutes: number, reference = `admin_${randomBytes(9).toString('hex')}`) {
  const now = platform.clock.now();
  return platform.db.transaction(async (tx) => {
    await requireUserRow(tx, userId);
    await lockUser(tx, userId);
    const before = await balanceSeconds(tx, userId, now);
    await grantSeconds(tx, {
      userId, seconds: minutes * 60, kind: 'admin_grant', reference, now,
      expiresAt: new Date(now.getTime() + CARD_VALIDITY_DAYS * 86_400_000),
    });
    const [card] = await tx.query<{ id: string }>(`SELECT id FROM time_cards WHERE kind = 'admin_grant' AND reference = $1`, [reference]);
    const after = await balanceSeconds(tx, userId, now);
    await writeAudit(tx, {
      adminId: actor.adminId, action: 'user.grant', objectType: 'user', objectId: userId, reason: actor.reason, at: now,
      before: { balance_seconds: before }, after: { balance_seconds: after, card_id: card!.id, granted_seconds: minutes * 60 },
    });
    return { card_id: card!.id, granted_seconds: minutes * 60, balance_seconds: after };
  });
}

/** Takes back what is unspent on a card (a ledger entry); what was spent stays spent. */
export async function voidCard(platform: Platform, actor: Actor, cardId: string) {
  const now = platform.clock.now();
  return platform.db.transaction(async (tx) => {
    const exists = await one(tx, `SELECT 1 FROM time_cards WHERE id = $1`, [cardId]);
    if (!exists) throw notFound('No time card with that id.');
    const voided = await voidUnspentSeconds(tx, cardId, now);
    if (!voided) throw conflict('Only an active card on a user\'s balance can be voided.');
    if (voided.removed === 0) throw conflict('This card has no unspent time left to void.');
    await writeAudit(tx, {
      adminId: actor.adminId, action: 'card.void', objectType: 'card', objectId: cardId, reason: actor.reason, at: now,
      before: { remaining_seconds: voided.remainingBefore }, after: { remaining_seconds: 0, voided_seconds: voided.removed, user_id: voided.userId },
    });
    return { card_id: cardId, voided_seconds: voided.removed, balance_seconds: await balanceSeconds(tx, voided.userId, now) };
  });
}

interface EndedSession {
  id: string;
  room_name: string;
  charged_seconds: number | null;
}

/** Ends one live session in `tx`, audited with it; undefined when it had ended already. */
async function endAudited(tx: Queryable, actor: Actor, id: string, now: Date, endReason: string): Promise<EndedSession | undefined> {
  const before = await one<{ status: string; room_name: string; started_at: Date; user_id: string }>(
    tx, `SELECT status, room_name, started_at, user_id FROM time_sessions WHERE id = $1`, [id],
  );
  if (!before) throw notFound('No session with that id.');
  const { outcome } = await endByIdIn(tx, id, endReason, now);
  if (outcome !== 'ended') return undefined;
  // Queued with the end, so the room is closed even if the call below fails (the sweeper retries).
  await queueRoomDeletion(tx, before.room_name, now);
  const [after] = await tx.query<{ status: string; billed_seconds: number; charged_seconds: number; ended_at: Date }>(
    `SELECT status, billed_seconds, charged_seconds, ended_at FROM time_sessions WHERE id = $1`, [id],
  );
  await writeAudit(tx, {
    adminId: actor.adminId, action: 'session.end', objectType: 'session', objectId: id, reason: actor.reason, at: now,
    before: { status: before.status, user_id: before.user_id, started_at: before.started_at },
    after: { status: after!.status, billed_seconds: after!.billed_seconds, charged_seconds: after!.charged_seconds, end_reason: endReason },
  });
  return { id, room_name: before.room_name, charged_seconds: after!.charged_seconds };
}

/**
 * Closes the queued LiveKit rooms now (the Time service's closeQueuedRooms) rather than at the
 * next sweep; true when every room of `ended` is closed. One still queued is retried by the sweeper.
 */
async function closeRooms(platform: Platform, ended: EndedSession[]): Promise<boolean> {
  if (ended.length === 0) return true;
  await closeQueuedRooms(platform, platform.clock.now());
  const left = await platform.db.query(`SELECT 1 FROM room_deletions WHERE room_name = ANY($1::text[])`, [ended.map((e) => e.room_name)]);
  return left.length === 0;
}

/** Ends a live session billed up to now (the Time service's own end) and deletes its LiveKit room. */
export async function endSessionByAdmin(platform: Platform, actor: Actor, sessionId: string) {
  const now = platform.clock.now();
  const ended = await platform.db.transaction((tx) => endAudited(tx, actor, sessionId, now, 'admin'));
  if (!ended) throw conflict('This session has already ended.');
  const roomClosed = await closeRooms(platform, [ended]);
  return { session_id: sessionId, status: 'completed' as const, charged_seconds: ended.charged_seconds ?? 0, room_closed: roomClosed };
}

/**
 * Disables an account: its access and refresh tokens stop working at once (revokeUserTokens)
 * and its live sessions end, billed up to now, in the same transaction; then their rooms close.
 */
export async function disableUser(platform: Platform, actor: Actor, userId: string) {
  if (userId === actor.adminId) throw conflict('You cannot disable your own account.');
  const now = platform.clock.now();
  const { ended } = await platform.db.transaction(async (tx) => {
    await requireUserRow(tx, userId);
    await lockUser(tx, userId);
    const row = await requireUserRow(tx, userId);
    if (row.disabled_at) throw conflict('This account is already disabled.');
    await tx.query(`UPDATE users SET disabled_at = $2 WHERE id = $1`, [userId, now]);
    await revokeUserTokens(tx, userId, now);
    await writeAudit(tx, {
      adminId: actor.adminId, action: 'user.disable', objectType: 'user', objectId: userId, reason: actor.reason, at: now,
      before: { status: 'active' }, after: { status: 'disabled', disabled_at: now, tokens_valid_after: now },
    });
    const live = await tx.query<{ id: string }>(`SELECT id FROM time_sessions WHERE user_id = $1 AND status = 'active'`, [userId]);
    const endedNow: EndedSession[] = [];
    for (const s of live) {
      const e = await endAudited(tx, actor, s.id, now, 'account_disabled');
      if (e) endedNow.push(e);
    }
    return { ended: endedNow };
  });
  await closeRooms(platform, ended);
  return { user_id: userId, status: 'disabled' as const, ended_sessions: ended.map((e) => e.id) };
}

/** Lifts a disable. Tokens revoked by it stay revoked: the user signs in again. */
export async function enableUser(platform: Platform, actor: Actor, userId: string) {
  const now = platform.clock.now();
  return platform.db.transaction(async (tx) => {
    await requireUserRow(tx, userId);
    await lockUser(tx, userId);
    const row = await requireUserRow(tx, userId);
    if (!row.disabled_at) throw conflict('This account is not disabled.');
    await tx.query(`UPDATE users SET disabled_at = NULL WHERE id = $1`, [userId]);
    await writeAudit(tx, {
      adminId: actor.adminId, action: 'user.enable', objectType: 'user', objectId: userId, reason: actor.reason, at: now,
      before: { status: 'disabled', disabled_at: row.disabled_at }, after: { status: 'active' },
    });
    return { user_id: userId, status: 'active' as const, ended_sessions: [] as string[] };
  });
}
