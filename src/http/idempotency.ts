import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { one } from '../db/database.js';
import type { Platform } from '../platform.js';
import { currentUser } from './authenticate.js';
import { conflict, validationFailed } from './errors.js';

/** An in-flight claim older than this is taken to be from a crashed request and may be retried. */
const STALE_IN_FLIGHT_MS = 60_000;

interface KeyRow {
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number | null;
  response_body: unknown;
  created_at: Date | string;
}

/**
 * Honours an `Idempotency-Key` header on a signed-in POST: the first request runs and its
 * response is stored (per user and `scope`); a replay with the same body gets that response
 * again, with another body 422, and while the first is still running 409. A failed first
 * attempt stores nothing, so the client may retry it. Without the header, `run` just runs.
 *
 * `run` is given the attempt's name, the same for every run of one key and body: a run after
 * a crashed one (its claim taken over once stale) finds what that one wrote under it, so the
 * request still has one effect. Undefined without the header.
 */
export async function withIdempotency<T>(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  run: (attempt: string | undefined) => Promise<T>,
): Promise<T> {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return run(undefined);
  const key = Array.isArray(header) ? header[0] ?? '' : header;
  if (key.length < 1 || key.length > 255) {
    throw validationFailed('The Idempotency-Key header must be 1 to 255 characters.', [{ field: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
  }
  const userId = currentUser(request).id;
  const hash = requestHash(request.body);
  const now = platform.clock.now();

  const claimed = await platform.db.query(
    `INSERT INTO idempotency_keys (user_id, scope, key, request_hash, status, created_at)
     VALUES ($1, $2, $3, $4, 'in_flight', $5) ON CONFLICT DO NOTHING RETURNING key`,
    [userId, scope, key, hash, now],
  );
  if (claimed.length === 0) {
    const row = await one<KeyRow>(
      platform.db,
      `SELECT request_hash, status, response_status, response_body, created_at FROM idempotency_keys
        WHERE user_id = $1 AND scope = $2 AND key = $3`,
      [userId, scope, key],
    );
    if (!row) return withIdempotency(platform, request, reply, scope, run);
    if (row.request_hash !== hash) {
      throw validationFailed('This Idempotency-Key was already used with a different request body; use a new key for a new request.', undefined, 'idempotency_key_reused');
    }
    if (row.status === 'done') {
      reply.code(row.response_status ?? 200).header('idempotent-replayed', 'true');
      return row.response_body as T;
    }
    const stale = now.getTime() - new Date(row.created_at).getTime() > STALE_IN_FLIGHT_MS;
    const retaken = stale
      ? await platform.db.query(
          `UPDATE idempotency_keys SET created_at = $4 WHERE user_id = $1 AND scope = $2 AND key = $3
              AND status = 'in_flight' AND created_at = $5 RETURNING key`,
          [userId, scope, key, now, row.created_at],
        )
      : [];
    if (retaken.length === 0) throw conflict('A request with this Idempotency-Key is still in progress; retry shortly.', 'idempotency_in_progress');
  }

  const attempt = createHash('sha256').update(`${userId}\0${scope}\0${key}\0${hash}`).digest('hex').slice(0, 24);
  let result: T;
  try {
    result = await run(attempt);
  } catch (err) {
    await platform.db.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND scope = $2 AND key = $3 AND status = 'in_flight'`, [userId, scope, key]);
    throw err;
  }
  await platform.db.query(
    `UPDATE idempotency_keys SET status = 'done', response_status = $4, response_body = $5::jsonb
      WHERE user_id = $1 AND scope = $2 AND key = $3`,
    [userId, scope, key, reply.statusCode, JSON.stringify(result)],
  );
  return result;
}

function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body ?? null)).digest('hex');
}

/** JSON with object keys sorted, so the same body in another key order hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
