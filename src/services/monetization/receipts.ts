import type Stripe from 'stripe';
import type { Queryable } from '../../db/database.js';
import type { StripeEventHandlers } from '../../integrations/stripe/handlers.js';
import type { Platform } from '../../platform.js';

async function rememberReceipt(tx: Queryable, event: Stripe.Event, platform: Platform): Promise<void> {
  const charge = event.data.object as Stripe.Charge;
  const pi = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  if (!pi || typeof charge.receipt_url !== 'string' || !charge.receipt_url.startsWith('https://') || charge.receipt_url.length > 2048) return;
  await tx.query(
    `INSERT INTO payment_receipts (payment_intent_id, receipt_url, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (payment_intent_id) DO UPDATE SET receipt_url = EXCLUDED.receipt_url, updated_at = EXCLUDED.updated_at`,
    [pi, charge.receipt_url, platform.clock.now()],
  );
}

/** Keeps the receipt link Stripe gives a charge, for the user's payment list. */
export const receiptStripeHandlers: StripeEventHandlers = {
  'charge.succeeded': rememberReceipt,
  'charge.refunded': rememberReceipt,
};
