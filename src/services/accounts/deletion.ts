import { lockUser } from '../../db/locks.js';
import { revokeUserTokens } from '../../http/user-standing.js';
import type { Platform } from '../../platform.js';
import type { UserRow } from '../auth/users.js';
import { endSubscriptionNow } from '../monetization/subscriptions.js';
import { closeQueuedRooms, queueRoomDeletion } from '../time/room-closing.js';
import { endByIdIn } from '../time/session-billing.js';

/** What a deleted user's own texts become (the columns need some text). */
const WIPED = 'Deleted';

/**
 * Deletes an account by anonymising it. First what still runs is stopped: a live session is
 * ended (and billed) through the Time service's end and its room closed, a live subscription
 * is cancelled at the payment provider. Then, in one transaction, the personal data goes: email, name, password,
 * date of birth, the provider's customer id, preferences, memories, rating feedback,
 * transcripts, one-time links, custom personas' texts. The ledger, time cards, sessions and
 * payments stay, tied only to the opaque user id, so every account still balances.
 */
export async function deleteAccount(platform: Platform, user: UserRow): Promise<void> {
  const now = platform.clock.now();
  const live = await platform.db.query<{ id: string; room_name: string }>(
    `SELECT id, room_name FROM time_sessions WHERE user_id = $1 AND status = 'active'`,
    [user.id],
  );
  // Ended and billed once, like any other end; the room is closed too, so the call cannot go on.
  for (const s of live) {
    await platform.db.transaction(async (tx) => {
      await endByIdIn(tx, s.id, 'account_deleted', now);
      await queueRoomDeletion(tx, s.room_name, now);
    });
  }
  if (live.length > 0) await closeQueuedRooms(platform, now);
  await endSubscriptionNow(platform, user.id);

  await platform.db.transaction(async (tx) => {
    await lockUser(tx, user.id);
    await tx.query(
      `UPDATE users SET email = $2, full_name = 'Deleted user', password_hash = '!', date_of_birth = NULL, last_login = NULL,
                        stripe_customer_id = NULL, memory_enabled = false, email_verified_at = NULL, deleted_at = $3
        WHERE id = $1`,
      [user.id, `${user.id}@deleted.invalid`, now],
    );
    await revokeUserTokens(tx, user.id, now);
    for (const table of ['persona_preferences', 'persona_memories', 'account_tokens', 'idempotency_keys']) {
      await tx.query(`DELETE FROM ${table} WHERE user_id = $1`, [user.id]);
    }
    await tx.query(`UPDATE persona_ratings SET feedback = NULL WHERE user_id = $1`, [user.id]);
    await tx.query(
      `UPDATE agent_reports SET transcript = NULL WHERE time_session_id IN (SELECT id FROM time_sessions WHERE user_id = $1)`,
      [user.id],
    );
    await tx.query(
      `UPDATE personas SET name = $2, summary = $2, persona = $2, purpose = $2, system_prompt = $2, deleted_at = COALESCE(deleted_at, $3)
        WHERE owner_id = $1`,
      [user.id, WIPED, now],
    );
  });
  platform.mailer.forget(user.email);
}
