import type { Listening, NoticeHandler } from './notices.js';

/**
 * The one database interface every repository uses. Two drivers implement it:
 * node-postgres (DATABASE_URL) and embedded PGlite (the zero-setup default).
 * Queries are plain parameterised SQL, the same text for both.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

/** A transaction handle; `script` runs multi-statement SQL (migrations only). */
export interface Tx extends Queryable {
  script(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs `fn` in one transaction (READ COMMITTED; take row locks for invariants).
   * Serialization failures and deadlocks are retried a few times before surfacing.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Throws when the database cannot answer. */
  ping(): Promise<void>;
  /** Hears NOTIFY on `channel`, from any connection to this database (src/db/notices.ts). */
  listen(channel: string, handler: NoticeHandler): Promise<Listening>;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['40001', '40P01']);

export async function withRetry<T>(attempt: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (i >= tries || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * i));
    }
  }
}

/** First row or undefined: for lookups by key. */
export async function one<T>(q: Queryable, text: string, params?: readonly unknown[]): Promise<T | undefined> {
  const rows = await q.query<T>(text, params);
  return rows[0];
}
