import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

/** A raw TCP connection: what it received, and how it ended (`end` for a FIN, or the error's code). */
function connect(port: number) {
  const socket = net.connect(port, '127.0.0.1');
  const state = { received: '', ended: null as string | null };
  socket.setEncoding('utf8');
  socket.on('data', (d) => (state.received += d));
  socket.on('end', () => (state.ended ??= 'end'));
  socket.on('error', (e: NodeJS.ErrnoException) => (state.ended ??= e.code ?? e.message));
  const connected = new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return { socket, state, connected };
}

const GET_HEALTH = 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
const GET_CATEGORIES = 'GET /categories HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The drain of src/http/drain.ts, on the gateway as the start-up layer listens with it.
describe('closing a listening app', () => {
  it('answers connections taken before the close, queued or silent, ends an idle keep-alive one, then refuses', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address() as net.AddressInfo;

    // A keep-alive connection that had its answer, and one accepted that has sent nothing yet.
    const idle = connect(port);
    await idle.connected;
    idle.socket.write(GET_HEALTH);
    while (!idle.state.received.includes('"service"')) await sleep(5);
    const silent = connect(port);
    await silent.connected;
    // An answer prepared to be sent again before the router (src/http/prepared-answers.ts).
    for (let i = 0; i < 2; i++) expect((await fetch(`http://127.0.0.1:${port}/categories`, { headers: { connection: 'close' } })).status).toBe(200);

    // Connections whose handshake the kernel completes while the event loop is busy wait in
    // the accept queue; the close begins before the process has taken them.
    const queued = Array.from({ length: 5 }, () => connect(port));
    for (const q of queued) void q.connected.then(() => q.socket.write(GET_HEALTH), () => {});
    const busyUntil = Date.now() + 200;
    while (Date.now() < busyUntil) {
      // The kernel completes the handshakes meanwhile.
    }
    const closed = app.close();
    await sleep(150);
    // Its request, sent while the app closes, is read and refused in the error shape, even
    // one whose answer is prepared.
    silent.socket.write(GET_CATEGORIES);
    await closed;
    while ([silent, idle, ...queued].some((c) => c.state.ended === null)) await sleep(5);
    // Each queued connection was accepted and answered, none reset.
    expect(queued.map((q) => [q.state.ended, q.state.received.slice(0, 12)])).toEqual(queued.map(() => ['end', 'HTTP/1.1 503']));
    expect(silent.state.received).toMatch(/^HTTP\/1\.1 503 /);
    expect(silent.state.received.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(silent.state.received.slice(silent.state.received.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'unavailable' });
    expect(silent.state.ended).toBe('end');
    // The idle keep-alive connection was ended, not reset.
    expect(idle.state.ended).toBe('end');
    // And the listener is gone.
    const late = connect(port);
    await expect(late.connected).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
