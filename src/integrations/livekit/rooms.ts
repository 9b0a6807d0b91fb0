import { RoomServiceClient } from 'livekit-server-sdk';
import type { Logger } from '../../logger.js';

/** LiveKit's room service, for what the platform must do to a call from the server side. */
export interface LiveKitRooms {
  /**
   * Closes a room: every participant (the user, the agent) is disconnected. A room that no
   * longer exists is already closed, so that is success. Other failures throw.
   */
  deleteRoom(name: string): Promise<void>;
}

export interface LiveKitRoomsOptions {
  /** `ws(s)://` or `http(s)://`: the room service is the same host over HTTP(S). */
  url: string;
  apiKey: string;
  apiSecret: string;
  /**
   * False when LiveKit keys were generated for development: no LiveKit server shares them,
   * so there is no room to close and nothing is contacted.
   */
  serverConfigured: boolean;
  log: Logger;
}

export function createLiveKitRooms(opts: LiveKitRoomsOptions): LiveKitRooms {
  if (!opts.serverConfigured) {
    return {
      deleteRoom: async (name) => {
        opts.log.debug({ room: name }, 'no LiveKit server configured: room not contacted');
      },
    };
  }
  const client = new RoomServiceClient(httpUrl(opts.url), opts.apiKey, opts.apiSecret);
  return {
    deleteRoom: async (name) => {
      try {
        await client.deleteRoom(name);
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    },
  };
}

function httpUrl(url: string): string {
  return url.replace(/^ws(s?):\/\//, 'http$1://');
}

/** Twirp answers `not_found` (HTTP 404) for a room that does not exist. */
function isNotFound(err: unknown): boolean {
  const e = err as { status?: number; code?: string };
  return e?.status === 404 || e?.code === 'not_found';
}
