import type { Queryable } from '../../db/database.js';
import { AppError, type ErrorCode } from '../../http/errors.js';
import { formatCents } from '../../money.js';

export interface Coupon {
  code: string;
  description: string;
  percentOff: number | null;
  amountOffCents: number | null;
  validUntil: Date | null;
  maxRedemptions: number | null;
  redemptionsCount: number;
  newUsersOnly: boolean;
  active: boolean;
}

export type CouponRejection = 'not_found' | 'expired' | 'exhausted' | 'already_redeemed' | 'new_users_only';

export type CouponCheck =
  | { valid: true; coupon: Coupon; discountCents: number | null }
  | { valid: false; reason: CouponRejection; message: string; coupon?: Coupon };

export type CouponPurpose = 'time_card' | 'subscription';

const REJECTION_MESSAGES: Record<CouponRejection, string> = {
  not_found: 'That coupon code does not exist.',
  expired: 'That coupon has expired.',
  exhausted: 'That coupon has been fully redeemed.',
  already_redeemed: 'You have already used that coupon.',
  new_users_only: 'That coupon is only for new customers, before their first purchase.',
};

/** Each rejection is its own error code, the same on every endpoint (and in /coupons/validate's `reason`). */
export const COUPON_ERROR_CODES = {
  not_found: 'coupon_not_found',
  expired: 'coupon_expired',
  exhausted: 'coupon_exhausted',
  already_redeemed: 'coupon_already_redeemed',
  new_users_only: 'coupon_new_users_only',
} as const satisfies Record<CouponRejection, ErrorCode>;

/** Codes are case-insensitive for people typing them; stored upper-case. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

interface CouponRow {
  code: string;
  description: string;
  percent_off: number | null;
  amount_off_cents: number | null;
  valid_until: Date | string | null;
  max_redemptions: number | null;
  redemptions_count: number;
  new_users_only: boolean;
  active: boolean;
}

const fromRow = (r: CouponRow): Coupon => ({
  code: r.code,
  description: r.description,
  percentOff: r.percent_off,
  amountOffCents: r.amount_off_cents,
  validUntil: r.valid_until ? new Date(r.valid_until) : null,
  maxRedemptions: r.max_redemptions,
  redemptionsCount: Number(r.redemptions_count),
  newUsersOnly: r.new_users_only,
  active: r.active,
});

/** The discount on `amountCents`, rounded to the cent as Stripe rounds it, never more than the amount. */
export function discountFor(coupon: Coupon, amountCents: number): number {
  const raw = coupon.percentOff !== null ? Math.round((amountCents * coupon.percentOff) / 100) : (coupon.amountOffCents ?? 0);
  return Math.min(Math.max(raw, 0), amountCents);
}

/** A new customer has never paid: no successful payment and no subscription that went live. */
async function isNewCustomer(q: Queryable, userId: string): Promise<boolean> {
  const [row] = await q.query<{ paid: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM payment_history WHERE user_id = $1 AND status = 'succeeded')
         OR EXISTS (SELECT 1 FROM user_subscriptions WHERE user_id = $1 AND status NOT IN ('incomplete', 'incomplete_expired'))
         AS paid`,
    [userId],
  );
  return !row?.paid;
}

async function check(q: Queryable, rawCode: string, userId: string, now: Date, lock: boolean): Promise<CouponCheck> {
  const code = normalizeCode(rawCode);
  const [row] = await q.query<CouponRow>(
    `SELECT * FROM coupons WHERE code = $1 AND active${lock ? ' FOR UPDATE' : ''}`,
    [code],
  );
  const reject = (reason: CouponRejection, coupon?: Coupon): CouponCheck => ({
    valid: false,
    reason,
    message: REJECTION_MESSAGES[reason],
    coupon,
  });
  if (!row) return reject('not_found');
  const coupon = fromRow(row);
  if (coupon.validUntil && coupon.validUntil.getTime() <= now.getTime()) return reject('expired', coupon);
  if (coupon.maxRedemptions !== null && coupon.redemptionsCount >= coupon.maxRedemptions) return reject('exhausted', coupon);
  const used = await q.query(`SELECT 1 FROM coupon_redemptions WHERE coupon_code = $1 AND user_id = $2`, [code, userId]);
  if (used.length > 0) return reject('already_redeemed', coupon);
  if (coupon.newUsersOnly && !(await isNewCustomer(q, userId))) return reject('new_users_only', coupon);
  return { valid: true, coupon, discountCents: null };
}

/** Whether `userId` could use the coupon now (nothing is reserved). */
export async function checkCoupon(
  q: Queryable,
  code: string,
  userId: string,
  now: Date,
  amountCents?: number,
): Promise<CouponCheck> {
  const result = await check(q, code, userId, now, false);
  if (result.valid && amountCents !== undefined) result.discountCents = discountFor(result.coupon, amountCents);
  return result;
}

export interface Redemption {
  code: string;
  percentOff: number | null;
  amountOffCents: number | null;
  discountCents: number;
}

/**
 * Redeems the coupon for a purchase, inside the purchase's transaction: the coupon row is
 * locked, so concurrent redemptions of a limited coupon are counted one at a time, and
 * (coupon, user) is unique, so one user redeems a coupon once. A rejected coupon is a 422
 * naming the reason; nothing is written.
 */
export async function redeemCoupon(
  tx: Queryable,
  r: { code: string; userId: string; purpose: CouponPurpose; reference: string; amountCents: number; now: Date },
): Promise<Redemption> {
  const result = await check(tx, r.code, r.userId, r.now, true);
  if (!result.valid) throw new AppError(COUPON_ERROR_CODES[result.reason], result.message);
  const { coupon } = result;
  const discountCents = discountFor(coupon, r.amountCents);
  await tx.query(`UPDATE coupons SET redemptions_count = redemptions_count + 1 WHERE code = $1`, [coupon.code]);
  await tx.query(
    `INSERT INTO coupon_redemptions (coupon_code, user_id, purpose, reference, amount_cents, discount_cents, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [coupon.code, r.userId, r.purpose, r.reference, r.amountCents, discountCents, r.now],
  );
  return { code: coupon.code, percentOff: coupon.percentOff, amountOffCents: coupon.amountOffCents, discountCents };
}

/** Gives a redemption back when the purchase it was made for never happened. */
export async function releaseRedemption(tx: Queryable, purpose: CouponPurpose, reference: string): Promise<void> {
  const rows = await tx.query<{ coupon_code: string }>(
    `DELETE FROM coupon_redemptions WHERE purpose = $1 AND reference = $2 RETURNING coupon_code`,
    [purpose, reference],
  );
  for (const row of rows) {
    await tx.query(`UPDATE coupons SET redemptions_count = redemptions_count - 1 WHERE code = $1`, [row.coupon_code]);
  }
}

export function couponMessage(c: Coupon): string {
  return c.percentOff !== null
    ? `Coupon applied: ${c.percentOff}% off!`
    : `Coupon applied: ${formatCents(c.amountOffCents ?? 0)} off!`;
}
