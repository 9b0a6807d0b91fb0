import type { ServerResponse } from 'node:http';
import net from 'node:net';
import type { FastifyInstance } from 'fastify';

interface Connection {
  /** A request on it is being answered. */
  busy: boolean;
  /** It has had an answer: idle now means a keep-alive connection between requests. */
  answered: boolean;
}

/** The listener closes once no connection arrived for this long (or half the window passed). */
const QUIET_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves in the check phase: the poll phase, where connections are accepted, has just run. */
const afterPoll = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The drain phase of a closing app, as a preClose hook: Fastify runs it after the app's own
 * (which makes every request from now on answer `503 unavailable`, with `Connection: close`)
 * and before `server.close()`. Node 20's `server.close()` closes the listener at once, which
 * resets the connections still in the kernel's accept queue — their handshake completed, often
 * before the signal, while the event loop was busy — so their clients saw ECONNRESET for a
 * request they had every reason to think was taken. It also destroys idle keep-alive
 * connections, and leaves open those accepted that have sent nothing yet.
 *
 * So the listener stays open until the accept queue is empty (no connection for QUIET_MS,
 * at most half the window), is then closed without Node's closeIdleConnections(), and the
 * connections taken get the rest of `windowMs` to send their request and read its answer;
 * idle keep-alive connections are ended once answered. Then `server.close()` destroys the
 * idle keep-alive connections left and waits for the requests running; a connection still
 * silent is not destroyed (its request is refused 503 if it comes before the process exits).
 */
export function installDrain(app: FastifyInstance, windowMs: number): void {
  const server = app.server;
  const open = new Map<net.Socket, Connection>();
  let draining = false;
  let lastConnection = 0;

  const endIfIdle = (socket: net.Socket, c: Connection) => {
    if (draining && c.answered && !c.busy) socket.end();
  };
  server.on('connection', (socket: net.Socket) => {
    lastConnection = Date.now();
    open.set(socket, { busy: false, answered: false });
    socket.once('close', () => open.delete(socket));
  });
  // One listener function for every response (`this` is the response): no closure per request.
  function answered(this: ServerResponse) {
    const socket = this.req.socket;
    const c = open.get(socket);
    if (!c) return;
    c.busy = false;
    c.answered = true;
    endIfIdle(socket, c);
  }
  server.on('request', (req, res) => {
    const c = open.get(req.socket);
    if (!c) return;
    c.busy = true;
    res.on('close', answered);
  });

  app.addHook('preClose', async () => {
    if (!server.listening) return;
    const start = Date.now();
    const deadline = start + windowMs;
    // Measured right after a poll phase, so an event loop held up by other work does not
    // look like a quiet accept queue.
    do {
      await sleep(5);
      await afterPoll();
    } while (Date.now() - lastConnection < QUIET_MS && Date.now() - start < windowMs / 2);
    // net.Server's close stops listening without http.Server's closeIdleConnections();
    // Fastify's server.close() afterwards finds the listener closed, which it accepts.
    net.Server.prototype.close.call(server);
    draining = true;
    for (const [socket, c] of open) endIfIdle(socket, c);
    while (open.size > 0 && Date.now() < deadline) await sleep(10);
  });
}
