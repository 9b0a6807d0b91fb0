import { responseCache } from '../../http/response-cache.js';
import { one, type Queryable } from '../../db/database.js';
import { AppError, conflict, notFound, validationFailed } from '../../http/errors.js';
import { PaymentProviderError } from '../../integrations/payments/provider.js';
import type { Platform } from '../../platform.js';
import { normalizeCode } from '../coupons/coupons.js';
import { TIME_CARD_PURPOSE } from '../time/stripe-events.js';
import type { PricingTier } from '../time/pricing.js';
import { writeAudit } from './audit.js';
import { decodeCursor, iso, type Cursor } from './page.js';
import type { Actor } from './user-actions.js';

export interface PaymentFilter {
  status?: 'succeeded' | 'failed' | 'refunded';
  user_id?: string;
  purpose?: string;
}

export interface PaymentRow {
  id: string;
  user_id: string;
  email: string;
  amount_cents: number;
  currency: string;
  status: string;
  payment_intent_id: string;
  purpose: string;
  reference: string | null;
  created_at: Date;
  cursor_key: string;
}

/** payment_history newest first (`limit + 1` rows). */
export async function listPayments(q: Queryable, f: PaymentFilter, limit: number, cursor: string | undefined): Promise<PaymentRow[]> {
  const after = decodeCursor(cursor);
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  for (const [col, value] of [['p.status', f.status], ['p.user_id', f.user_id], ['p.purpose', f.purpose]] as const) {
    if (value === undefined) continue;
    params.push(value);
    where.push(`${col} = $${params.length}`);
  }
  if (after) {
    params.push(after.key, after.id);
    where.push(`(p.created_at, p.id) < ($${params.length - 1}::timestamptz, $${params.length}::bigint)`);
  }
  return q.query<PaymentRow>(
    `SELECT p.id::text AS id, p.user_id, u.email, p.amount_cents, p.currency, p.status, p.payment_intent_id, p.purpose, p.reference,
            p.created_at, p.created_at::text AS cursor_key
       FROM payment_history p JOIN users u ON u.id = p.user_id
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY p.created_at DESC, p.id DESC LIMIT $1`,
    params,
  );
}

export const paymentCursor = (r: PaymentRow): Cursor => ({ key: r.cursor_key, id: r.id });
export const paymentBody = (r: PaymentRow) => ({ ...r, cursor_key: undefined, created_at: iso(r.created_at)! });

/**
 * Asks the payment provider to refund (part of) a time-card payment. Nothing moves here: the
 * provider's `charge.refunded` event applies it (refunded cents, the card's seconds), exactly
 * like a refund made at Stripe. The request is audited first, under the card's lock, so what
 * was asked before counts and refunds never exceed the payment; a refusal by the provider is
 * audited too and gives the amount back.
 */
