import type { JobContext } from '@livekit/agents';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../config.js';
import { acceptPersonaJob, runJob } from '../job.js';
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

describe('a persona job', () => {
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
