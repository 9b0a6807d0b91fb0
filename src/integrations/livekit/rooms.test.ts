import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { createLiveKitRooms } from './rooms.js';

const apiKey = 'APIroomstest';
const apiSecret = 'a-secret-of-at-least-thirty-two-characters';
const calls: { path: string; body: unknown; grants: unknown }[] = [];
const missing = new Set(['gone-room']);
let server: Server;
let url: string;

/** A local stand-in for LiveKit's Twirp room service: it checks the SDK's signed token as LiveKit does. */
async function twirp(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const grants = token ? await new TokenVerifier(apiKey, apiSecret).verify(token).catch(() => null) : null;
  if (!grants) return { status: 401, body: { code: 'unauthenticated', msg: 'bad token' } };
  calls.push({ path: req.url ?? '', body, grants });
  if (missing.has(body.room)) return { status: 404, body: { code: 'not_found', msg: 'room not found' } };
  if (body.room === 'broken-room') return { status: 500, body: { code: 'internal', msg: 'boom' } };
  return { status: 200, body: {} };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void twirp(req).then(({ status, body }) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const log = createLogger('silent');

describe('LiveKit room service', () => {
  it('deletes a room through the SDK with a token granting roomCreate', async () => {
    const rooms = createLiveKitRooms({ url, apiKey, apiSecret, serverConfigured: true, log });
    await rooms.deleteRoom('persona_oak_1234');
    const call = calls.at(-1)!;
    expect(call.path).toBe('/twirp/livekit.RoomService/DeleteRoom');
    expect(call.body).toEqual({ room: 'persona_oak_1234' });
    expect(call.grants).toMatchObject({ video: { roomCreate: true } });
  });

  it('a room that no longer exists is already closed: no error', async () => {
    const rooms = createLiveKitRooms({ url, apiKey, apiSecret, serverConfigured: true, log });
    await expect(rooms.deleteRoom('gone-room')).resolves.toBeUndefined();
  });

  it('another failure is reported to the caller', async () => {
    const rooms = createLiveKitRooms({ url, apiKey, apiSecret, serverConfigured: true, log });
    await expect(rooms.deleteRoom('broken-room')).rejects.toThrow();
  });

  it('with development keys no server shares, nothing is contacted', async () => {
    const before = calls.length;
    const rooms = createLiveKitRooms({ url, apiKey, apiSecret, serverConfigured: false, log });
    await rooms.deleteRoom('persona_oak_1234');
    expect(calls.length).toBe(before);
  });
});
