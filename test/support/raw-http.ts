import http from 'node:http';

/**
 * An answer read completely, or a request refused or cut, with when its connection was
 * established (performance.now()), if it was.
 */
export type Answer = { status: number; body: string } | { error: string; connectedAt?: number };

/**
 * One request on its own connection (no keep-alive), so every request is accepted, refused or
 * cut on its own: for tests that stop or kill the platform under load.
 */
export function request(port: number, method: string, url: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let connectedAt: number | undefined;
    const req = http.request(
      { host: '127.0.0.1', port, method, path: url, agent: false, headers: { ...headers, connection: 'close', ...(payload ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
        res.on('error', (e) => resolve({ error: `response cut: ${(e as NodeJS.ErrnoException).code ?? e.message}`, connectedAt }));
        res.on('aborted', () => resolve({ error: 'response cut: aborted', connectedAt }));
      },
    );
    req.on('socket', (socket) => socket.once('connect', () => (connectedAt = performance.now())));
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message, connectedAt }));
    req.end(payload);
  });
}

/** The answer, which must have this status. */
export const ok = (a: Answer, status = 200): { status: number; body: string } => {
  if ('error' in a || a.status !== status) throw new Error(`expected ${status}, got ${JSON.stringify(a).slice(0, 300)}`);
  return a;
};
