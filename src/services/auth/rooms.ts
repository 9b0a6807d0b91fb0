import type { Queryable } from '../../db/database.js';
import { forbidden } from '../../http/errors.js';

export interface Room {
  id: number;
  roomName: string;
}

/**
 * Records `roomName` as belonging to `userId` (or finds it, if it already does).
 * A room that belongs to another user is refused with 403: a user can never take a
 * token for, or bill time in, someone else's room.
 */
export async function claimRoom(q: Queryable, userId: string, roomName: string): Promise<Room> {
  await q.query(
    `INSERT INTO voice_sessions (user_id, room_name) VALUES ($1, $2) ON CONFLICT (room_name) DO NOTHING`,
    [userId, roomName],
  );
  const [row] = await q.query<{ id: number; user_id: string }>(
    `SELECT id, user_id FROM voice_sessions WHERE room_name = $1`,
    [roomName],
  );
  if (!row || row.user_id !== userId) throw forbidden('That room belongs to another user.', 'room_not_owned');
  return { id: Number(row.id), roomName };
}

/** Room names LiveKit and MindBot both accept. */
export const ROOM_NAME_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';
