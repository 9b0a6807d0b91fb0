import { afterEach, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../config.js';
import { jobDeps } from '../job.js';
import { sessionInfo } from '../testing/fake-platform.js';
import { FakeRoomService } from '../testing/fake-twirp.js';
import { type TextCall, textCall, until } from '../testing/harness.js';

let call: TextCall | undefined;
let rooms: FakeRoomService | undefined;
afterEach(async () => {
  await call?.close();
  await rooms?.close();
  call = undefined;
});

describe('room deletion (livekit-server-sdk against a fake room service)', () => {
  it('at the end of the budget the room is deleted, after the goodbye and the platform end', async () => {
    rooms = await new FakeRoomService('s'.repeat(32)).start();
    const deps = jobDeps(loadAgentConfig({ LIVEKIT_URL: rooms.url, LIVEKIT_API_KEY: 'APIkey', LIVEKIT_API_SECRET: 's'.repeat(32), AGENT_API_KEY: 'k'.repeat(32), LOG_LEVEL: 'silent' }));
    const order: string[] = [];
    call = await textCall({
      info: sessionInfo({ room_name: 'persona_room_1', budget: { seconds_left: 1 } }),
      chat: () => ({ text: 'Goodbye for now!' }),
      extra: {
        onEnded: async () => {
          order.push(`ended:${call?.platform.endReasons.join(',')}`);
          await deps.rooms.deleteRoom('persona_room_1');
        },
      },
    });
    await until(() => rooms!.calls.length > 0, 15_000, 'deleteRoom');
    expect(rooms.calls).toEqual([{ method: 'DeleteRoom', body: { room: 'persona_room_1' }, grants: expect.objectContaining({ roomCreate: true }) }]);
    expect(order).toEqual(['ended:budget']);
  });
});
