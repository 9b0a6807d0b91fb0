import type { Queryable } from '../../db/database.js';
import { centsToDecimal, formatCents } from '../../money.js';

export interface Plan {
  id: string;
  name: string;
  tier: 'premium';
  priceCents: number;
  currency: string;
  interval: 'month' | 'year';
  features: string[];
  stripePriceId: string | null;
  /** On sale; retired plans still name existing subscriptions. */
  active: boolean;
}

interface PlanRow {
  id: string;
  name: string;
  tier: 'premium';
  price_cents: number;
  currency: string;
  billing_interval: 'month' | 'year';
  features: string[] | string;
  stripe_price_id: string | null;
  active: boolean;
}

const COLUMNS = `id, name, tier, price_cents, currency, billing_interval, features, stripe_price_id, active`;

const fromRow = (r: PlanRow): Plan => ({
  id: r.id,
  name: r.name,
  tier: r.tier,
  priceCents: Number(r.price_cents),
  currency: r.currency,
  interval: r.billing_interval,
  features: typeof r.features === 'string' ? (JSON.parse(r.features) as string[]) : r.features,
  stripePriceId: r.stripe_price_id,
  active: r.active,
});

export async function listPlans(q: Queryable): Promise<Plan[]> {
  const rows = await q.query<PlanRow>(`SELECT ${COLUMNS} FROM plans WHERE active ORDER BY sort_order, id`);
  return rows.map(fromRow);
}

/** Any plan, active or retired: existing subscriptions keep naming retired plans. */
export async function findPlan(q: Queryable, id: string): Promise<Plan | undefined> {
  const rows = await q.query<PlanRow>(`SELECT ${COLUMNS} FROM plans WHERE id = $1`, [id]);
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** The plan an upgrade to `tier` starts with: the cheapest active monthly plan of that tier. */
export async function defaultPlanForTier(q: Queryable, tier: 'premium'): Promise<Plan | undefined> {
  const rows = await q.query<PlanRow>(
    `SELECT ${COLUMNS} FROM plans WHERE active AND tier = $1
      ORDER BY (billing_interval = 'month') DESC, price_cents, id LIMIT 1`,
    [tier],
  );
  return rows[0] ? fromRow(rows[0]) : undefined;
}

/** Remembers the provider's recurring price for a plan; the first writer wins. */
export async function rememberStripePrice(q: Queryable, planId: string, priceId: string): Promise<string> {
  await q.query(`UPDATE plans SET stripe_price_id = $2 WHERE id = $1 AND stripe_price_id IS NULL`, [planId, priceId]);
  const rows = await q.query<{ stripe_price_id: string }>(`SELECT stripe_price_id FROM plans WHERE id = $1`, [planId]);
  return rows[0]?.stripe_price_id ?? priceId;
}

export const priceDisplay = (p: Plan): string => `${formatCents(p.priceCents, p.currency)}/${p.interval}`;

export function planBody(p: Plan) {
  return {
    id: p.id,
    name: p.name,
    price: centsToDecimal(p.priceCents),
    price_cents: p.priceCents,
    price_display: priceDisplay(p),
    currency: p.currency,
    interval: p.interval,
    features: p.features,
  };
}
