import { jwtVerify } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TwirpCall {
  method: string;
  body: Record<string, unknown>;
  grants: { roomCreate?: boolean; roomAdmin?: boolean };
}

/** LiveKit's room service (Twirp over HTTP, JSON) on port 0, checking each call's token. */
export class FakeRoomService {
  readonly calls: TwirpCall[] = [];
  private server: Server | undefined;
  url = '';

  constructor(private readonly apiSecret: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void (async () => {
          const jwt = (req.headers.authorization ?? '').replace(/^Bearer /, '');
          let grants: TwirpCall['grants'];
          try {
            const { payload } = await jwtVerify(jwt, new TextEncoder().encode(this.apiSecret));
            grants = (payload as { video?: TwirpCall['grants'] }).video ?? {};
          } catch {
            res.writeHead(401, { 'content-type': 'application/json' }).end('{"code":"unauthenticated","msg":"bad token"}');
            return;
          }
          const method = (req.url ?? '').replace('/twirp/livekit.RoomService/', '');
          this.calls.push({ method, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'), grants });
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        })();
      });
    });
    await new Promise<void>((r) => this.server?.listen(0, '127.0.0.1', r));
    this.url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
