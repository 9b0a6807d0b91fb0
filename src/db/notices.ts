/**
 * NOTIFY channels the platform listens on (sql/functions/change-notices.sql sends them).
 * A cache that hears every change may keep what it holds until told; while `live` is
 * false (not yet connected, or the listening connection was lost) it must not trust
 * itself beyond a short time, and `reset` tells it that notices may have been missed.
 */
export interface NoticeHandler {
  notice(payload: string): void;
  reset(): void;
}

export interface Listening {
  readonly live: boolean;
}

export const CATALOGUE_CHANNEL = 'mindbot_catalogue';
export const USER_STANDING_CHANNEL = 'mindbot_user_standing';
export const BALANCE_CHANNEL = 'mindbot_balance';
