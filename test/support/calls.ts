import type { Platform } from '../../src/platform.js';
import { startBilling } from '../../src/services/time/session-billing.js';

/**
 * The user and the agent are both in a persona session's room: its billing starts now, as
 * the agent's `POST /agent/sessions/{id}/joined` (or LiveKit's participant_joined) starts it.
 */
export async function conversationStarts(platform: Platform, userId: string, sessionId: string): Promise<void> {
  const [row] = await platform.db.query<{ id: string }>(`SELECT id FROM time_sessions WHERE user_id = $1 AND session_id = $2`, [userId, sessionId]);
  if (!row) throw new Error(`no time session ${sessionId}`);
  await startBilling(platform, row.id);
}
