import { randomBytes } from 'node:crypto';
import { withRetry, type Queryable } from '../../db/database.js';
import { conflict, forbidden, notFound, paymentRequired } from '../../http/errors.js';
import type { Platform } from '../../platform.js';

/** No session bills longer than this, whatever the balance: the sweeper closes it. */
export const MAX_SESSION_SECONDS = 12 * 3600;

export interface StartSessionInput {
  userId: string;
  sessionId: string;
  roomName: string;
  persona?: { slug: string; costMultiplier: number; sessionLimitMinutes: number | null };
  /** Ad-supported saving in percent (0–100). */
  discountPercent?: number;
}

export interface StartedSession {
  sessionId: string;
  timeSessionId: string;
  startTime: Date;
  remainingBalanceSeconds: number;
}

/**
 * Runs inside the start transaction of a new session once every check passed (not when the
 * same live session is started again): writes what must commit with the session, returns a
 * one-off discount percent.
 */
export type StartHook = (tx: Queryable, now: Date, timeSessionId: string) => Promise<number>;

export interface EndSessionBody {
  session_id: string;
  duration_seconds: number;
  cost_minutes: number;
  status: 'completed';
  remaining_balance: { total_minutes: number; total_hours: number; active_cards: number };
}

const clampPercent = (p: number | undefined): number => Math.min(100, Math.max(0, Math.round(p ?? 0)));

// The checks and writes live in sql/functions/time-sessions.sql: one statement per request.
const START_SQL = `SELECT * FROM time_session_start($1::text, $2::text, $3::text, $4::text, $5::int, $6::int, $7::int, $8::int,
  $9::int, $10::text, $11::timestamptz, $12::boolean)`;
const END_SQL = `SELECT * FROM time_session_end($1::text, $2::text, $3::text, $4::timestamptz, $5::int, $6::text)`;

interface StartRow {
  outcome: 'started' | 'existing' | 'room_taken' | 'no_user' | 'used' | 'busy' | 'empty' | 'unaffordable';
  session_pk: string | null;
  session_started: Date | string | null;
  balance_seconds: number | string | null;
}

const unaffordable = () =>
  paymentRequired('Your time balance does not cover a single second with this persona; add time to start a session.');

const REFUSALS: Record<Exclude<StartRow['outcome'], 'started' | 'existing'>, () => Error> = {
  room_taken: () => forbidden('That room belongs to another user.'),
  no_user: () => notFound('No such user.'),
  used: () => conflict('That session_id was already used; start a new session with a new session_id.'),
  busy: () => conflict('You already have an active session; end it before starting another.'),
  empty: () => paymentRequired('Your time balance is empty: buy or activate a time card to start a session.'),
  unaffordable,
};

/**
 * Starts billing a voice session. Refuses with 402 on an empty balance and 409 when the user
 * already has MAX_ACTIVE_SESSIONS_PER_USER live sessions. Starting the same live session
 * again returns it unchanged.
 */
export async function startTimeSession(platform: Platform, input: StartSessionInput, hook?: StartHook): Promise<StartedSession> {
  const now = platform.clock.now();
  const limit = input.persona?.sessionLimitMinutes ?? null;
  const limitSeconds = limit === null ? null : Math.max(0, Math.floor(limit * 60));
  const milli = Math.max(0, Math.round((input.persona?.costMultiplier ?? 1) * 1000));
  const discount = clampPercent(input.discountPercent);
  const params = (deferCap: boolean): unknown[] => [
    input.userId, input.sessionId, input.roomName, input.persona?.slug ?? null, milli, discount,
    limitSeconds, MAX_SESSION_SECONDS,
    platform.config.MAX_ACTIVE_SESSIONS_PER_USER, `sess_${randomBytes(12).toString('hex')}`, now, deferCap,
  ];
  const started = (row: StartRow | undefined): StartedSession => {
    if (!row) throw new Error('time_session_start returned no row');
    if (row.outcome !== 'started' && row.outcome !== 'existing') throw REFUSALS[row.outcome]();
    return {
      sessionId: input.sessionId,
      timeSessionId: row.session_pk!,
      startTime: new Date(row.session_started!),
      remainingBalanceSeconds: Number(row.balance_seconds),
    };
  };
  if (!hook) return withRetry(async () => started((await platform.db.query<StartRow>(START_SQL, params(false)))[0]));

  // A hook (a one-off reward claim) commits only with the session it discounts: one transaction,
  // and the cap, which depends on the reward, is set (and checked) after it.
  return platform.db.transaction(async (tx) => {
    const [row] = await tx.query<StartRow>(START_SQL, params(true));
    const session = started(row);
    if (row!.outcome === 'existing') return session;
    const reward = clampPercent(await hook(tx, now, session.timeSessionId));
    const [capped] = await tx.query<{ cap_seconds: number }>(
      `UPDATE time_sessions
          SET reward_discount_percent = $2,
              cap_seconds = time_session_cap($3::bigint, time_cost_factor(cost_multiplier_milli, discount_percent, $2::int), limit_seconds, NULL)
        WHERE id = $1 RETURNING cap_seconds`,
      [session.timeSessionId, reward, session.remainingBalanceSeconds],
    );
    if (!capped || capped.cap_seconds < 1) throw unaffordable();
    return session;
  });
}

