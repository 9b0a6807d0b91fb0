import { one, type Queryable } from '../../db/database.js';
import { conflict, notFound } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { writeAudit } from './audit.js';
import { decodeCursor, iso, type Cursor } from './page.js';
import type { Actor } from './user-actions.js';

/**
 * Webhook states: `processed` — recorded in an inbox (Stripe's or LiveKit's), applied once;
 * `rejected` — a signed Stripe event recorded without being applied, because it could not be
 * (an amount or currency unlike the order's, an object that is not there: `rejected_reason`
 * says which); `pending` — a simulated delivery not yet applied; `failed` — one the handler
 * refused (retried with growing waits; an admin may replay it now).
 */
export type WebhookStatus = 'processed' | 'rejected' | 'pending' | 'failed';

export interface WebhookFilter {
  status?: WebhookStatus;
  source?: 'stripe' | 'livekit' | 'simulated';
}

interface Row {
  id: string;
  source: 'stripe' | 'livekit' | 'simulated';
  type: string;
  status: WebhookStatus;
  received_at: Date;
  failed_rounds: number;
  next_attempt_at: Date | null;
  rejected_reason: string | null;
  cursor_key: string;
}

// One list over the three places events live; the union is ordered and paged as one.
const UNION = `
  SELECT id, 'stripe' AS source, type, CASE WHEN rejected_reason IS NULL THEN 'processed' ELSE 'rejected' END AS status,
         received_at, 0 AS failed_rounds, NULL::timestamptz AS next_attempt_at, rejected_reason FROM stripe_events
  UNION ALL
  SELECT id, 'livekit', event, 'processed', received_at, 0, NULL, NULL FROM livekit_events
  UNION ALL
  SELECT id, 'simulated', type, CASE WHEN failed_rounds > 0 THEN 'failed' ELSE 'pending' END, created_at, failed_rounds, next_attempt_at, NULL
    FROM simulated_webhook_events`;

export async function listWebhooks(q: Queryable, f: WebhookFilter, limit: number, cursor: string | undefined): Promise<Row[]> {
  const after = decodeCursor(cursor);
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  for (const [col, value] of [['status', f.status], ['source', f.source]] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${col} = $${params.length}`);
  }
  if (after) {
    params.push(after.key, after.id);
    where.push(`(received_at, id) < ($${params.length - 1}::timestamptz, $${params.length})`);
  }
  return q.query<Row>(
    `SELECT *, received_at::text AS cursor_key FROM (${UNION}) w
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY received_at DESC, id DESC LIMIT $1`,
    params,
  );
}

export const webhookCursor = (r: Row): Cursor => ({ key: r.cursor_key, id: r.id });
export const webhookBody = (r: Row) => ({
  id: r.id,
  source: r.source,
  type: r.type,
  status: r.status,
  received_at: iso(r.received_at)!,
  failed_rounds: Number(r.failed_rounds),
  next_attempt_at: iso(r.next_attempt_at),
  rejected_reason: r.rejected_reason,
});

/**
 * Delivers a failed simulated event to the webhook handler again, now. The handler records
 * each event id once, so a replay of something already applied changes nothing.
 */
export async function replayWebhook(platform: Platform, actor: Actor, id: string) {
  const now = platform.clock.now();
  const stored = await one<{ type: string; failed_rounds: number }>(platform.db, `SELECT type, failed_rounds FROM simulated_webhook_events WHERE id = $1`, [id]);
  if (!stored) {
    const applied = await one(platform.db, `SELECT 1 FROM stripe_events WHERE id = $1 UNION ALL SELECT 1 FROM livekit_events WHERE id = $1`, [id]);
    if (applied) throw conflict('This event was processed already; there is nothing to replay.');
    throw notFound('No webhook event with that id.');
  }
  if (stored.failed_rounds === 0) throw conflict('This event has not failed: it is still being delivered.');
  if (platform.payments.kind !== 'simulated') throw conflict('Only simulated deliveries are replayed here; Stripe retries its own.');
  await platform.payments.redeliver({ id });
  const left = await one(platform.db, `SELECT 1 FROM simulated_webhook_events WHERE id = $1`, [id]);
  const status: WebhookStatus = left ? 'failed' : 'processed';
  await writeAudit(platform.db, {
    adminId: actor.adminId, action: 'webhook.replay', objectType: 'webhook', objectId: id, reason: actor.reason, at: now,
    before: { status: 'failed', failed_rounds: stored.failed_rounds, type: stored.type }, after: { status },
  });
  return { id, status };
}
