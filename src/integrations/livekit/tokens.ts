import { AccessToken, RoomAgentDispatch, RoomConfiguration } from 'livekit-server-sdk';

/** Mints LiveKit access tokens (HS256 with the LiveKit API key and secret). */
export interface LiveKitTokens {
  /** The LiveKit server URL clients connect to (`livekit_url`). */
  readonly url: string;
  /**
   * The token handed out at login/register: it names the user (identity = user id,
   * name = full name) but grants no room join, so it cannot be used to enter any room,
   * and so cannot bypass room ownership or billing. Rooms need `roomToken`.
   */
  userToken(user: { id: string; fullName: string }): Promise<string>;
  /** A token that may join exactly `room` (publish, subscribe, data), optionally dispatching an agent. */
  roomToken(opts: RoomTokenOptions): Promise<string>;
}

export interface RoomTokenOptions {
  identity: string;
  name: string;
  room: string;
  metadata?: string;
  agentDispatch?: { agentName: string; metadata: string };
}

export interface LiveKitTokenOptions {
  url: string;
  apiKey: string;
  apiSecret: string;
  ttlMinutes: number;
}

export function createLiveKitTokens(opts: LiveKitTokenOptions): LiveKitTokens {
  const ttl = opts.ttlMinutes * 60;
  const base = (identity: string, name: string, metadata?: string) =>
    new AccessToken(opts.apiKey, opts.apiSecret, { identity, name, ttl, ...(metadata === undefined ? {} : { metadata }) });

  return {
    url: opts.url,
    userToken: (user) => {
      const at = base(user.id, user.fullName);
      at.addGrant({ roomJoin: false, canPublish: false, canSubscribe: false, canPublishData: false });
      return at.toJwt();
    },
    roomToken: (o) => {
      const at = base(o.identity, o.name, o.metadata);
      at.addGrant({ room: o.room, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: true });
      if (o.agentDispatch) {
        at.roomConfig = new RoomConfiguration({
          agents: [new RoomAgentDispatch({ agentName: o.agentDispatch.agentName, metadata: o.agentDispatch.metadata })],
        });
      }
      return at.toJwt();
    },
  };
}
