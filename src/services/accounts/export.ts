import type { Queryable } from '../../db/database.js';

/**
 * Everything held about one user, by kind, for GET /auth/me/export (GDPR access). Each
 * query selects the user's own rows; credentials (the password hash, refresh and link token
 * hashes) are left out: they are secrets, not information about the user.
 */
const SECTIONS: Record<string, string> = {
  time_cards: `SELECT id, kind, tier_id, activation_code, status, total_seconds, remaining_seconds, amount_cents, currency,
                      refunded_cents, payment_intent_id, created_at, paid_at, activated_at, expires_at,
                      purchaser_user_id = $1 AS purchased_by_you, user_id = $1 AS activated_by_you
                 FROM time_cards WHERE user_id = $1 OR purchaser_user_id = $1 ORDER BY created_at, id`,
  ledger: `SELECT id, card_id, kind, seconds, time_session_id, reference, created_at FROM ledger_entries WHERE user_id = $1 ORDER BY id`,
  sessions: `SELECT id, session_id, room_name, persona_slug, status, started_at, billing_started_at, ended_at, billed_seconds,
                    charged_seconds, saved_seconds, end_reason FROM time_sessions WHERE user_id = $1 ORDER BY started_at, id`,
  persona_sessions: `SELECT time_session_id, persona_slug, ads_enabled, quality_preference, quality, created_at
                       FROM persona_sessions WHERE user_id = $1 ORDER BY created_at`,
  agent_reports: `SELECT r.time_session_id, r.ended_reason, r.usage, r.transcript, r.created_at
                    FROM agent_reports r JOIN time_sessions s ON s.id = r.time_session_id WHERE s.user_id = $1 ORDER BY r.created_at`,
  payments: `SELECT id, amount_cents, currency, status, payment_intent_id, purpose, reference, created_at
               FROM payment_history WHERE user_id = $1 ORDER BY id`,
  subscriptions: `SELECT id, plan_id, status, provider, current_period_end, cancel_at_period_end, amount_cents, currency, coupon_code, created_at
                    FROM user_subscriptions WHERE user_id = $1 ORDER BY created_at`,
  personas: `SELECT slug, name, summary, persona, purpose, category, system_prompt, created_at, deleted_at
               FROM personas WHERE owner_id = $1 ORDER BY created_at`,
  ratings: `SELECT persona_slug, rating, feedback, created_at, updated_at FROM persona_ratings WHERE user_id = $1 ORDER BY created_at`,
  preferences: `SELECT persona_slug, preferences, updated_at FROM persona_preferences WHERE user_id = $1 ORDER BY persona_slug`,
  memory: `SELECT persona_slug, summary, time_session_id, updated_at FROM persona_memories WHERE user_id = $1 ORDER BY persona_slug`,
  coupon_redemptions: `SELECT * FROM coupon_redemptions WHERE user_id = $1`,
  ad_interactions: `SELECT * FROM ad_interactions WHERE user_id = $1`,
};

export const EXPORT_SECTIONS = Object.keys(SECTIONS);

export async function exportUserData(q: Queryable, userId: string): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(SECTIONS)) out[name] = await q.query(sql, [userId]);
  return out;
}
