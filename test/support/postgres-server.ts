import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database `<prefix>_<random>` on the Postgres server `serverUrl` points at (its
 * user may CREATE DATABASE), with its URL; `drop` removes it, whoever is still connected.
 * For tests and benchmarks that start the platform on a database of its own.
 */
export async function newPostgresDatabase(serverUrl: string, prefix: string, connectTimeoutMs = 5000): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const onServer = async (sql: string) => {
    const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: connectTimeoutMs });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  await onServer(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
