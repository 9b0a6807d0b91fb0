import type Stripe from 'stripe';
import type { Queryable } from '../../db/database.js';
import type { StripeEventHandlers } from '../../integrations/stripe/handlers.js';
import type { Platform } from '../../platform.js';

/** A link Stripe gives, if it is one a user can be sent to: https, of a sane length. */
const receiptLink = (url: unknown): string | null =>
  typeof url === 'string' && url.startsWith('https://') && url.length <= 2048 ? url : null;

/**
 * Keeps the receipt link for one payment, by the id GET /payments shows it under: a time
 * card's payment intent or a subscription invoice's id. The latest link Stripe sent wins.
 */
async function keepReceipt(tx: Queryable, paymentId: string, url: string, platform: Platform): Promise<void> {
  await tx.query(
    `INSERT INTO payment_receipts (payment_intent_id, receipt_url, updated_at) VALUES ($1, $2, $3)
     ON CONFLICT (payment_intent_id) DO UPDATE SET receipt_url = EXCLUDED.receipt_url, updated_at = EXCLUDED.updated_at`,
    [paymentId, url, platform.clock.now()],
  );
}

/**
 * Keeps a subscription invoice's page at Stripe (`hosted_invoice_url`, else its
 * `invoice_pdf`); the caller has checked the invoice is for one of MindBot's subscriptions.
 * The simulated provider's invoices have neither, so nothing is kept for them.
 */
export async function keepInvoiceReceipt(tx: Queryable, invoice: Stripe.Invoice, platform: Platform): Promise<void> {
  const url = receiptLink(invoice.hosted_invoice_url) ?? receiptLink(invoice.invoice_pdf);
  if (invoice.id && url) await keepReceipt(tx, invoice.id, url, platform);
}

async function rememberChargeReceipt(tx: Queryable, event: Stripe.Event, platform: Platform): Promise<void> {
  const charge = event.data.object as Stripe.Charge;
  const pi = typeof charge.payment_intent === 'string' ? charge.payment_intent : charge.payment_intent?.id;
  const url = receiptLink(charge.receipt_url);
  if (pi && url) await keepReceipt(tx, pi, url, platform);
}

/** Keeps the receipt link Stripe gives a charge, for the user's payment list. */
export const receiptStripeHandlers: StripeEventHandlers = {
  'charge.succeeded': rememberChargeReceipt,
  'charge.refunded': rememberChargeReceipt,
};
