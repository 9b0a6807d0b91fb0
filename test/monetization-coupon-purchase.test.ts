import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const purchase = (user: TestUser, payload: Record<string, unknown>) =>
  app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload });
const cards = (user: TestUser) =>
  platform.db.query<{ amount_cents: number; status: string }>(`SELECT amount_cents, status FROM time_cards WHERE purchaser_user_id = $1`, [user.id]);

describe('POST /time/purchase with coupon_code', () => {
  it('charges the discounted price and redeems the coupon with the card', async () => {
    const user = await createUser(platform);
    const res = await purchase(user, { package_id: 'basic_5h', payment_method_id: 'pm_card_visa', coupon_code: 'WELCOME25' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amount_cents: 3374, discount_cents: 1125 });
    await platform.payments.flush();
    expect(await cards(user)).toEqual([{ amount_cents: 3374, status: 'paid' }]);
    const [payment] = await platform.db.query<{ amount_cents: number }>(`SELECT amount_cents FROM payment_history WHERE user_id = $1 AND status = 'succeeded'`, [user.id]);
    expect(payment?.amount_cents).toBe(3374);
    const [redemption] = await platform.db.query<{ purpose: string; discount_cents: number }>(
      `SELECT purpose, discount_cents FROM coupon_redemptions WHERE user_id = $1`,
      [user.id],
    );
    expect(redemption).toEqual({ purpose: 'time_card', discount_cents: 1125 });

    // Used once; and the user is no longer new.
    const again = await purchase(user, { package_id: 'starter_1h', coupon_code: 'WELCOME25' });
    expect(again.statusCode).toBe(422);
    expect(again.json()).toMatchObject({ code: 'coupon_already_redeemed' });
    expect(await cards(user)).toHaveLength(1);
  });

  it('refuses an unknown coupon with 422 and creates no card', async () => {
    const user = await createUser(platform);
    const res = await purchase(user, { package_id: 'basic_5h', coupon_code: 'FREEMONEY' });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toMatch(/coupon/i);
    expect(await cards(user)).toHaveLength(0);
  });

  it('gives the coupon back when the card is declined', async () => {
    const user = await createUser(platform);
    const res = await purchase(user, { package_id: 'basic_5h', payment_method_id: 'pm_card_chargeDeclined', coupon_code: 'WELCOME25' });
    expect(res.statusCode).toBe(402);
    const redemptions = await platform.db.query(`SELECT 1 FROM coupon_redemptions WHERE user_id = $1`, [user.id]);
    expect(redemptions).toHaveLength(0);
    const retry = await purchase(user, { package_id: 'basic_5h', payment_method_id: 'pm_card_visa', coupon_code: 'WELCOME25' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().discount_cents).toBe(1125);
  });

  it('lets exactly one of 20 concurrent purchases redeem a single-use coupon', async () => {
    await platform.db.query(`INSERT INTO coupons (code, description, percent_off, max_redemptions) VALUES ('ONLYONE', 'One lucky buyer', 40, 1)`);
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser(platform)));
    const results = await Promise.all(users.map((u) => purchase(u, { package_id: 'starter_1h', coupon_code: 'ONLYONE' })));
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(19);
    for (const r of results.filter((x) => x.statusCode === 422)) expect(r.json().code).toBe('coupon_exhausted');
    const [coupon] = await platform.db.query<{ redemptions_count: number }>(`SELECT redemptions_count FROM coupons WHERE code = 'ONLYONE'`);
    expect(coupon?.redemptions_count).toBe(1);
    const issued = await platform.db.query(`SELECT 1 FROM time_cards WHERE purchaser_user_id = ANY($1)`, [users.map((u) => u.id)]);
    expect(issued).toHaveLength(1);
  });

  it('charges the full price without a coupon', async () => {
    const user = await createUser(platform);
    const res = await purchase(user, { package_id: 'basic_5h' });
    expect(res.json()).toMatchObject({ amount_cents: 4499, discount_cents: 0 });
  });
});

describe('guessing coupon codes through purchases', () => {
  it('is rate-limited per user', async () => {
    const user = await createUser(platform);
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await purchase(user, { package_id: 'starter_1h', coupon_code: `GUESS${i}` })).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 422)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect(await cards(user)).toHaveLength(0);
  });
});