export interface EndRow {
  /** 'extended': a sweep found the session short of what its balance now affords; it goes on. */
  outcome: 'ended' | 'done' | 'missing' | 'extended';
  body: EndSessionBody | null;
}

function endSession(
  platform: Platform,
  by: { userId?: string; sessionId?: string; id?: string },
  clientDurationSeconds: number | null,
  reason: string,
): Promise<EndRow> {
  const now = platform.clock.now();
  return withRetry(async () => {
    const [row] = await platform.db.query<EndRow>(END_SQL, [by.userId ?? null, by.sessionId ?? null, by.id ?? null, now, clientDurationSeconds, reason]);
    if (!row) throw new Error('time_session_end returned no row');
    return row;
  });
}

/**
 * Ends a session and debits it once. Ending it again (in sequence or concurrently) returns
 * the first end's body. The charge comes from the server's clock; the client's duration is
 * only recorded.
 */
export async function endTimeSession(
  platform: Platform,
  input: { userId: string; sessionId: string; clientDurationSeconds?: number },
): Promise<EndSessionBody> {
  const row = await endSession(platform, input, input.clientDurationSeconds ?? null, 'client');
  if (row.outcome === 'missing') throw notFound('No session with that session_id.');
  if (!row.body) throw new Error(`time session ${input.sessionId} completed without an end_response`);
  return row.body;
}

/** Ends the live sessions billed in a room (LiveKit's room_finished); idempotent. Returns how many it ended. */
export async function endTimeSessionsInRoom(platform: Platform, roomName: string): Promise<number> {
  const rows = await platform.db.query<{ id: string }>(
    `SELECT id FROM time_sessions WHERE room_name = $1 AND status = 'active'`,
    [roomName],
  );
  let ended = 0;
  for (const r of rows) if (await endById(platform, r.id, 'room_finished')) ended++;
  return ended;
}

/** Ends one session by our id unless it has ended already; true when this call ended it. */
export async function endById(platform: Platform, id: string, reason: string): Promise<boolean> {
  return (await endSession(platform, { id }, null, reason)).outcome === 'ended';
}

/**
 * Ends one session by our id inside the caller's transaction, so what else the caller writes
 * (an admin's audit entry) commits with the end. The same idempotent end as every other.
 */
export async function endByIdIn(tx: Queryable, id: string, reason: string, now: Date): Promise<EndRow> {
  const [row] = await tx.query<EndRow>(END_SQL, [null, null, id, now, null, reason]);
  if (!row) throw new Error('time_session_end returned no row');
  return row;
}

/**
 * The sweeper's end of a session whose cap has passed: the cap is worked out again from the
 * balance now, so a session whose user bought time meanwhile is extended, not closed.
 */
export async function closeAtCap(platform: Platform, id: string): Promise<'ended' | 'extended' | 'unchanged'> {
  const { outcome } = await endSession(platform, { id }, null, 'cap_reached');
  return outcome === 'ended' || outcome === 'extended' ? outcome : 'unchanged';
}

/**
 * Starts billing a session whose billing waits for the conversation (a persona session: the
 * user and the agent both in the room), at the server's clock. Idempotent: a session already
 * billing, or ended, keeps what it has. Returns when billing started (null: it never did).
 */
export async function startBilling(platform: Platform, id: string): Promise<Date | null> {
  return startBillingIn(platform.db, id, platform.clock.now());
}

/** startBilling inside the caller's transaction (a LiveKit join recorded with its effect). */
export async function startBillingIn(q: Queryable, id: string, now: Date): Promise<Date | null> {
  await q.query(
    `UPDATE time_sessions SET billing_started_at = $2 WHERE id = $1 AND status = 'active' AND billing_started_at IS NULL`,
    [id, now],
  );
  // Read in a statement of its own: a concurrent start that won is seen, committed.
  const [row] = await q.query<{ billing_started_at: Date | string | null }>(
    `SELECT billing_started_at FROM time_sessions WHERE id = $1`,
    [id],
  );
  return row?.billing_started_at ? new Date(row.billing_started_at) : null;
}