export async function refundPayment(platform: Platform, actor: Actor, paymentId: string, amountCents: number | undefined) {
  if (!/^\d{1,18}$/.test(paymentId)) throw notFound('No payment with that id.');
  const now = platform.clock.now();
  const asked = await platform.db.transaction(async (tx) => {
    const pay = await one<{ status: string; purpose: string; reference: string | null; payment_intent_id: string; amount_cents: number; currency: string }>(
      tx, `SELECT status, purpose, reference, payment_intent_id, amount_cents, currency FROM payment_history WHERE id = $1::bigint`, [paymentId],
    );
    if (!pay) throw notFound('No payment with that id.');
    if (pay.status !== 'succeeded') throw conflict('Only a successful payment can be refunded.');
    if (pay.purpose !== TIME_CARD_PURPOSE || !pay.reference) throw conflict('Only time-card payments are refunded here; refund subscriptions in Stripe.');
    // The card's row lock serialises refund requests for one payment.
    const card = await one<{ refunded_cents: number }>(tx, `SELECT refunded_cents FROM time_cards WHERE id = $1 FOR UPDATE`, [pay.reference]);
    if (!card) throw notFound('The time card of this payment no longer exists.');
    const [requested] = await tx.query<{ cents: number | string }>(
      `SELECT COALESCE(SUM(CASE action WHEN 'payment.refund' THEN 1 ELSE -1 END * (after->>'amount_cents')::int), 0) AS cents
         FROM admin_audit WHERE object_type = 'payment' AND object_id = $1 AND action IN ('payment.refund', 'payment.refund_failed')`,
      [paymentId],
    );
    const refundedSoFar = Math.max(card.refunded_cents, Number(requested?.cents ?? 0));
    const refundable = pay.amount_cents - refundedSoFar;
    if (refundable <= 0) throw conflict('This payment has been refunded in full already.');
    const amount = amountCents ?? refundable;
    if (amount > refundable) {
      throw validationFailed(`At most ${refundable} cents of this payment can still be refunded.`, [{ field: 'amount_cents', message: `must be at most ${refundable}` }]);
    }
    await writeAudit(tx, {
      adminId: actor.adminId, action: 'payment.refund', objectType: 'payment', objectId: paymentId, reason: actor.reason, at: now,
      before: { refunded_cents: refundedSoFar }, after: { amount_cents: amount },
    });
    return { pay, amount, refundedSoFar };
  });
  // Outside the transaction: the provider is a network call (and the simulation writes its event).
  const { pay, amount, refundedSoFar } = asked;
  try {
    const refund = await platform.payments.refund({
      paymentIntentId: pay.payment_intent_id,
      amountCents: amount,
      idempotencyKey: `admin_refund:${paymentId}:${refundedSoFar}:${amount}`,
      metadata: { purpose: TIME_CARD_PURPOSE, time_card_id: pay.reference!, refunded_by: actor.adminId },
      charge: { amountCents: pay.amount_cents, refundedCents: refundedSoFar, currency: pay.currency },
    });
    return { payment_id: paymentId, refund_id: refund.id, amount_cents: amount, status: 'requested' as const };
  } catch (err) {
    await writeAudit(platform.db, {
      adminId: actor.adminId, action: 'payment.refund_failed', objectType: 'payment', objectId: paymentId, reason: actor.reason,
      at: platform.clock.now(), before: null, after: { amount_cents: amount },
    });
    if (!(err instanceof PaymentProviderError)) throw err;
    platform.log.warn({ err: err.message, paymentId }, 'refund refused by the payment provider');
    throw new AppError('unavailable', 'The payment provider did not accept the refund; nothing was refunded. Please try again.');
  }
}

interface CouponRow {
  code: string;
  description: string;
  percent_off: number | null;
  amount_off_cents: number | null;
  valid_until: Date | null;
  max_redemptions: number | null;
  redemptions_count: number;
  new_users_only: boolean;
  active: boolean;
  created_at: Date;
}

export const couponBody = (c: CouponRow) => ({
  ...c,
  valid_until: iso(c.valid_until),
  created_at: iso(c.created_at)!,
  redemptions_count: Number(c.redemptions_count),
});

/** Coupons by code (`limit + 1` rows); `active` filters. */
export async function listCoupons(q: Queryable, f: { active?: boolean }, limit: number, cursor: string | undefined): Promise<CouponRow[]> {
  const after = decodeCursor(cursor);
  const params: unknown[] = [limit + 1];
  const where: string[] = [];
  if (f.active !== undefined) {
    params.push(f.active);
    where.push(`active = $${params.length}`);
  }
  if (after) {
    params.push(after.id);
    where.push(`code > $${params.length}`);
  }
  return q.query<CouponRow>(
    `SELECT * FROM coupons ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY code LIMIT $1`,
    params,
  );
}
export const couponCursor = (c: CouponRow): Cursor => ({ key: '', id: c.code });

export interface NewCoupon {
  code: string;
  description: string;
  percent_off?: number;
  amount_off_cents?: number;
  valid_until?: string;
  max_redemptions?: number;
  new_users_only?: boolean;
}

