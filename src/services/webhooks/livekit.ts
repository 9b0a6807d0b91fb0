import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import type { TypedApp } from '../../http/app.js';
import { badRequest, unauthenticated } from '../../http/errors.js';
import { ErrorResponse } from '../../http/schemas.js';
import type { Platform } from '../../platform.js';
import { endById } from '../time/sessions.js';

/** Allowed difference between LiveKit's clock and ours when matching an event to sessions. */
const CLOCK_SKEW_MS = 10_000;

/** Events that mean the user's conversation in a room is over. */
const ENDING_EVENTS = new Set(['participant_left', 'room_finished']);

export interface LiveKitOutcome {
  event: string;
  duplicate: boolean;
  ended: number;
}

/**
 * Applies one LiveKit webhook: verified with WebhookReceiver (a JWT signed with our API
 * secret whose `sha256` claim is the body's hash), recorded by event id so a redelivery
 * does nothing, and — when the room's owner left or the room closed — ends that user's
 * live time sessions in the room that began before the event, exactly as the Time
 * service ends them, so billing does not wait for the client to call end.
 */
export async function handleLiveKitWebhook(platform: Platform, body: string, authorization: string | undefined): Promise<LiveKitOutcome> {
  if (!authorization) throw unauthenticated('The LiveKit webhook Authorization header is missing.');
  const receiver = new WebhookReceiver(platform.secrets.livekitApiKey, platform.secrets.livekitApiSecret);
  let event: WebhookEvent;
  try {
    event = await receiver.receive(body, authorization);
  } catch {
    throw unauthenticated('The LiveKit webhook signature does not match this body.');
  }
  const roomName = event.room?.name || null;
  if (!event.id) throw badRequest('The LiveKit event has no id.');
  const createdAt = event.createdAt > 0n ? new Date(Number(event.createdAt) * 1000) : platform.clock.now();

  const fresh = await platform.db.query(
    `INSERT INTO livekit_events (id, event, room_name, created_at, received_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING RETURNING id`,
    [event.id, event.event, roomName, createdAt, platform.clock.now()],
  );
  if (fresh.length === 0) return { event: event.event, duplicate: true, ended: 0 };
  if (!ENDING_EVENTS.has(event.event) || !roomName) return { event: event.event, duplicate: false, ended: 0 };

  const [room] = await platform.db.query<{ user_id: string }>(`SELECT user_id FROM voice_sessions WHERE room_name = $1`, [roomName]);
  if (!room) return { event: event.event, duplicate: false, ended: 0 };
  // The agent (or anyone else) leaving does not end the owner's conversation.
  if (event.event === 'participant_left' && event.participant?.identity !== room.user_id) {
    return { event: event.event, duplicate: false, ended: 0 };
  }
  const sessions = await platform.db.query<{ id: string }>(
    `SELECT id FROM time_sessions WHERE room_name = $1 AND user_id = $2 AND status = 'active' AND started_at <= $3`,
    [roomName, room.user_id, new Date(createdAt.getTime() + CLOCK_SKEW_MS)],
  );
  let ended = 0;
  try {
    for (const s of sessions) if (await endById(platform, s.id, `livekit_${event.event}`)) ended++;
  } catch (err) {
    // Forget the event so LiveKit's redelivery tries again (ends already made stay made once).
    await platform.db.query(`DELETE FROM livekit_events WHERE id = $1`, [event.id]);
    throw err;
  }
  platform.log.info({ event: event.event, eventId: event.id, room: roomName, ended }, 'livekit event');
  return { event: event.event, duplicate: false, ended };
}

/** POST /webhooks/livekit: the body stays a raw string here so its hash can be checked. */
export const liveKitWebhookRoutes = (platform: Platform): FastifyPluginAsync => async (root) => {
  const app = root as unknown as TypedApp;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post(
    '/webhooks/livekit',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'LiveKit event receiver (Authorization: a JWT signed with the LiveKit API secret)',
        headers: Type.Object({ authorization: Type.Optional(Type.String()) }),
        response: {
          200: Type.Object({ status: Type.Literal('received'), event: Type.String(), duplicate: Type.Boolean(), ended_sessions: Type.Integer() }),
          400: ErrorResponse,
          401: ErrorResponse,
        },
      },
    },
    async (request) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const outcome = await handleLiveKitWebhook(platform, body, request.headers.authorization);
      return { status: 'received' as const, event: outcome.event, duplicate: outcome.duplicate, ended_sessions: outcome.ended };
    },
  );
};
