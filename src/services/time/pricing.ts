import { one, type Queryable } from '../../db/database.js';
import { formatCents } from '../../money.js';

export interface PricingTier {
  id: string;
  name: string;
  hours: number;
  bonus_minutes: number;
  price_cents: number;
  currency: string;
  description: string;
}

export const tierSeconds = (t: Pick<PricingTier, 'hours' | 'bonus_minutes'>): number => t.hours * 3600 + t.bonus_minutes * 60;

export async function listTiers(q: Queryable): Promise<PricingTier[]> {
  return q.query<PricingTier>(
    `SELECT id, name, hours, bonus_minutes, price_cents, currency, description
       FROM pricing_tiers WHERE active ORDER BY sort_order, price_cents`,
  );
}

export async function findTier(q: Queryable, id: string): Promise<PricingTier | undefined> {
  return one<PricingTier>(
    q,
    `SELECT id, name, hours, bonus_minutes, price_cents, currency, description FROM pricing_tiers WHERE id = $1 AND active`,
    [id],
  );
}

export function tierBody(t: PricingTier) {
  return {
    id: t.id,
    name: t.name,
    hours: t.hours,
    price_cents: t.price_cents,
    price_display: formatCents(t.price_cents, t.currency),
    bonus_minutes: t.bonus_minutes,
    total_minutes: tierSeconds(t) / 60,
    description: t.description,
  };
}
