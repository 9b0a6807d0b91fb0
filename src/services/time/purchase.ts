import type { Queryable } from '../../db/database.js';
import { AppError, notFound, paymentRequired, validationFailed } from '../../http/errors.js';
import { PaymentProviderError, type PaymentIntentResult } from '../../integrations/payments/provider.js';
import type { Platform } from '../../platform.js';
import { redeemCoupon, releaseRedemption } from '../coupons/coupons.js';
import { generateActivationCode } from './activation-code.js';
import { newCardId } from './ledger.js';
import { findTier, tierSeconds } from './pricing.js';
import { markCardFailed, TIME_CARD_PURPOSE } from './stripe-events.js';

export interface PurchaseInput {
  userId: string;
  packageId: string;
  paymentMethodId?: string;
  couponCode?: string;
}

/** Stripe's smallest charge in USD: a coupon may not take a price below it. */
const MIN_CHARGE_CENTS = 50;

export interface PurchaseBody {
  payment_intent_id: string;
  amount_cents: number;
  discount_cents: number;
  client_secret: string;
  time_card_id: string;
  activation_code: string;
  package: { name: string; hours: number; bonus_minutes: number; total_minutes: number };
}

/**
 * Buys a time card: the card is stored in pending_payment with a fresh activation code,
 * then a payment for its price is created. The card becomes paid only when the payment's
 * signed `payment_intent.succeeded` event arrives. The amount is decided here, once.
 */
export async function purchaseTimeCard(platform: Platform, input: PurchaseInput): Promise<PurchaseBody> {
  const tier = await findTier(platform.db, input.packageId);
  if (!tier) throw notFound(`No time card package is called "${input.packageId}"; GET /time/pricing lists them.`);
  const totalSeconds = tierSeconds(tier);
  const now = platform.clock.now();

  const cardId = newCardId();
  // The coupon is redeemed in the card's own transaction: both happen or neither does.
  const { code, discountCents } = await platform.db.transaction(async (tx) => {
    const redemption = input.couponCode
      ? await redeemCoupon(tx, { code: input.couponCode, userId: input.userId, purpose: 'time_card', reference: cardId, amountCents: tier.price_cents, now })
      : null;
    const discount = redemption?.discountCents ?? 0;
    if (discount > 0 && tier.price_cents - discount < MIN_CHARGE_CENTS) {
      throw validationFailed('That coupon would take this package below the smallest amount that can be charged.');
    }
    const amount = tier.price_cents - discount;
    const card = await insertPendingCard(tx, { cardId, userId: input.userId, tierId: tier.id, totalSeconds, amountCents: amount, currency: tier.currency, now });
    return { code: card, discountCents: discount };
  });
  const amountCents = tier.price_cents - discountCents;

  let intent: PaymentIntentResult;
  try {
    intent = await platform.payments.createPaymentIntent({
      amountCents,
      currency: tier.currency,
      idempotencyKey: `time_card_purchase:${cardId}`,
      description: `MindBot ${tier.name}`,
      paymentMethodId: input.paymentMethodId,
      metadata: {
        user_id: input.userId,
        time_card_id: cardId,
        purpose: TIME_CARD_PURPOSE,
        mindbot_service: TIME_CARD_PURPOSE,
        package_id: tier.id,
      },
    });
  } catch (err) {
    if (err instanceof PaymentProviderError) {
      platform.log.error({ err: err.message, cardId }, 'payment creation failed');
      await platform.db.transaction((tx) => releaseRedemption(tx, 'time_card', cardId));
      throw new AppError('unavailable', 'The payment provider is unavailable; please try again.');
    }
    throw err;
  }
  await platform.db.query(`UPDATE time_cards SET payment_intent_id = $2 WHERE id = $1 AND payment_intent_id IS NULL`, [cardId, intent.id]);
  if (intent.status === 'failed') {
    await platform.db.transaction(async (tx) => {
      await markCardFailed(tx, cardId, intent.id);
      await releaseRedemption(tx, 'time_card', cardId);
    });
    throw paymentRequired(`The payment was declined: ${intent.declineMessage ?? 'the card was refused'}. No time card was issued.`);
  }
  return {
    payment_intent_id: intent.id,
    amount_cents: amountCents,
    discount_cents: discountCents,
    client_secret: intent.clientSecret,
    time_card_id: cardId,
    activation_code: code,
    package: { name: tier.name, hours: tier.hours, bonus_minutes: tier.bonus_minutes, total_minutes: totalSeconds / 60 },
  };
}

async function insertPendingCard(
  q: Queryable,
  c: { cardId: string; userId: string; tierId: string; totalSeconds: number; amountCents: number; currency: string; now: Date },
): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const code = generateActivationCode();
    const rows = await q.query(
      `INSERT INTO time_cards (id, kind, purchaser_user_id, tier_id, activation_code, status, total_seconds,
                               remaining_seconds, amount_cents, currency, created_at)
       VALUES ($1, 'purchase', $2, $3, $4, 'pending_payment', $5, $5, $6, $7, $8)
       ON CONFLICT (activation_code) DO NOTHING RETURNING id`,
      [c.cardId, c.userId, c.tierId, code, c.totalSeconds, c.amountCents, c.currency, c.now],
    );
    if (rows.length > 0) return code;
    if (attempt >= 5) throw new Error('could not find a free activation code');
  }
}
