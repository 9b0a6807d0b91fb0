import type { JobContext } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import { RoomEvent } from '@livekit/rtc-node';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../config.js';
import { acceptPersonaJob, runJob } from '../job.js';
import { startCall } from '../session.js';
import { FakeOpenAI } from '../testing/fake-openai.js';
import { until } from '../testing/harness.js';
import { FakePlatform, sessionInfo } from '../testing/fake-platform.js';
import '../testing/harness.js';

/** The parts of a JobContext a persona job uses before its session starts. */
function fakeJob(metadata: string) {
  const room = Object.assign(new EventEmitter(), { isConnected: true, remoteParticipants: new Map() });
  const shutdowns: string[] = [];
  const ctx = {
    job: { id: 'AJ_1', metadata, room: { name: 'persona_room_7' } },
    room,
    proc: { userData: {} },
    connect: async () => {},
    // Nobody joins.
    waitForParticipant: () => new Promise(() => {}),
    addShutdownCallback: () => {},
    shutdown: (reason: string) => void shutdowns.push(reason),
  };
  return { ctx: ctx as unknown as JobContext, shutdowns };
}

/** A room the user has joined: the job's session runs (in text), the room's events drive it. */
function joinedJob(metadata: string) {
  const sent: { text: string; options: unknown }[] = [];
  const room = Object.assign(new EventEmitter(), {
    isConnected: true,
    remoteParticipants: new Map(),
    localParticipant: { sendText: async (text: string, options: unknown) => void sent.push({ text, options }) },
  });
  const shutdowns: string[] = [];
  const callbacks: (() => Promise<void>)[] = [];
  const ctx = {
    job: { id: 'AJ_2', metadata, room: { name: 'persona_room_8' } },
    room,
    proc: { userData: {} },
    connect: async () => {},
    waitForParticipant: async () => ({ identity: 'user-1' }),
    addShutdownCallback: (cb: () => Promise<void>) => void callbacks.push(cb),
    shutdown: (reason: string) => {
      shutdowns.push(reason);
      void Promise.all(callbacks.map((cb) => cb()));
    },
  };
  return { ctx: ctx as unknown as JobContext, room, shutdowns, sent };
}

describe('a persona job', () => {
  it('the user leaving the room ends the session (user_left) once: ended, room deleted, job shut down, reported; files go to the user only', async () => {
    const fake = await new FakeOpenAI({ chat: () => ({ text: 'Hello Ada!' }) }).start();
    try {
      const info = sessionInfo();
      const platform = new FakePlatform(info);
      const deleted: string[] = [];
      const { ctx, room, shutdowns, sent } = joinedJob(JSON.stringify({ persona_slug: 'professor-oak-tutor', session_id: 'persona_room_8', time_session_id: info.time_session_id, user_id: 'user-1' }));
      const calls: Awaited<ReturnType<typeof startCall>>[] = [];
      await runJob(ctx, {
        config: loadAgentConfig({ OPENAI_API_BASE: fake.baseURL, LOG_LEVEL: 'silent' }),
        platform,
        rooms: { deleteRoom: async (name) => void deleted.push(name) },
        // The real call, in text: no room audio exists without a LiveKit server.
        startCall: async ({ room: _room, roomInput: _input, parts, ...o }) => {
          const running = await startCall({ ...o, parts: { llm: new openai.LLM({ model: 'gpt-4.1-mini', baseURL: fake.baseURL, apiKey: 'test' }), models: parts.models } });
          calls.push(running);
          return running;
        },
      });
      expect(platform.calls.map((c) => c.route)).toEqual(['get', 'joined']);
      await until(() => fake.chats.length > 0, 10_000, 'the greeting');
      // A premium feature's file goes to the user only, over the room's data channel.
      expect(await calls[0]!.call.deliver({ name: 'plan.ics', mime: 'text/calendar', content: 'BEGIN:VCALENDAR' })).toBe(true);
      expect(sent).toEqual([{ text: 'BEGIN:VCALENDAR', options: { topic: 'mindbot.delivery', attributes: { name: 'plan.ics', mime: 'text/calendar' }, destinationIdentities: ['user-1'] } }]);
      // Someone else leaving changes nothing.
      room.emit(RoomEvent.ParticipantDisconnected, { identity: 'someone-else' });
      await new Promise((r) => setTimeout(r, 100));
      expect(platform.endReasons).toEqual([]);
      room.emit(RoomEvent.ParticipantDisconnected, { identity: 'user-1' });
      room.emit(RoomEvent.ParticipantDisconnected, { identity: 'user-1' });
      await until(() => platform.reports.length > 0, 10_000, 'the report');
      expect(platform.endReasons).toEqual(['user_left']);
      expect(deleted).toEqual(['persona_room_8']);
      expect(shutdowns).toEqual(['user_left']);
      expect(platform.reports.map((r) => r.ended_reason)).toEqual(['user_left']);
      calls[0]?.call.dispose();
      await calls[0]?.session.close().catch(() => {});
    } finally {
      await fake.close();
    }
  });

  it('nobody joins within SESSION_NO_SHOW_SECONDS: the session ends as no_show, is reported, the room is deleted', async () => {
    const info = sessionInfo();
    const platform = new FakePlatform(info);
    const deleted: string[] = [];
    const { ctx, shutdowns } = fakeJob(JSON.stringify({ persona_slug: 'professor-oak-tutor', session_id: 'persona_room_7', time_session_id: info.time_session_id, user_id: 'user-1' }));
    await runJob(ctx, {
      config: loadAgentConfig({ SESSION_NO_SHOW_SECONDS: '1', LOG_LEVEL: 'silent' }),
      platform,
      rooms: { deleteRoom: async (name) => void deleted.push(name) },
    });
    expect(platform.calls.map((c) => c.route)).toEqual(['get', 'end', 'report']);
    expect(platform.endReasons).toEqual(['no_show']);
    expect(platform.reports[0]?.ended_reason).toBe('no_show');
    expect(deleted).toEqual(['persona_room_7']);
    expect(shutdowns).toEqual(['no_show']);
  });

  it('a session the platform already ended is not joined: the room is closed', async () => {
    const info = sessionInfo({ status: 'ended' });
    const platform = new FakePlatform(info);
    await platform.end(info.time_session_id, 'admin');
    const deleted: string[] = [];
    const { ctx } = fakeJob(JSON.stringify({ persona_slug: 'x-y', session_id: 's', time_session_id: info.time_session_id, user_id: 'user-1' }));
    await runJob(ctx, { config: loadAgentConfig({ LOG_LEVEL: 'silent' }), platform, rooms: { deleteRoom: async (name) => void deleted.push(name) } });
    expect(platform.calls.map((c) => c.route)).toEqual(['end', 'get']);
    expect(deleted).toEqual(['persona_room_7']);
  });

  it('a job offered without session metadata is refused', async () => {
    const answers: string[] = [];
    const req = (metadata: string) => ({ job: { id: 'AJ', metadata }, accept: async () => void answers.push('accept'), reject: async () => void answers.push('reject') });
    await acceptPersonaJob(req('not json') as never);
    await acceptPersonaJob(req(JSON.stringify({ persona_slug: 'a', session_id: 'b', time_session_id: 'c', user_id: 'd' })) as never);
    expect(answers).toEqual(['reject', 'accept']);
  });
});
