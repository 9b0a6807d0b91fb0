import { type JobContext, type JobRequest, log, voice, type VAD } from '@livekit/agents';
import { RoomEvent, type RemoteParticipant, type Room } from '@livekit/rtc-node';
import { createLiveKitRooms, type LiveKitRooms } from '../src/integrations/livekit/rooms.js';
import { createLogger } from '../src/logger.js';
import { type Call, errorName } from './call/call.js';
import { type AgentConfig, loadAgentConfig } from './config.js';
import { buildLlm, buildStt, buildTts, completer, ttsModelFor, ttsQualityFor } from './models.js';
import { createHttpPlatformClient } from './platform/http.js';
import { type AgentSessionInfo, type EndReason, parseJobMetadata, type PlatformClient } from './platform/types.js';
import { startCall, timingOf } from './session.js';

export interface JobDeps {
  config: AgentConfig;
  platform: PlatformClient;
  rooms: LiveKitRooms;
  /** Starts the persona's call (tests start it without the room's audio). */
  startCall?: typeof startCall;
}

export function jobDeps(config: AgentConfig = loadAgentConfig()): JobDeps {
  return {
    config,
    platform: createHttpPlatformClient({ baseUrl: config.MINDBOT_API_URL, agentKey: config.agentApiKey ?? '' }),
    rooms: createLiveKitRooms({
      url: config.LIVEKIT_URL ?? '',
      apiKey: config.LIVEKIT_API_KEY ?? '',
      apiSecret: config.LIVEKIT_API_SECRET ?? '',
      serverConfigured: true,
      log: createLogger(config.LOG_LEVEL),
    }),
  };
}

/** A job is taken only with the persona session's metadata; anything else is refused. */
export async function acceptPersonaJob(req: JobRequest): Promise<void> {
  try {
    parseJobMetadata(req.job.metadata);
  } catch {
    log().warn({ job_id: req.job.id }, 'refusing a job without persona session metadata');
    await req.reject();
    return;
  }
  await req.accept();
}

/**
 * One persona room: wait for the user (or end as a no-show), report both present, run the
 * call, end it through the platform, delete the room, report usage. Only ids and reasons
 * reach the log.
 */
export async function runJob(ctx: JobContext, deps: JobDeps = jobDeps()): Promise<void> {
  const { config, platform, rooms } = deps;
  const meta = parseJobMetadata(ctx.job.metadata);
  const id = meta.time_session_id;
  const logger = log().child({ time_session_id: id });
  const callLog = { info: (f: Record<string, unknown>, m: string) => logger.info(f, m), warn: (f: Record<string, unknown>, m: string) => logger.warn(f, m) };
  const roomName = ctx.job.room?.name ?? meta.session_id;
  const closeRoom = async () => {
    await rooms.deleteRoom(roomName).catch((err: unknown) => logger.warn({ err: errorName(err) }, 'deleting the room failed'));
  };

  // The session is read while the agent joins the room (both take a round trip).
  let [info] = (await Promise.all([platform.getSession(id), ctx.connect()])) as [AgentSessionInfo, undefined];
  if (info.status === 'ended') {
    await closeRoom();
    ctx.shutdown('already ended');
    return;
  }

  const user = await waitForUser(ctx, meta.user_id, config.SESSION_NO_SHOW_SECONDS);
  if (!user) {
    logger.info({ reason: 'no_show' }, 'nobody joined');
    await platform.end(id, 'no_show').catch((err: unknown) => logger.warn({ err: errorName(err) }, 'ending failed'));
    await platform.report(id, { ended_reason: 'no_show', usage: { llm: [], stt: [], tts: [] }, latency: { e2e_ms: null, llm_ttft_ms: null, tts_ttfb_ms: null } }).catch((err: unknown) => logger.warn({ err: errorName(err) }, 'report failed'));
    await closeRoom();
    ctx.shutdown('no_show');
    return;
  }

  info = await platform.joined(id);
  const vad = ctx.proc.userData.vad as VAD | undefined;
  const { stt, model: sttModel } = buildStt(config);
  const running = await (deps.startCall ?? startCall)({
    platform,
    info,
    parts: { llm: buildLlm(config), stt, tts: buildTts(config, info), ...(vad ? { vad } : {}), models: { llm: config.AGENT_LLM_MODEL, stt: sttModel, tts: ttsModelFor(config, ttsQualityFor(info)) } },
    timing: timingOf(config),
    endpointingDelayMs: config.AGENT_ENDPOINTING_DELAY_MS,
    preemptive: config.AGENT_PREEMPTIVE_GENERATION,
    log: callLog,
    complete: completer(config),
    room: ctx.room,
    roomInput: { participantIdentity: meta.user_id, closeOnDisconnect: false },
    deliver: async (item) => {
      // A file for the user's app (a calendar, a diagram, a transcript), to the user only.
      await ctx.room.localParticipant?.sendText(item.content, {
        topic: 'mindbot.delivery',
        attributes: { name: item.name, mime: item.mime },
        destinationIdentities: [meta.user_id],
      });
    },
    onEnded: async (reason) => {
      await closeRoom();
      ctx.shutdown(reason);
    },
  });
  const { call, session } = running;

  endWhenUserLeaves(ctx.room, meta.user_id, call);
  session.on(voice.AgentSessionEventTypes.Error, (ev) => {
    const error = ev.error as { recoverable?: boolean } | undefined;
    if (error && error.recoverable === false) void call.end('error');
  });
  session.on(voice.AgentSessionEventTypes.Close, () => void call.end(endReasonOnClose(ctx)));
  ctx.addShutdownCallback(async () => {
    // Whatever stopped the job (room deleted elsewhere, worker drain): the platform's end is
    // idempotent, so the session is ended once and reported once.
    const reason = await call.end(endReasonOnClose(ctx));
    await call.finish(reason);
  });
}

/** The user leaving the room ends the call (`user_left`); anyone else leaving does not. */
export function endWhenUserLeaves(room: Pick<Room, 'on'>, userId: string, call: Pick<Call, 'end'>): void {
  room.on(RoomEvent.ParticipantDisconnected, (p: RemoteParticipant) => {
    if (p.identity === userId) void call.end('user_left');
  });
}

function endReasonOnClose(ctx: JobContext): EndReason {
  return ctx.room.isConnected ? 'error' : 'user_left';
}

async function waitForUser(ctx: JobContext, identity: string, seconds: number): Promise<RemoteParticipant | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((r) => {
    timer = setTimeout(() => r(undefined), seconds * 1000);
  });
  try {
    return await Promise.race([ctx.waitForParticipant(identity), timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
