import pg from 'pg';
import type { Listening, NoticeHandler } from './notices.js';

const RECONNECT_MS = 1000;

/**
 * One dedicated connection (outside the pool) that LISTENs on every channel asked for. When
 * it is lost, every handler is reset and it reconnects; it never fails the caller, so a
 * database that refuses LISTEN (a transaction-mode pooler) only leaves caches not live.
 */
export function createPostgresListener(config: pg.ClientConfig) {
  const handlers = new Map<string, Set<NoticeHandler>>();
  const state = { live: false };
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | null = null;

  const resetAll = () => {
    for (const set of handlers.values()) for (const h of set) h.reset();
  };
  const lost = (c: pg.Client) => {
    if (client !== c) return;
    client = null;
    state.live = false;
    resetAll();
    c.end().catch(() => {});
    schedule();
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, RECONNECT_MS);
    retry.unref();
  };
  const connect = (): Promise<void> => {
    if (closed) return Promise.resolve();
    connecting ??= (async () => {
      const c = new pg.Client(config);
      c.on('error', () => lost(c));
      c.on('end', () => lost(c));
      c.on('notification', (m) => {
        for (const h of handlers.get(m.channel) ?? []) h.notice(m.payload ?? '');
      });
      try {
        await c.connect();
        client = c;
        for (const channel of handlers.keys()) await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        if (closed) return void (await c.end());
        state.live = true;
        // Changes made before LISTEN took effect were not heard.
        resetAll();
      } catch {
        if (client === c) lost(c);
        else {
          c.end().catch(() => {});
          schedule();
        }
      }
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    async listen(channel: string, handler: NoticeHandler): Promise<Listening> {
      const known = handlers.has(channel);
      if (!known) handlers.set(channel, new Set());
      handlers.get(channel)!.add(handler);
      if (connecting !== null) await connecting;
      if (!client) await connect();
      else if (!known) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(() => lost(client!));
      return state;
    },
    async close(): Promise<void> {
      closed = true;
      if (retry) clearTimeout(retry);
      state.live = false;
      const c = client;
      client = null;
      await c?.end().catch(() => {});
    },
  };
}
