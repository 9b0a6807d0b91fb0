import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const post = (user: TestUser, url: string, payload?: object) => app.inject({ method: 'POST', url, headers: user.auth, payload });
const current = async (user: TestUser) => (await app.inject({ url: '/subscriptions/current', headers: user.auth })).json();
const DAY = 86400;
/** Moves the clock on and signs the user in again (access tokens last an hour). */
async function later(user: TestUser, seconds: number): Promise<void> {
  platform.clock.advance(seconds);
  user.auth.authorization = `Bearer ${await platform.accessTokens.sign({ sub: user.id, email: user.email, role: 'user' })}`;
}

async function subscriber(): Promise<TestUser> {
  const user = await createUser(platform);
  expect((await post(user, '/subscriptions', { plan_id: 'premium_monthly' })).statusCode).toBe(200);
  await platform.payments.flush();
  expect(await current(user)).toMatchObject({ status: 'active', plan: 'premium_monthly' });
  return user;
}

describe('changing plan', () => {
  it('monthly → yearly is prorated: the unused days are credited, the difference charged, the period restarts', async () => {
    const user = await subscriber();
    const before = new Date((await current(user)).current_period_end).getTime();
    const start = platform.clock.now().getTime();
    await later(user, 10 * DAY);
    const res = await post(user, '/subscriptions/change-plan', { plan_id: 'premium_yearly' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const credit = Math.round((1999 * (before - platform.clock.now().getTime())) / (before - start));
    expect(body).toMatchObject({ plan: 'premium_yearly', interval: 'year', proration_amount_cents: 19999 - credit, currency: 'usd' });
    await platform.payments.flush();
    const sub = await current(user);
    expect(sub).toMatchObject({ status: 'active', plan: 'premium_yearly', cancel_at_period_end: false, amount_cents: 19999 });
    expect(new Date(sub.current_period_end).getTime()).toBeGreaterThan(platform.clock.now().getTime() + 360 * DAY * 1000);
    const payments = (await app.inject({ url: '/payments', headers: user.auth })).json().payments as { kind: string; amount_cents: number }[];
    expect(payments.filter((p) => p.kind === 'subscription').map((p) => p.amount_cents).sort((a, b) => a - b)).toEqual([1999, 19999 - credit].sort((a, b) => a - b));

    // And back: the period becomes a month from now.
    await later(user, DAY);
    const back = await post(user, '/subscriptions/change-plan', { plan_id: 'premium_monthly' });
    expect(back.statusCode).toBe(200);
    await platform.payments.flush();
    const monthly = await current(user);
    expect(monthly.plan).toBe('premium_monthly');
    expect(new Date(monthly.current_period_end).getTime()).toBeLessThan(platform.clock.now().getTime() + 32 * DAY * 1000);
  });

  it('refuses the same plan, an unknown plan and a user without a subscription', async () => {
    const user = await subscriber();
    expect((await post(user, '/subscriptions/change-plan', { plan_id: 'premium_monthly' })).statusCode).toBe(409);
    expect((await post(user, '/subscriptions/change-plan', { plan_id: 'platinum' })).statusCode).toBe(404);
    const none = await createUser(platform);
    expect((await post(none, '/subscriptions/change-plan', { plan_id: 'premium_yearly' })).statusCode).toBe(404);
    expect((await post(none, '/subscriptions/resume')).statusCode).toBe(404);
  });
});

describe('resuming', () => {
  it('undoes a cancellation at period end; a subscription that is not cancelled has nothing to resume', async () => {
    const user = await subscriber();
    expect((await post(user, '/subscriptions/resume')).statusCode).toBe(409);
    expect((await post(user, '/subscriptions/cancel')).statusCode).toBe(200);
    await platform.payments.flush();
    expect((await current(user)).cancel_at_period_end).toBe(true);
    platform.clock.advance(1);
    const res = await post(user, '/subscriptions/resume');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ resumed: true, status: 'active' });
    await platform.payments.flush();
    expect(await current(user)).toMatchObject({ status: 'active', cancel_at_period_end: false });
  });
});
