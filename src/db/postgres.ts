import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, Tx } from './database.js';
import { withRetry } from './database.js';
import { createPostgresListener } from './postgres-listener.js';

export interface PostgresOptions {
  url: string;
  poolMax: number;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  ssl: boolean;
  /** Schema to use as search_path (tests isolate each run in its own schema). */
  schema?: string;
  /**
   * Named (server-side prepared) statements, so Postgres plans each query once per
   * connection instead of on every call. Turn off behind a pooler that cannot keep them.
   */
  preparedStatements?: boolean;
  /** Shown in pg_stat_activity (default "mindbot"). */
  applicationName?: string;
}

const statementNames = new Map<string, string>();

/** A stable statement name per SQL text. */
function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    name = `mb_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    statementNames.set(text, name);
  }
  return name;
}

// int8 (counts, sums) as numbers: every amount MindBot stores fits in 2^53.
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * node-postgres pool. Works through Supabase's pooler in transaction mode too: session
 * state is limited to search_path, and prepared statements can be turned off.
 */
export function createPostgres(opts: PostgresOptions): Database {
  const options = opts.schema ? `-c search_path=${opts.schema}` : undefined;
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolMax,
    connectionTimeoutMillis: opts.connectTimeoutMs,
    statement_timeout: opts.statementTimeoutMs,
    query_timeout: opts.statementTimeoutMs + 1000,
    idleTimeoutMillis: 30_000,
    ssl: opts.ssl ? { rejectUnauthorized: false } : undefined,
    options,
    application_name: opts.applicationName ?? 'mindbot',
    types,
  });
  // An idle client dying (server restart, pg_terminate_backend) must not crash the
  // process: the pool drops it and opens a new one on demand.
  pool.on('error', () => {});

  const listener = createPostgresListener({ connectionString: opts.url, connectionTimeoutMillis: opts.connectTimeoutMs, ssl: opts.ssl ? { rejectUnauthorized: false } : undefined });
  const prepare = opts.preparedStatements ?? false;
  const run = async <T>(c: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) =>
    (await c.query(prepare && params ? { name: statementName(text), text, values: params as unknown[] } : { text, values: params as unknown[] | undefined })).rows as T[];

  return {
    kind: 'postgres',
    query: <T>(text: string, params?: readonly unknown[]) => run<T>(pool, text, params).catch(rethrowConnectionError),
    transaction: (fn) =>
      withRetry(async () => {
        const client = await pool.connect().catch(rethrowConnectionError);
        // A checked-out client whose backend dies emits 'error': without a listener that
        // event ends the process. The transaction fails instead, and the client is discarded.
        let broken: Error | undefined;
        const onError = (err: Error) => {
          broken = err;
        };
        client.on('error', onError);
        try {
          await client.query('BEGIN');
          const tx: Tx = {
            query: (text, params) => run(client, text, params),
            script: async (sql) => {
              await client.query(sql);
            },
          };
          const result = await fn(tx);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          if (isConnectionLoss(err) || isReadTimeout(err)) broken ??= err as Error;
          if (!broken) await client.query('ROLLBACK').catch(() => {});
          rethrowConnectionError(err);
        } finally {
          client.removeListener('error', onError);
          client.release(broken);
        }
      }),
    ping: async () => {
      await pool.query('SELECT 1').catch(rethrowConnectionError);
    },
    listen: (channel, handler) => listener.listen(channel, handler),
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}

/** SQLSTATE classes meaning the connection (not the statement) failed: 08 connection, 57P admin shutdown. */
function isConnectionLoss(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code.startsWith('08') || code.startsWith('57P');
  const message = (err as Error).message ?? '';
  return /Connection terminated|connection error|ECONNRESET|ECONNREFUSED|Client has encountered a connection error/i.test(message);
}

/** The client-side query_timeout fired: the connection's state is unknown, so it is dropped. */
function isReadTimeout(err: unknown): boolean {
  return /Query read timeout/i.test((err as Error).message ?? '');
}

/**
 * Gives driver errors without a SQLSTATE one, so the HTTP layer can answer 503: a lost
 * connection becomes 08006 (connection_failure), a pool that hands out no connection in
 * time 53300 (too_many_connections).
 */
function rethrowConnectionError(err: unknown): never {
  const e = err as Error & { code?: unknown };
  if (e && typeof e.code !== 'string') {
    if (/timeout exceeded when trying to connect/i.test(e.message)) throw Object.assign(e, { code: '53300' });
    if (isReadTimeout(e)) throw Object.assign(e, { code: '57014' });
    if (isConnectionLoss(e)) throw Object.assign(e, { code: '08006' });
  }
  throw err;
}
