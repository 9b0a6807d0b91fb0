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
  /** Names the card (withIdempotency's attempt): a run after a crashed one resumes its card. */
  attempt?: string;
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
  if (!tier) throw notFound(`No time card package is called "${input.packageId}"; GET /time/pricing lists them.`, 'package_not_found');
  const totalSeconds = tierSeconds(tier);
  const now = platform.clock.now();

  const cardId = input.attempt ? `tcrd_${input.attempt}` : newCardId();
  const earlier = input.attempt ? await resumable(platform, cardId, input.userId) : undefined;
  // The coupon is redeemed in the card's own transaction: both happen or neither does.
  const { code, discountCents } = earlier ?? await platform.db.transaction(async (tx) => {
    const redemption = input.couponCode
      ? await redeemCoupon(tx, { code: input.couponCode, userId: input.userId, purpose: 'time_card', reference: cardId, amountCents: tier.price_cents, now })
      : null;
    const discount = redemption?.discountCents ?? 0;
    if (discount > 0 && tier.price_cents - discount < MIN_CHARGE_CENTS) {
      throw validationFailed('That coupon would take this package below the smallest amount that can be charged.', undefined, 'coupon_below_minimum');
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
    throw paymentRequired(`The payment was declined: ${intent.declineMessage ?? 'the card was refused'}. No time card was issued.`, 'payment_declined');
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

/**
 * What a crashed run of the same attempt left: a card whose payment was created is taken up
 * again (its code and price; the provider's idempotency key, from the card id, gives the same
 * payment); one without a payment yet is removed with its coupon redemption, and made anew
 * under the same id, so a payment the provider did create is still the one found.
 */
async function resumable(platform: Platform, cardId: string, userId: string): Promise<{ code: string; discountCents: number } | undefined> {
  return platform.db.transaction(async (tx) => {
    const [card] = await tx.query<{ activation_code: string; amount_cents: number; price_cents: number; payment_intent_id: string | null }>(
      `SELECT c.activation_code, c.amount_cents, t.price_cents, c.payment_intent_id
         FROM time_cards c JOIN pricing_tiers t ON t.id = c.tier_id
        WHERE c.id = $1 AND c.purchaser_user_id = $2 FOR UPDATE OF c`,
      [cardId, userId],
    );
    if (!card) return undefined;
    if (card.payment_intent_id !== null) return { code: card.activation_code, discountCents: card.price_cents - card.amount_cents };
    await releaseRedemption(tx, 'time_card', cardId);
    await tx.query(`DELETE FROM time_cards WHERE id = $1 AND status = 'pending_payment' AND payment_intent_id IS NULL`, [cardId]);
    return undefined;
  });
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