export async function createCoupon(platform: Platform, actor: Actor, c: NewCoupon) {
  if ((c.percent_off === undefined) === (c.amount_off_cents === undefined)) {
    throw validationFailed('Give exactly one of percent_off and amount_off_cents.', [{ field: 'percent_off', message: 'exactly one of percent_off, amount_off_cents' }]);
  }
  const now = platform.clock.now();
  const code = normalizeCode(c.code);
  if (c.valid_until !== undefined && new Date(c.valid_until).getTime() <= now.getTime()) {
    throw validationFailed('valid_until must be in the future.', [{ field: 'valid_until', message: 'must be in the future' }]);
  }
  return platform.db.transaction(async (tx) => {
    const [row] = await tx.query<CouponRow>(
      `INSERT INTO coupons (code, description, percent_off, amount_off_cents, valid_until, max_redemptions, new_users_only, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (code) DO NOTHING RETURNING *`,
      [code, c.description, c.percent_off ?? null, c.amount_off_cents ?? null, c.valid_until ?? null, c.max_redemptions ?? null, c.new_users_only ?? false, now],
    );
    if (!row) throw conflict(`A coupon with the code ${code} already exists.`);
    const body = couponBody(row);
    await writeAudit(tx, { adminId: actor.adminId, action: 'coupon.create', objectType: 'coupon', objectId: code, reason: actor.reason, at: now, before: null, after: body });
    return body;
  });
}

export async function deactivateCoupon(platform: Platform, actor: Actor, rawCode: string) {
  const now = platform.clock.now();
  const code = normalizeCode(rawCode);
  return platform.db.transaction(async (tx) => {
    const before = await one<CouponRow>(tx, `SELECT * FROM coupons WHERE code = $1 FOR UPDATE`, [code]);
    if (!before) throw notFound('No coupon with that code.');
    if (!before.active) throw conflict('This coupon is already inactive.');
    const [row] = await tx.query<CouponRow>(`UPDATE coupons SET active = false WHERE code = $1 RETURNING *`, [code]);
    await writeAudit(tx, {
      adminId: actor.adminId, action: 'coupon.deactivate', objectType: 'coupon', objectId: code, reason: actor.reason, at: now,
      before: { active: true }, after: { active: false },
    });
    return couponBody(row!);
  });
}

const TIER_COLUMNS = 'id, name, hours, bonus_minutes, price_cents, currency, description, sort_order, active';

/** A package as the admin sees it: on sale or not, with its place in the list. */
export interface TierRow extends PricingTier {
  sort_order: number;
  active: boolean;
}

export async function listAllTiers(q: Queryable): Promise<TierRow[]> {
  return q.query<TierRow>(`SELECT ${TIER_COLUMNS} FROM pricing_tiers ORDER BY sort_order, price_cents`);
}

export interface TierPatch {
  name?: string;
  price_cents?: number;
  hours?: number;
  bonus_minutes?: number;
  description?: string;
  active?: boolean;
}

/** Changes a package; cards already bought keep what they were sold with. */
export async function patchTier(platform: Platform, actor: Actor, id: string, patch: TierPatch): Promise<TierRow> {
  const now = platform.clock.now();
  const fields = (Object.keys(patch) as (keyof TierPatch)[]).filter((k) => patch[k] !== undefined);
  if (fields.length === 0) throw validationFailed('Nothing to change: give at least one field.');
  const changed = await platform.db.transaction(async (tx) => {
    const before = await one<TierRow>(tx, `SELECT ${TIER_COLUMNS} FROM pricing_tiers WHERE id = $1 FOR UPDATE`, [id]);
    if (!before) throw notFound('No pricing tier with that id.', 'package_not_found');
    const sets = fields.map((f, i) => `${f} = $${i + 2}`);
    const [after] = await tx.query<TierRow>(
      `UPDATE pricing_tiers SET ${sets.join(', ')} WHERE id = $1 RETURNING ${TIER_COLUMNS}`,
      [id, ...fields.map((f) => patch[f])],
    );
    await writeAudit(tx, {
      adminId: actor.adminId, action: 'tier.update', objectType: 'pricing_tier', objectId: id, reason: actor.reason, at: now,
      before: Object.fromEntries(fields.map((f) => [f, before[f]])), after: Object.fromEntries(fields.map((f) => [f, after![f]])),
    });
    return after!;
  });
  // The cached pricing answer, at once here (other instances hear the table's notice).
  responseCache(platform).clear();
  return changed;
}

