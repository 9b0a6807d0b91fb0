import type { Queryable } from '../../db/database.js';
import { SUBSCRIPTION_PURPOSE } from './stripe-events.js';

export interface PaymentItem {
  id: string;
  kind: 'time_card' | 'subscription';
  description: string;
  status: 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';
  amount_cents: number;
  refunded_cents: number;
  currency: string;
  created_at: string;
  receipt_url: string | null;
}

const cardStatus = (status: string, amount: number, refunded: number): PaymentItem['status'] => {
  if (refunded > 0) return refunded >= amount ? 'refunded' : 'partially_refunded';
  if (status === 'pending_payment') return 'pending';
  if (status === 'failed') return 'failed';
  return 'succeeded';
};

/**
 * The user's payments, newest first: each time card bought (its payment's state and refunds,
 * from the card) and each subscription invoice (as its events recorded it).
 */
export async function listPayments(q: Queryable, userId: string): Promise<PaymentItem[]> {
  const cards = await q.query<{
    id: string; payment_intent_id: string | null; name: string | null; status: string; amount_cents: number; refunded_cents: number;
    currency: string; created_at: Date | string; receipt_url: string | null;
  }>(
    `SELECT c.id, c.payment_intent_id, t.name, c.status, c.amount_cents, c.refunded_cents, c.currency, c.created_at, r.receipt_url
       FROM time_cards c LEFT JOIN pricing_tiers t ON t.id = c.tier_id
       LEFT JOIN payment_receipts r ON r.payment_intent_id = c.payment_intent_id
      WHERE c.purchaser_user_id = $1 AND c.kind = 'purchase'`,
    [userId],
  );
  const invoices = await q.query<{ payment_intent_id: string; status: string; amount_cents: number; currency: string; created_at: Date | string; plan: string | null; receipt_url: string | null }>(
    `SELECT DISTINCT ON (h.payment_intent_id) h.payment_intent_id, h.status, h.amount_cents, h.currency, h.created_at, p.name AS plan, r.receipt_url
       FROM payment_history h
       LEFT JOIN user_subscriptions s ON s.id = h.reference
       LEFT JOIN plans p ON p.id = s.plan_id
       LEFT JOIN payment_receipts r ON r.payment_intent_id = h.payment_intent_id
      WHERE h.user_id = $1 AND h.purpose = $2
      ORDER BY h.payment_intent_id, (h.status = 'succeeded') DESC, h.created_at DESC`,
    [userId, SUBSCRIPTION_PURPOSE],
  );
  const items: PaymentItem[] = [
    ...cards.map((c) => ({
      id: c.payment_intent_id ?? c.id,
      kind: 'time_card' as const,
      description: c.name ? `Time card: ${c.name}` : 'Time card',
      status: cardStatus(c.status, Number(c.amount_cents), Number(c.refunded_cents)),
      amount_cents: Number(c.amount_cents),
      refunded_cents: Number(c.refunded_cents),
      currency: c.currency,
      created_at: new Date(c.created_at).toISOString(),
      receipt_url: c.receipt_url,
    })),
    ...invoices.map((i) => ({
      id: i.payment_intent_id,
      kind: 'subscription' as const,
      description: i.plan ? `Subscription: ${i.plan}` : 'Subscription',
      status: (i.status === 'succeeded' ? 'succeeded' : i.status === 'refunded' ? 'refunded' : 'failed') as PaymentItem['status'],
      amount_cents: Number(i.amount_cents),
      refunded_cents: i.status === 'refunded' ? Number(i.amount_cents) : 0,
      currency: i.currency,
      created_at: new Date(i.created_at).toISOString(),
      receipt_url: i.receipt_url,
    })),
  ];
  return items.sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : a.id < b.id ? 1 : -1));
}
