import type { Queryable } from '../../db/database.js';
import type { Platform } from '../../platform.js';
import { grantSeconds } from '../time/ledger.js';
import { lockUser } from '../../db/locks.js';
import { spendAdVerification } from './ad-verification.js';
import { getUserTier } from './tier.js';

/**
 * What watching an ad earns a free user. A time reward is a short-lived bonus card in the
 * ledger; a discount makes the next persona session cheaper (spent by claimAdDiscount).
 */
export const AD_OFFER = {
  frequency: 3,
  types: ['banner', 'video', 'sponsored_message'],
  time: { adLengthSeconds: 30, rewardSeconds: 5 * 60 },
  discount: { adLengthSeconds: 15, percent: 50 },
  /** Unused rewards lapse after this long. */
  rewardLifetimeSeconds: 7 * 24 * 3600,
  /** The window AD_REWARDS_PER_DAY counts over (rolling, so midnight cannot be gamed). */
  dailyWindowSeconds: 24 * 3600,
} as const;

export type RewardType = 'time' | 'discount';
export const DEFAULT_REWARD_TYPE: RewardType = 'discount';

export type NoRewardReason = 'premium_user' | 'view_too_short' | 'already_rewarded' | 'daily_limit_reached' | 'not_verified';

const NO_REWARD_MESSAGES: Record<NoRewardReason, string> = {
  premium_user: 'Premium members have no ads, so ad views earn no rewards.',
  view_too_short: 'The ad was not watched to the end, so it earned no reward.',
  already_rewarded: 'This ad has already earned you its reward.',
  daily_limit_reached: 'You have reached the daily limit of ad rewards; try again tomorrow.',
  not_verified: 'The ad network has not confirmed this view, so it earned no reward.',
};

export function adConfigBody(adsEnabled: boolean) {
  if (!adsEnabled) {
    return { ads_enabled: false, ad_frequency: 0, ad_types: [] as string[], reward_options: null };
  }
  return {
    ads_enabled: true,
    ad_frequency: AD_OFFER.frequency,
    ad_types: [...AD_OFFER.types],
    reward_options: {
      watch_ad_for_time: { ad_length: AD_OFFER.time.adLengthSeconds, time_reward: AD_OFFER.time.rewardSeconds / 60 },
      watch_ad_for_discount: { ad_length: AD_OFFER.discount.adLengthSeconds, discount_percent: AD_OFFER.discount.percent },
    },
  };
}

export interface AdView {
  userId: string;
  adId: string;
  personaSlug: string | null;
  viewDurationSeconds: number;
  rewardType: RewardType;
}

export type AdViewResult =
  | { rewardEarned: true; rewardType: 'time'; timeRewardSeconds: number; expiresAt: Date }
  | { rewardEarned: true; rewardType: 'discount'; percent: number; expiresAt: Date }
  | { rewardEarned: false; rewardType: RewardType; reason: NoRewardReason; message: string };

async function whyNoReward(tx: Queryable, platform: Platform, v: AdView, now: Date): Promise<NoRewardReason | null> {
  if ((await getUserTier(tx, v.userId, now)) === 'premium') return 'premium_user';
  const length = v.rewardType === 'time' ? AD_OFFER.time.adLengthSeconds : AD_OFFER.discount.adLengthSeconds;
  if (v.viewDurationSeconds < length) return 'view_too_short';
  const seen = await tx.query(`SELECT 1 FROM ad_interactions WHERE user_id = $1 AND ad_id = $2 AND reward_earned`, [v.userId, v.adId]);
  if (seen.length > 0) return 'already_rewarded';
  const since = new Date(now.getTime() - AD_OFFER.dailyWindowSeconds * 1000);
  const [count] = await tx.query<{ n: number | string }>(
    `SELECT COUNT(*) AS n FROM ad_interactions WHERE user_id = $1 AND reward_earned AND created_at > $2`,
    [v.userId, since],
  );
  if (Number(count?.n ?? 0) >= platform.config.AD_REWARDS_PER_DAY) return 'daily_limit_reached';
  // Last: the network's confirmation is spent only by a view that earns its reward.
  if (!(await spendAdVerification(tx, v.userId, v.adId, now))) return 'not_verified';
  return null;
}

/**
 * Records one reported ad view and decides its reward, in one transaction under the
 * user's row lock (so replays racing each other are decided one at a time).
 */
export async function recordAdView(platform: Platform, v: AdView): Promise<AdViewResult> {
  const now = platform.clock.now();
  return platform.db.transaction(async (tx) => {
    await lockUser(tx, v.userId);
    const reason = await whyNoReward(tx, platform, v, now);
    const expiresAt = new Date(now.getTime() + AD_OFFER.rewardLifetimeSeconds * 1000);
    const timeSeconds = v.rewardType === 'time' ? AD_OFFER.time.rewardSeconds : null;
    const percent = v.rewardType === 'discount' ? AD_OFFER.discount.percent : null;
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO ad_interactions (user_id, ad_id, persona_slug, view_duration, reward_type, reward_earned, reason,
                                    time_reward_seconds, discount_percent, reward_expires_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        v.userId, v.adId, v.personaSlug, v.viewDurationSeconds, v.rewardType, reason === null, reason,
        reason === null ? timeSeconds : null, reason === null ? percent : null, reason === null ? expiresAt : null, now,
      ],
    );
    if (reason !== null) return { rewardEarned: false, rewardType: v.rewardType, reason, message: NO_REWARD_MESSAGES[reason] };
    if (timeSeconds !== null) {
      await grantSeconds(tx, {
        userId: v.userId,
        seconds: timeSeconds,
        kind: 'ad_reward',
        expiresAt,
        reference: `ad_interaction:${row!.id}`,
        now,
      });
      return { rewardEarned: true, rewardType: 'time', timeRewardSeconds: timeSeconds, expiresAt };
    }
    return { rewardEarned: true, rewardType: 'discount', percent: percent!, expiresAt };
  });
}

export function adViewBody(r: AdViewResult) {
  if (!r.rewardEarned) {
    return { reward_earned: false, reward_type: r.rewardType, reason: r.reason, message: r.message };
  }
  if (r.rewardType === 'time') {
    const minutes = r.timeRewardSeconds / 60;
    return {
      reward_earned: true,
      reward_type: 'time' as const,
      time_reward: minutes,
      reward_expires_at: r.expiresAt.toISOString(),
      message: `Thanks for watching! ${minutes} free minutes were added to your balance.`,
    };
  }
  return {
    reward_earned: true,
    reward_type: 'discount' as const,
    cost_reduction_percentage: r.percent,
    next_session_discount: r.percent / 100,
    reward_expires_at: r.expiresAt.toISOString(),
    message: `Thanks for watching! Your next interaction is ${r.percent}% off.`,
  };
}
