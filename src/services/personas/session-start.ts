import { createHash, randomBytes } from 'node:crypto';
import { one, type Queryable } from '../../db/database.js';
import { AppError, forbidden, unauthenticated } from '../../http/errors.js';
import type { Platform } from '../../platform.js';
import { claimAdDiscount } from '../monetization/ad-rewards.js';
import { getUserTier } from '../monetization/tier.js';
import { balanceBody, getBalance } from '../time/ledger.js';
import { startTimeSession } from '../time/session-billing.js';
import { findVisiblePersona, multiplier, voiceOf, type PersonaRow } from './catalogue.js';
import type { SessionBody } from './schemas.js';

interface StartInput {
  userId: string;
  slug: string;
  body: SessionBody;
  /** From the Idempotency-Key header: a retry with the same key returns the same live session. */
  idempotencyKey?: string;
}

/**
 * Starts a voice session with a persona: checks tier, age and the daily limit, then starts a
 * Time-service session (same ledger, same one-live-session rule) billed at the persona's
 * multiplier, less the ad-supported saving when ads are on, and mints a LiveKit token for
 * the room that dispatches the voice agent with the persona.
 */
export async function startPersonaSession(platform: Platform, input: StartInput) {
  const { userId, body } = input;
  const now = platform.clock.now();
  const persona = await findVisiblePersona(platform.db, input.slug, userId);
  const tier = await getUserTier(platform.db, userId, now);
  if (persona.access_level === 'premium' && tier === 'free') {
    throw forbidden(`${persona.name} is a Premium persona: upgrade to Premium to start a session with them.`);
  }
  const user = await one<{ full_name: string; old_enough: boolean | null }>(
    platform.db,
    `SELECT full_name,
            (date_of_birth + make_interval(years => $2::int)) <= ($3::timestamptz AT TIME ZONE 'UTC')::date AS old_enough
       FROM users WHERE id = $1`,
    [userId, persona.age_restriction ?? 0, now],
  );
  if (!user) throw unauthenticated('Your account no longer exists.');
  if (persona.age_restriction !== null && user.old_enough !== true) {
    throw forbidden(
      user.old_enough === null
        ? `${persona.name} is for users aged ${persona.age_restriction}+: add your date of birth to your profile (PATCH /auth/me) first.`
        : `${persona.name} is for users aged ${persona.age_restriction} and over.`,
    );
  }
  const limitMinutes = await sessionLimitMinutes(platform.db, persona, userId, now);

  // Premium voice quality is a Premium benefit: a free user asking for it gets standard.
  const quality = body.quality_preference === 'high' && tier !== 'premium' ? 'standard' : body.quality_preference;
  const adsEnabled = body.enable_ads && persona.ad_supported && tier === 'free';
  const discountPercent = adsEnabled ? platform.config.AD_SUPPORTED_DISCOUNT_PERCENT : 0;
  const hook = async (tx: Queryable, at: Date, timeSessionId: string) => {
    // Runs once, inside the start transaction: the persona's usage and the session's persona
    // details commit with the session, or not at all.
    await tx.query(`UPDATE personas SET usage_count = usage_count + 1 WHERE slug = $1`, [persona.slug]);
    await tx.query(
      `INSERT INTO persona_sessions (time_session_id, user_id, persona_slug, ads_enabled, quality_preference, quality, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [timeSessionId, userId, persona.slug, adsEnabled, body.quality_preference, quality, at],
    );
    return tier === 'free' ? claimAdDiscount(tx, userId, at) : 0;
  };
  const start = (ids: { roomName: string; sessionId: string }) =>
    startTimeSession(
      platform,
      {
        userId,
        sessionId: ids.sessionId,
        roomName: ids.roomName,
        persona: { slug: persona.slug, costMultiplier: multiplier(persona.cost_multiplier_milli), sessionLimitMinutes: limitMinutes },
        discountPercent,
      },
      hook,
    );
  let ids = sessionIds(persona.slug, userId, input.idempotencyKey);
  if (body.room_name) ids = { ...ids, roomName: body.room_name };
  let started: Awaited<ReturnType<typeof start>>;
  for (let attempt = 1; ; attempt++) {
    try {
      started = await start(ids);
      break;
    } catch (err) {
      // A generated room name that happens to be another user's room: draw another one.
      const generated = !body.room_name && !input.idempotencyKey;
      if (!(err instanceof AppError && err.code === 'forbidden' && generated && attempt < 3)) throw err;
      ids = sessionIds(persona.slug, userId, undefined);
    }
  }
  const roomName = ids.roomName;

  const metadata = JSON.stringify({
    persona_slug: persona.slug,
    session_id: started.sessionId,
    time_session_id: started.timeSessionId,
    user_id: userId,
  });
  const token = await platform.livekit.roomToken({
    identity: userId,
    name: user.full_name,
    room: roomName,
    agentDispatch: { agentName: platform.config.LIVEKIT_AGENT_NAME, metadata },
  });
  const balance = await getBalance(platform.db, userId, now);
  const perMinute = multiplier(persona.cost_multiplier_milli);
  return {
    session_started: true,
    room_name: roomName,
    livekit_token: token,
    livekit_url: platform.livekit.url,
    persona: {
      name: persona.name,
      slug: persona.slug,
      summary: persona.summary,
      cost_multiplier: perMinute,
      voice: voiceOf(persona),
      ad_supported: persona.ad_supported,
    },
    session_id: started.sessionId,
    time_balance: balanceBody(balance),
    estimated_cost_per_minute: perMinute,
    ads_enabled: adsEnabled,
    cost_savings: Math.round(perMinute * discountPercent * 10) / 1000,
    premium_features_available: tier === 'premium' ? persona.premium_features : [],
    quality,
    quality_downgraded: quality !== body.quality_preference,
  };
}

/**
 * Room and session ids. With an idempotency key they derive from (user, persona, key), so a
 * retried request lands on the same live session instead of being refused as a second one.
 */
function sessionIds(slug: string, userId: string, key: string | undefined) {
  const seed = key
    ? createHash('sha256').update(`${userId}\n${slug}\n${key}`).digest('hex')
    : randomBytes(9).toString('hex');
  return { roomName: `persona_${slug}_${seed.slice(0, 8)}`, sessionId: `persona_${slug}_${seed.slice(8, 18)}` };
}

/**
 * The session's cap in minutes: the persona's per-session limit, and what is left of its
 * daily limit today (UTC) after the user's sessions with it so far. None left -> 403.
 */
async function sessionLimitMinutes(q: Queryable, persona: PersonaRow, userId: string, now: Date): Promise<number | null> {
  if (persona.daily_limit_minutes === null) return persona.session_limit_minutes;
  const [used] = await q.query<{ seconds: number | string }>(
    `SELECT COALESCE(SUM(COALESCE(billed_seconds,
              LEAST(GREATEST(0, EXTRACT(EPOCH FROM ($3::timestamptz - COALESCE(billing_started_at, $3::timestamptz)))),
                    COALESCE(cap_seconds, 86400)))), 0) AS seconds
       FROM time_sessions
      WHERE user_id = $1 AND persona_slug = $2
        AND started_at >= date_trunc('day', $3::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    [userId, persona.slug, now],
  );
  const leftSeconds = persona.daily_limit_minutes * 60 - Math.ceil(Number(used?.seconds ?? 0));
  if (leftSeconds < 60) {
    throw new AppError(
      'forbidden',
      `You have used today's ${persona.daily_limit_minutes} minutes with ${persona.name}; the limit resets at midnight UTC.`,
      { reason: 'daily_limit_reached' },
    );
  }
  const leftMinutes = leftSeconds / 60;
  return persona.session_limit_minutes === null ? leftMinutes : Math.min(persona.session_limit_minutes, leftMinutes);
}
