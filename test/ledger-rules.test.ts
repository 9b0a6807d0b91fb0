import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.js';
import { createTestDatabase } from './support/database.js';

// The billing rules of sql/functions/time-ledger.sql, as the session functions call them.
let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const charge = async (seconds: number, milli: number, discount: number, reward: number): Promise<number> => {
  const [row] = await db.query<{ n: string }>(`SELECT time_charge($1, time_cost_factor($2, $3, $4)) AS n`, [seconds, milli, discount, reward]);
  return Number(row!.n);
};

describe('billing rules', () => {
  it('charge rounds up to the whole second after the multiplier and both discounts', async () => {
    expect(await charge(1, 1000, 0, 0)).toBe(1);
    expect(await charge(7, 1500, 0, 0)).toBe(11);
    expect(await charge(101, 800, 50, 50)).toBe(21);
    expect(await charge(3600, 1000, 100, 0)).toBe(0);
  });

  it('the cap is the longest talk the balance covers, within the limit and the maximum', async () => {
    const cap = async (balance: number, milli: number, limit: number | null, max: number | null) =>
      (await db.query<{ n: number }>(`SELECT time_session_cap($1, time_cost_factor($2, 0, 0), $3, $4) AS n`, [balance, milli, limit, max]))[0]!.n;
    expect(await cap(11, 1500, null, null)).toBe(7);
    expect(await charge(7, 1500, 0, 0)).toBeLessThanOrEqual(11);
    expect(await charge(8, 1500, 0, 0)).toBeGreaterThan(11);
    expect(await cap(3600, 1000, 60, null)).toBe(60);
    expect(await cap(3600, 1000, null, 30)).toBe(30);
  });
});
