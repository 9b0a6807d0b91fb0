import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TokenVerifier } from 'livekit-server-sdk';

/**
 * A local stand-in for LiveKit's Twirp room service (`/twirp/livekit.RoomService/DeleteRoom`):
 * it checks the SDK's signed token as LiveKit does, records each room deleted, and fails
 * the rooms in `failing` with a 500 until they are taken out.
 */
export async function startFakeRoomService(credentials: () => { apiKey: string; apiSecret: string }) {
  const deleted: string[] = [];
  const failing = new Set<string>();
  async function handle(req: IncomingMessage): Promise<{ status: number; body: unknown }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    const { apiKey, apiSecret } = credentials();
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const grants = token ? await new TokenVerifier(apiKey, apiSecret).verify(token).catch(() => null) : null;
    if (!grants?.video?.roomCreate) return { status: 401, body: { code: 'unauthenticated', msg: 'bad token' } };
    if (req.url !== '/twirp/livekit.RoomService/DeleteRoom') return { status: 404, body: { code: 'bad_route', msg: req.url } };
    if (failing.has(body.room)) return { status: 500, body: { code: 'internal', msg: 'unavailable' } };
    deleted.push(body.room);
    return { status: 200, body: {} };
  }
  const server: Server = createServer((req, res) => {
    void handle(req).then(({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deleted,
    failing,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
