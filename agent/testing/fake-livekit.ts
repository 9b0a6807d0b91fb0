import { ServerMessage, WorkerMessage } from '@livekit/protocol';
import { jwtVerify } from 'jose';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * LiveKit's agent dispatch endpoint (`/agent`, protobuf WorkerMessage/ServerMessage) on
 * port 0: checks the worker's token, answers its registration, offers jobs, assigns them.
 */
export class FakeLiveKitDispatch {
  readonly received: WorkerMessage[] = [];
  readonly tokens: { agent?: boolean }[] = [];
  private wss: WebSocketServer | undefined;
  private socket: WebSocket | undefined;
  private waiters: (() => void)[] = [];
  url = '';

  constructor(private readonly apiSecret: string) {}

  async start(): Promise<this> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/agent' });
    this.wss.on('connection', (socket, req) => {
      // The worker registers as soon as the socket opens: listen first, verify the token before answering.
      const jwt = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      const verified = jwtVerify(jwt, new TextEncoder().encode(this.apiSecret)).then(
        ({ payload }) => {
          this.tokens.push((payload as { video?: { agent?: boolean } }).video ?? {});
          this.socket = socket;
          return true;
        },
        () => {
          socket.close(4001, 'unauthorized');
          return false;
        },
      );
      socket.on('message', (data: Buffer) => {
        void verified.then((ok) => {
          if (!ok) return;
          const msg = WorkerMessage.fromBinary(new Uint8Array(data));
          this.received.push(msg);
          if (msg.message.case === 'register') {
            this.send(new ServerMessage({ message: { case: 'register', value: { workerId: 'AW_fake', serverInfo: { edition: 0, version: '1.9.0', protocol: 16 } } } }));
          }
          for (const w of this.waiters.splice(0)) w();
        });
      });
    });
    await new Promise<void>((r) => this.wss?.once('listening', r));
    this.url = `ws://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
    return this;
  }

  send(msg: ServerMessage): void {
    if (!this.socket) throw new Error('no worker connected');
    this.socket.send(msg.toBinary());
  }

  /** The first message the worker sent that matches, waiting for it. */
  async next<C extends WorkerMessage['message']['case']>(kind: C, match: (m: Extract<WorkerMessage['message'], { case: C }>['value']) => boolean = () => true, ms = 30_000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.received.find((m) => m.message.case === kind && match(m.message.value as never));
      if (hit) return hit.message.value as Extract<WorkerMessage['message'], { case: C }>['value'];
      if (Date.now() > deadline) throw new Error(`no ${kind} message from the worker`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 200);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async close(): Promise<void> {
    for (const c of this.wss?.clients ?? []) c.terminate();
    await new Promise<void>((r) => (this.wss ? this.wss.close(() => r()) : r()));
  }
}
