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
    types,
  });
  // An idle client dying (server restart) must not crash the process.
  pool.on('error', () => {});

  const listener = createPostgresListener({ connectionString: opts.url, connectionTimeoutMillis: opts.connectTimeoutMs, ssl: opts.ssl ? { rejectUnauthorized: false } : undefined });
  const prepare = opts.preparedStatements ?? false;
  const run = async <T>(c: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) =>
    (await c.query(prepare && params ? { name: statementName(text), text, values: params as unknown[] } : { text, values: params as unknown[] | undefined })).rows as T[];

  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    transaction: (fn) =>
      withRetry(async () => {
        const client = await pool.connect();
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
          await client.query('ROLLBACK').catch(() => {});
          throw err;
        } finally {
          client.release();
        }
      }),
    ping: async () => {
      await pool.query('SELECT 1');
    },
    listen: (channel, handler) => listener.listen(channel, handler),
    close: async () => {
      await listener.close();
      await pool.end();
    },
  };
}
