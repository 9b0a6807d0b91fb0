import { Type } from '@sinclair/typebox';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import type { Queryable } from '../../db/database.js';
import { badRequest, unauthenticated } from '../../http/errors.js';
import { ErrorResponse } from '../../http/schemas.js';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { endByIdIn, startBillingIn } from '../time/session-billing.js';

/** Allowed difference between LiveKit's clock and ours when matching an event to sessions. */
const CLOCK_SKEW_MS = 10_000;

/** Events that mean the user's conversation in a room is over. */
const ENDING_EVENTS = new Set(['participant_left', 'room_finished']);

/** ParticipantInfo.Kind.AGENT in LiveKit's protocol. */
const AGENT_KIND = 4;
/** LiveKit Agents join as `agent-<job id>`; older servers do not send the participant's kind. */
const AGENT_IDENTITY_PREFIX = 'agent-';

export interface LiveKitOutcome {
  event: string;
  duplicate: boolean;
  ended: number;
  /** Persona sessions whose billing this event started (the user and the agent both in the room). */
  billingStarted?: number;
}

type Participant = WebhookEvent['participant'];

/** Who a participant is to the room's owner: the owner, an agent, or anyone else. */
function roleOf(participant: Participant, ownerId: string): 'user' | 'agent' | 'other' {
  if (!participant?.identity) return 'other';
  if (participant.identity === ownerId) return 'user';
  if (Number(participant.kind) === AGENT_KIND || participant.identity.startsWith(AGENT_IDENTITY_PREFIX)) return 'agent';
  return 'other';
}

/**
 * Applies one LiveKit webhook: verified with WebhookReceiver (a JWT signed with our API
 * secret whose `sha256` claim is the body's hash), recorded by event id so a redelivery
 * does nothing. When the room's owner or (in a persona session) the agent left, or the room
 * closed, it ends that user's live time sessions in the room that began before the event,
 * exactly as the Time service ends them, so billing does not wait for the client to call
 * end. When the owner and the agent have both joined, the persona session's billing starts.
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

  const now = platform.clock.now();
  // One transaction records the event and applies it, as the Stripe path does: a failure
  // anywhere leaves neither, and LiveKit's redelivery applies it once.
  const outcome = await platform.db.transaction(async (tx): Promise<LiveKitOutcome & { role?: string }> => {
    const fresh = await tx.query(
      `INSERT INTO livekit_events (id, event, room_name, created_at, received_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [event.id, event.event, roomName, createdAt, now],
    );
    if (fresh.length === 0) return { event: event.event, duplicate: true, ended: 0 };
    const nothing = { event: event.event, duplicate: false, ended: 0 };
    if (!roomName || (event.event !== 'participant_joined' && !ENDING_EVENTS.has(event.event))) return nothing;

    const [room] = await tx.query<{ user_id: string }>(`SELECT user_id FROM voice_sessions WHERE room_name = $1`, [roomName]);
    if (!room) return nothing;
    const role = roleOf(event.participant, room.user_id);
    if (event.event === 'participant_joined') {
      if (role === 'other') return nothing;
      return { ...nothing, role, billingStarted: await recordJoin(tx, roomName, room.user_id, role, now) };
    }
    // The owner leaving ends the conversation; so does the agent leaving a persona session
    // (nobody is left to talk to). Anyone else leaving changes nothing.
    if (event.event === 'participant_left' && role === 'other') return nothing;
    const sessions = await tx.query<{ id: string }>(
      `SELECT ts.id FROM time_sessions ts
        WHERE ts.room_name = $1 AND ts.user_id = $2 AND ts.status = 'active' AND ts.started_at <= $3
          AND ($4::boolean IS NOT TRUE OR EXISTS (SELECT 1 FROM persona_sessions ps WHERE ps.time_session_id = ts.id))
        ORDER BY ts.id`,
      [roomName, room.user_id, new Date(createdAt.getTime() + CLOCK_SKEW_MS), event.event === 'participant_left' && role === 'agent'],
    );
    const reason = event.event === 'participant_left' && role === 'agent' ? 'livekit_agent_left' : `livekit_${event.event}`;
    let ended = 0;
    for (const s of sessions) if ((await endByIdIn(tx, s.id, reason, now)).outcome === 'ended') ended++;
    return { ...nothing, ended };
  });
  if (outcome.duplicate) return outcome;
  const { role, ...result } = outcome;
  platform.log.info({ event: event.event, eventId: event.id, room: roomName, role, ended: result.ended, billingStarted: result.billingStarted }, 'livekit event');
  return result;
}

/**
 * A participant joined a room: the owner or an agent. Noted on the room's live persona
 * sessions; once both are in, billing starts (server clock) unless the agent's own
 * `/joined` already started it.
 */
async function recordJoin(tx: Queryable, roomName: string, ownerId: string, role: 'user' | 'agent', now: Date): Promise<number> {
  const column = role === 'user' ? 'user_joined_at' : 'agent_joined_at';
  const joined = await tx.query<{ id: string; both: boolean }>(
    `UPDATE persona_sessions ps SET ${column} = COALESCE(ps.${column}, $3)
       FROM time_sessions ts
      WHERE ts.id = ps.time_session_id AND ts.room_name = $1 AND ts.user_id = $2 AND ts.status = 'active'
     RETURNING ps.time_session_id AS id, (ps.user_joined_at IS NOT NULL AND ps.agent_joined_at IS NOT NULL) AS both`,
    [roomName, ownerId, now],
  );
  let started = 0;
  for (const s of joined.filter((j) => j.both)) {
    if (await startBillingIn(tx, s.id, now)) started++;
  }
  return started;
}

/** POST /webhooks/livekit: the body stays a raw string here so its hash can be checked. */
export const liveKitWebhookRoutes = (platform: Platform): RoutePlugin => publicRoutes(async (app) => {
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
          200: Type.Object({
            status: Type.Literal('received'), event: Type.String(), duplicate: Type.Boolean(), ended_sessions: Type.Integer(),
            billing_started: Type.Optional(Type.Integer({ description: 'participant_joined: persona sessions whose billing began' })),
          }),
          400: ErrorResponse,
          401: ErrorResponse,
        },
      },
    },
    async (request) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const outcome = await handleLiveKitWebhook(platform, body, request.headers.authorization);
      return {
        status: 'received' as const, event: outcome.event, duplicate: outcome.duplicate, ended_sessions: outcome.ended,
        ...(outcome.billingStarted === undefined ? {} : { billing_started: outcome.billingStarted }),
      };
    },
  );
});
