import type { Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';

/** Rooms closed per sweep at most; the rest wait for the next one. */
const ROOMS_PER_SWEEP = 100;

/** Asks for a room to be closed through LiveKit; kept until LiveKit confirms it. */
export async function queueRoomDeletion(q: Queryable, roomName: string, now: Date): Promise<void> {
  await q.query(`INSERT INTO room_deletions (room_name, requested_at) VALUES ($1, $2) ON CONFLICT (room_name) DO NOTHING`, [roomName, now]);
}

/**
 * Closes the queued rooms through LiveKit's room service (`platform.rooms.deleteRoom`), so a
 * session the platform ended cannot go on in its room (a dead or misbehaving agent keeping a
 * call open for free). A room closed is forgotten; a failure is logged and the room stays
 * queued for the next sweep. Returns how many rooms were closed.
 */
export async function closeQueuedRooms(platform: Platform, now: Date): Promise<number> {
  const queued = await platform.db.query<{ room_name: string }>(
    `SELECT room_name FROM room_deletions ORDER BY requested_at LIMIT ${ROOMS_PER_SWEEP}`,
  );
  let closed = 0;
  for (const { room_name: room } of queued) {
    try {
      await platform.rooms.deleteRoom(room);
      await platform.db.query(`DELETE FROM room_deletions WHERE room_name = $1`, [room]);
      closed++;
    } catch (err) {
      await platform.db.query(
        `UPDATE room_deletions SET attempts = attempts + 1, last_attempt_at = $2 WHERE room_name = $1`,
        [room, now],
      );
      platform.log.warn({ err: (err as Error).message, room }, 'could not close a LiveKit room; trying again next sweep');
    }
  }
  return closed;
}
