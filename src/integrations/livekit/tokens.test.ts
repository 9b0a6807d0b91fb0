import { TokenVerifier } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { createLiveKitTokens } from './tokens.js';

const apiKey = 'APItestkey';
const apiSecret = 'a-livekit-api-secret-of-at-least-32-chars';
const tokens = createLiveKitTokens({ url: 'wss://lk.example.test', apiKey, apiSecret, ttlMinutes: 15 });
const verifier = new TokenVerifier(apiKey, apiSecret);

describe('LiveKit tokens', () => {
  it('user token names the user and joins no room', async () => {
    const claims = await verifier.verify(await tokens.userToken({ id: 'usr_1', fullName: 'Ada Lovelace' }));
    expect(claims.sub).toBe('usr_1');
    expect(claims.name).toBe('Ada Lovelace');
    expect(claims.video?.roomJoin).toBeFalsy();
    expect(claims.video?.room).toBeUndefined();
    expect(claims.exp! - claims.nbf!).toBe(15 * 60);
  });

  it('room token joins exactly the named room', async () => {
    const claims = await verifier.verify(
      await tokens.roomToken({ identity: 'usr_2', name: 'Bob', room: 'voice_room_abc', metadata: '{"a":1}' }),
    );
    expect(claims.sub).toBe('usr_2');
    expect(claims.name).toBe('Bob');
    expect(claims.metadata).toBe('{"a":1}');
    expect(claims.video).toMatchObject({
      room: 'voice_room_abc',
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: true,
    });
    expect(claims.roomConfig).toBeUndefined();
  });

  it('room token can dispatch an agent through the room configuration', async () => {
    const claims = await verifier.verify(
      await tokens.roomToken({
        identity: 'usr_3',
        name: 'Cy',
        room: 'persona_room_1',
        agentDispatch: { agentName: 'mindbot-voice-agent', metadata: '{"persona":"tutor"}' },
      }),
    );
    const agents = (claims.roomConfig as unknown as { agents: { agentName: string; metadata: string }[] }).agents;
    expect(agents).toHaveLength(1);
    expect(agents[0]).toMatchObject({ agentName: 'mindbot-voice-agent', metadata: '{"persona":"tutor"}' });
  });

  it('a token signed with another secret does not verify', async () => {
    const other = createLiveKitTokens({ url: 'x', apiKey, apiSecret: 'another-secret-another-secret-another', ttlMinutes: 1 });
    await expect(verifier.verify(await other.userToken({ id: 'u', fullName: 'U' }))).rejects.toThrow();
  });
});
