import { randomBytes } from 'node:crypto';
import { one, type Queryable } from '../../db/database.js';
import { AppError } from '../../http/errors.js';
import { parseSsvKeys, SimulatedAdNetwork, SsvRejected, verifySsvQuery, type SsvKeys } from '../../integrations/admob/ssv.js';
import type { Platform } from '../../platform.js';

/**
 * Ad views are rewarded only when the ad network confirms them with a signed server-side
 * callback (AdMob SSV, GET /ads/ssv), never on the client's word. Without ADMOB_SSV_KEYS a
 * simulated network signs the confirmations (outside production), checked by the same code.
 */
export const simulatedAdNetwork = new SimulatedAdNetwork();

const parsed = new Map<string, SsvKeys>();

/** The keys callbacks are checked against: configured, the simulated network's, or none (production without keys). */
export function ssvKeys(platform: Platform): SsvKeys {
  const configured = platform.config.ADMOB_SSV_KEYS;
  if (configured) {
    let keys = parsed.get(configured);
    if (!keys) {
      keys = parseSsvKeys(configured);
      parsed.set(configured, keys);
    }
    return keys;
  }
  return platform.config.isProduction ? new Map() : simulatedAdNetwork.keys;
}

/** True when views are confirmed by the simulated network (no real one configured). */
export const usesSimulatedAdNetwork = (platform: Platform) => !platform.config.ADMOB_SSV_KEYS && !platform.config.isProduction;

const invalid = (detail: string) => new AppError('ad_callback_invalid', `Ad verification refused: ${detail}.`);

/** Verifies one callback and records its confirmation (once per transaction id). */
export async function recordAdVerification(platform: Platform, rawQuery: string): Promise<{ duplicate: boolean }> {
  let reward: ReturnType<typeof verifySsvQuery>;
  try {
    reward = verifySsvQuery(rawQuery, ssvKeys(platform));
  } catch (err) {
    if (err instanceof SsvRejected) throw invalid(err.message);
    throw err;
  }
  const user = await one(platform.db, `SELECT 1 FROM users WHERE id = $1`, [reward.userId]);
  if (!user) throw invalid('the callback names no MindBot user');
  const rows = await platform.db.query(
    `INSERT INTO ad_verifications (transaction_id, user_id, ad_id, ad_network, reward_item, reward_amount, verified_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (transaction_id) DO NOTHING RETURNING transaction_id`,
    [reward.transactionId, reward.userId, reward.customData, reward.adNetwork.slice(0, 64), reward.rewardItem.slice(0, 64),
      Number.isSafeInteger(reward.rewardAmount) ? reward.rewardAmount : 0, platform.clock.now()],
  );
  return { duplicate: rows.length === 0 };
}

/** The simulated network confirming a view, through the same verification path. */
export async function confirmSimulatedView(platform: Platform, userId: string, adId: string): Promise<void> {
  const query = simulatedAdNetwork.callbackQuery({
    transactionId: `sim_${randomBytes(12).toString('hex')}`,
    userId,
    customData: adId,
    timestampMs: platform.clock.now().getTime(),
  });
  await recordAdVerification(platform, query);
}

/** Spends one unspent confirmation of this view; false when the network has not confirmed it. */
export async function spendAdVerification(tx: Queryable, userId: string, adId: string, now: Date): Promise<boolean> {
  const [row] = await tx.query<{ transaction_id: string }>(
    `SELECT transaction_id FROM ad_verifications WHERE user_id = $1 AND ad_id = $2 AND spent_at IS NULL
      ORDER BY verified_at LIMIT 1 FOR UPDATE`,
    [userId, adId],
  );
  if (!row) return false;
  await tx.query(`UPDATE ad_verifications SET spent_at = $2 WHERE transaction_id = $1`, [row.transaction_id, now]);
  return true;
}
