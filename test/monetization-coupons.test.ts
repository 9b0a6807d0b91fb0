import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import type { AppError } from '../src/http/errors.js';
import { redeemCoupon } from '../src/services/coupons/coupons.js';
import { makePremium } from './support/accounts.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const validate = (user: TestUser, url: string) => app.inject({ method: 'GET', url, headers: user.auth });

async function addCoupon(code: string, cols: Record<string, unknown>) {
  const keys = ['code', 'description', ...Object.keys(cols)];
  const values = [code, `${code} coupon`, ...Object.values(cols)];
  await platform.db.query(
    `INSERT INTO coupons (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})`,
    values,
  );
}

describe('GET /coupons/validate/{code}', () => {
  it('answers as the guide shows for WELCOME25, with the discount on an amount', async () => {
    const user = await createUser(platform);
    const res = await validate(user, '/coupons/validate/WELCOME25?amount=4499');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      valid: true,
      percent_off: 25,
      description: '25% off for new users',
      message: 'Coupon applied: 25% off!',
      discount_cents: 1125,
      final_amount_cents: 3374,
    });
    expect((await validate(user, '/coupons/validate/welcome25')).json().valid).toBe(true);
  });

  it('explains why a code does not apply', async () => {
    const user = await createUser(platform);
    await addCoupon('OLDNEWS', { percent_off: 10, valid_until: new Date(platform.clock.now().getTime() - 1000) });
    await addCoupon('GONE', { amount_off_cents: 500, max_redemptions: 1, redemptions_count: 1 });
    expect((await validate(user, '/coupons/validate/NOPE123')).json()).toMatchObject({ valid: false, reason: 'not_found' });
    expect((await validate(user, '/coupons/validate/OLDNEWS')).json()).toMatchObject({ valid: false, reason: 'expired' });
    expect((await validate(user, '/coupons/validate/GONE')).json()).toMatchObject({ valid: false, reason: 'exhausted' });

    const customer = await createUser(platform);
    await makePremium(platform, customer.id);
    const res = await validate(customer, '/coupons/validate/WELCOME25');
    expect(res.json()).toMatchObject({ valid: false, reason: 'new_users_only' });
    expect(res.json().message).toMatch(/new customers/);
  });

  it('caps an amount-off discount at the amount', async () => {
    const user = await createUser(platform);
    await addCoupon('FIVEOFF', { amount_off_cents: 500 });
    const res = await validate(user, '/coupons/validate/FIVEOFF?amount=300');
    expect(res.json()).toMatchObject({ valid: true, amount_off_cents: 500, discount_cents: 300, final_amount_cents: 0 });
  });

  it('rejects a bad amount with 422', async () => {
    const user = await createUser(platform);
    const res = await validate(user, '/coupons/validate/WELCOME25?amount=-5');
    expect(res.statusCode).toBe(422);
  });

  it('rate-limits guessing codes', async () => {
    const user = await createUser(platform);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await validate(user, `/coupons/validate/GUESS${i}`)).statusCode);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const other = await createUser(platform);
    expect((await validate(other, '/coupons/validate/GUESS0')).statusCode).toBe(200);
  });
});

describe('redeemCoupon', () => {
  it('redeems a single-use coupon exactly once under 20 concurrent purchases', async () => {
    await addCoupon('SINGLE', { percent_off: 50, max_redemptions: 1 });
    const users = await Promise.all(Array.from({ length: 20 }, () => createUser(platform)));
    const results = await Promise.allSettled(
      users.map((u, i) =>
        platform.db.transaction((tx) =>
          redeemCoupon(tx, { code: 'SINGLE', userId: u.id, purpose: 'time_card', reference: `ref-${i}`, amountCents: 999, now: platform.clock.now() }),
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect((r.reason as AppError).extra.reason).toBe('coupon_exhausted');
    }
    const [row] = await platform.db.query<{ redemptions_count: number }>(`SELECT redemptions_count FROM coupons WHERE code = 'SINGLE'`);
    expect(row?.redemptions_count).toBe(1);
    const redemptions = await platform.db.query(`SELECT 1 FROM coupon_redemptions WHERE coupon_code = 'SINGLE'`);
    expect(redemptions).toHaveLength(1);
  });

  it('lets one user redeem a coupon once', async () => {
    await addCoupon('ONCEEACH', { percent_off: 10 });
    const user = await createUser(platform);
    const redeem = (ref: string) =>
      platform.db.transaction((tx) =>
        redeemCoupon(tx, { code: 'ONCEEACH', userId: user.id, purpose: 'time_card', reference: ref, amountCents: 1000, now: platform.clock.now() }),
      );
    const results = await Promise.allSettled([redeem('a'), redeem('b'), redeem('c')]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.find((r) => r.status === 'fulfilled')).toMatchObject({ value: { discountCents: 100 } });
  });
});

describe('the coupons tables', () => {
  it('refuse impossible coupons and over-redemption', async () => {
    await expect(addCoupon('BOTHOFF', { percent_off: 10, amount_off_cents: 100 })).rejects.toThrow();
    await expect(addCoupon('NEITHER', {})).rejects.toThrow();
    await expect(addCoupon('TOOMUCH', { percent_off: 101 })).rejects.toThrow();
    await expect(addCoupon('lowercase', { percent_off: 5 })).rejects.toThrow();
    await addCoupon('CAPPED', { percent_off: 5, max_redemptions: 1, redemptions_count: 1 });
    await expect(platform.db.query(`UPDATE coupons SET redemptions_count = 2 WHERE code = 'CAPPED'`)).rejects.toThrow();
  });
});
