import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { buildServiceApp } from '../src/services/service.js';
import { timeService } from '../src/services/time/index.js';
import { sweepOnce } from '../src/services/time/sweeper.js';
import { createGuideClient } from './support/guide-client.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;

// Each test gets a fresh platform and manual clock: one test's jump in time never reaches another.
beforeEach(async () => ({ platform, app } = await openGateway()));
afterEach(() => closeGateway(platform, app));

/** The same user with a token minted now (the manual clock can outrun the access-token TTL). */
async function refreshed(user: TestUser): Promise<TestUser> {
  const token = await platform.accessTokens.sign({ sub: user.id, email: user.email, role: 'user' });
  return { ...user, token, auth: { authorization: `Bearer ${token}` } };
}

async function buyAndActivate(user: TestUser, packageId = 'starter_1h') {
  const bought = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: packageId, payment_method_id: 'pm_card_visa' } });
  expect(bought.statusCode).toBe(200);
  await platform.payments.flush();
  const code = bought.json().activation_code as string;
  const activated = await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: code } });
  expect(activated.statusCode).toBe(200);
  return { purchase: bought.json(), activation: activated.json() };
}

describe('pricing', () => {
  it('lists the guide packages with totals and display prices', async () => {
    const res = await app.inject({ method: 'GET', url: '/time/pricing' });
    expect(res.statusCode).toBe(200);
    const tiers = res.json().pricing_tiers;
    expect(tiers[0]).toEqual({ id: 'starter_1h', name: 'Starter Pack', hours: 1, price_cents: 999, price_display: '$9.99', bonus_minutes: 0, total_minutes: 60, description: 'Perfect for trying out MindBot' });
    expect(tiers[1]).toMatchObject({ id: 'basic_5h', price_cents: 4499, price_display: '$44.99', bonus_minutes: 30, total_minutes: 330 });
    expect(tiers.length).toBeGreaterThan(2);
  });
});

describe('the Time service app', () => {
  it('serves the time routes on its own and documents them', async () => {
    const time = await buildServiceApp(platform, timeService);
    try {
      expect((await time.inject({ method: 'GET', url: '/time/pricing' })).statusCode).toBe(200);
      expect((await time.inject({ method: 'POST', url: '/webhooks/stripe' })).statusCode).toBe(404);
      const paths = Object.keys((await time.inject({ method: 'GET', url: '/openapi.json' })).json().paths);
      for (const p of ['/time/pricing', '/time/purchase', '/time-cards/purchase', '/time/activate', '/time/balance', '/time/session/start', '/time/session/end', '/time/sessions']) {
        expect(paths).toContain(p);
      }
    } finally {
      await time.close();
    }
  });
});

describe('purchase → activate → session', () => {
  it('credits a paid card once and bills the server-observed time', async () => {
    const user = await createUser(platform);
    const { purchase, activation } = await buyAndActivate(user, 'basic_5h');
    expect(purchase.activation_code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
    expect(purchase.payment_intent_id).toMatch(/^pi_/);
    expect(purchase.client_secret.startsWith(`${purchase.payment_intent_id}_secret_`)).toBe(true);
    expect(purchase.package).toEqual({ name: 'Basic Pack', hours: 5, bonus_minutes: 30, total_minutes: 330 });
    expect(activation.time_card).toMatchObject({ id: purchase.time_card_id, total_minutes: 330, remaining_minutes: 330 });

    const start = await app.inject({ method: 'POST', url: '/time/session/start', headers: user.auth, payload: { session_id: 's1', room_name: `room_${user.id}` } });
    expect(start.statusCode).toBe(200);
    expect(start.json()).toMatchObject({ session_id: 's1', remaining_balance_minutes: 330 });
    platform.clock.advance(900);
    const end = await app.inject({ method: 'POST', url: '/time/session/end', headers: user.auth, payload: { session_id: 's1', duration_seconds: 5 } });
    expect(end.statusCode).toBe(200);
    expect(end.json()).toEqual({ session_id: 's1', duration_seconds: 900, cost_minutes: 15, status: 'completed', remaining_balance: { total_minutes: 315, total_hours: 5.25, active_cards: 1 } });

    const balance = await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth });
    expect(balance.json().balance).toMatchObject({ total_minutes: 315, total_hours: 5.25, active_cards: 1 });
    expect(balance.json().time_cards[0]).toMatchObject({ id: purchase.time_card_id, status: 'active', remaining_minutes: 315 });
  });
});

describe('the guide examples, unchanged', () => {
  it('purchaseTimeCard (no payment method) then getUserTimeBalance', async () => {
    const user = await createUser(platform);
    const client = createGuideClient(app);
    client.localStorage.set('access_token', user.token);
    const result = await client.call<{ success: boolean; package: unknown }>('purchaseTimeCard', 'starter_1h');
    expect(result).toMatchObject({ success: true, package: { name: 'Starter Pack', hours: 1, bonus_minutes: 0, total_minutes: 60 } });
    expect(client.calls.confirmCardPayment?.[0]?.[0]).toMatch(/^pi_.+_secret_/);
    await platform.payments.flush();
    const [card] = await platform.db.query<{ activation_code: string; status: string }>(`SELECT activation_code, status FROM time_cards WHERE purchaser_user_id = $1`, [user.id]);
    expect(card?.status).toBe('paid');
    await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: card!.activation_code } });

    const data = await client.call<{ time_cards: unknown[] }>('getUserTimeBalance');
    expect(client.calls.updateBalanceDisplay).toEqual([[{ total_minutes: 60, total_hours: 1, active_cards: 1, next_expiration: expect.any(String) }]]);
    expect(client.calls.renderTimeCards?.[0]?.[0]).toEqual(data.time_cards);
    expect(data.time_cards).toHaveLength(1);
  });

  it('getUserTimeBalance surfaces the detail of a refusal', async () => {
    const client = createGuideClient(app);
    client.localStorage.set('access_token', 'not-a-token');
    await expect(client.call('getUserTimeBalance')).rejects.toThrow(/access token/);
  });
});

describe('purchase and activation rules', () => {
  it('refuses unknown packages and bad input without creating anything', async () => {
    const user = await createUser(platform);
    const unknown = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'free_lunch' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().detail).toMatch(/free_lunch/);
    const missing = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: {} });
    expect(missing.statusCode).toBe(422);
    const anonymous = await app.inject({ method: 'POST', url: '/time/purchase', payload: { package_id: 'starter_1h' } });
    expect(anonymous.statusCode).toBe(401);
    expect(await platform.db.query(`SELECT id FROM time_cards WHERE purchaser_user_id = $1`, [user.id])).toHaveLength(0);
  });

  it('a declined test card answers 402 and the card can never be activated', async () => {
    const user = await createUser(platform);
    const res = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_chargeDeclined' } });
    expect(res.statusCode).toBe(402);
    await platform.payments.flush();
    const [card] = await platform.db.query<{ activation_code: string; status: string }>(`SELECT activation_code, status FROM time_cards WHERE purchaser_user_id = $1`, [user.id]);
    expect(card?.status).toBe('failed');
    const act = await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: card!.activation_code } });
    expect(act.statusCode).toBe(409);
  });

  it('unknown → 404, used → 409 (unpaid: see time-webhooks); a gifted code works for another user once', async () => {
    const buyer = await createUser(platform);
    const friend = await createUser(platform);

    const unknown = await app.inject({ method: 'POST', url: '/time/activate', headers: buyer.auth, payload: { activation_code: 'AAAA-BBBB-CCCC' } });
    expect(unknown.statusCode).toBe(404);
    const malformed = await app.inject({ method: 'POST', url: '/time/activate', headers: buyer.auth, payload: { activation_code: 'nope' } });
    expect(malformed.statusCode).toBe(422);

    const bought = await app.inject({ method: 'POST', url: '/time/purchase', headers: buyer.auth, payload: { package_id: 'starter_1h' } });
    await platform.payments.flush();
    const code = (bought.json().activation_code as string).toLowerCase().replace(/-/g, ' ');
    const gift = await app.inject({ method: 'POST', url: '/time/activate', headers: friend.auth, payload: { activation_code: code } });
    expect(gift.statusCode).toBe(200);
    const expires = new Date(gift.json().time_card.expires_at).getTime();
    expect(expires - platform.clock.now().getTime()).toBe(365 * 86_400_000);
    const again = await app.inject({ method: 'POST', url: '/time/activate', headers: buyer.auth, payload: { activation_code: bought.json().activation_code } });
    expect(again.statusCode).toBe(409);
    const friendBalance = await app.inject({ method: 'GET', url: '/time/balance', headers: friend.auth });
    expect(friendBalance.json().balance.total_minutes).toBe(60);
    const buyerBalance = await app.inject({ method: 'GET', url: '/time/balance', headers: buyer.auth });
    expect(buyerBalance.json().balance.total_minutes).toBe(0);
  });

  it('rate-limits guessing activation codes', async () => {
    const user = await createUser(platform);
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: `AAAA-BBBB-CC${String(i).padStart(2, '2')}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const other = await createUser(platform);
    const fresh = await app.inject({ method: 'POST', url: '/time/activate', headers: other.auth, payload: { activation_code: 'AAAA-BBBB-CCCC' } });
    expect(fresh.statusCode).toBe(404);
  });

  it('Idempotency-Key on purchase: a replay returns the first response, another body 422', async () => {
    const user = await createUser(platform);
    const headers = { ...user.auth, 'idempotency-key': 'buy-1' };
    const first = await app.inject({ method: 'POST', url: '/time/purchase', headers, payload: { package_id: 'starter_1h' } });
    const replay = await app.inject({ method: 'POST', url: '/time/purchase', headers, payload: { package_id: 'starter_1h' } });
    expect(replay.statusCode).toBe(200);
    expect(replay.json()).toEqual(first.json());
    const other = await app.inject({ method: 'POST', url: '/time/purchase', headers, payload: { package_id: 'basic_5h' } });
    expect(other.statusCode).toBe(422);
    expect(await platform.db.query(`SELECT id FROM time_cards WHERE purchaser_user_id = $1`, [user.id])).toHaveLength(1);
    const someoneElse = await createUser(platform);
    const theirs = await app.inject({ method: 'POST', url: '/time/purchase', headers: { ...someoneElse.auth, 'idempotency-key': 'buy-1' }, payload: { package_id: 'basic_5h' } });
    expect(theirs.statusCode).toBe(200);
    await platform.payments.flush();
  });

  it('Idempotency-Key on activate: a retry gets the first answer; without a key a second activation is 409', async () => {
    const user = await createUser(platform);
    const bought = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } });
    await platform.payments.flush();
    const payload = { activation_code: bought.json().activation_code };
    const headers = { ...user.auth, 'idempotency-key': 'activate-1' };
    const first = await app.inject({ method: 'POST', url: '/time/activate', headers, payload });
    const retry = await app.inject({ method: 'POST', url: '/time/activate', headers, payload });
    expect(first.statusCode).toBe(200);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect((await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload })).statusCode).toBe(409);
    const balance = (await app.inject({ url: '/time/balance', headers: user.auth })).json().balance;
    expect(balance.total_minutes).toBe(60);
  });

  it('Idempotency-Key records are forgotten by the sweeper after a day', async () => {
    const user = await createUser(platform);
    const headers = { ...user.auth, 'idempotency-key': 'old-key' };
    await app.inject({ method: 'POST', url: '/time/purchase', headers, payload: { package_id: 'starter_1h' } });
    await platform.payments.flush();
    platform.clock.advance(25 * 3600);
    await sweepOnce(platform);
    const again = await app.inject({ method: 'POST', url: '/time/purchase', headers: { ...(await refreshed(user)).auth, 'idempotency-key': 'old-key' }, payload: { package_id: 'basic_5h' } });
    expect(again.statusCode).toBe(200);
    await platform.payments.flush();
  });

  it('concurrent requests with one Idempotency-Key create one card', async () => {
    const user = await createUser(platform);
    const headers = { ...user.auth, 'idempotency-key': 'race' };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => app.inject({ method: 'POST', url: '/time/purchase', headers, payload: { package_id: 'starter_1h' } })),
    );
    for (const r of results) expect([200, 409]).toContain(r.statusCode);
    const ok = results.filter((r) => r.statusCode === 200).map((r) => r.json().time_card_id);
    expect(new Set(ok).size).toBe(1);
    expect(await platform.db.query(`SELECT id FROM time_cards WHERE purchaser_user_id = $1`, [user.id])).toHaveLength(1);
    await platform.payments.flush();
  });
});

describe('session rules', () => {
  const start = (user: TestUser, sessionId: string, room = `room_${user.id}`) =>
    app.inject({ method: 'POST', url: '/time/session/start', headers: user.auth, payload: { session_id: sessionId, room_name: room } });
  const end = (user: TestUser, sessionId: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/time/session/end', headers: { ...user.auth, ...headers }, payload: { session_id: sessionId, ...extra } });

  it('402 on an empty balance, 409 on a second live session, 403 in another user\'s room', async () => {
    const broke = await createUser(platform);
    const res = await start(broke, 'x');
    expect(res.statusCode).toBe(402);
    expect(res.json().detail).toMatch(/balance/);

    const user = await createUser(platform);
    await buyAndActivate(user);
    expect((await start(user, 'a')).statusCode).toBe(200);
    const second = await start(user, 'b', `other_${user.id}`);
    expect(second.statusCode).toBe(409);
    const other = await createUser(platform);
    await buyAndActivate(other);
    expect((await start(other, 'c', `room_${user.id}`)).statusCode).toBe(403);
    expect((await end(other, 'a')).statusCode).toBe(404);
    platform.clock.advance(30);
    expect((await end(user, 'a')).json().cost_minutes).toBe(0.5);
  });

  it('bills at most the balance and never trusts the client duration', async () => {
    const user = await createUser(platform);
    await buyAndActivate(user);
    await start(user, 'long');
    platform.clock.advance(7200);
    const body = (await end(await refreshed(user), 'long', { duration_seconds: 1 })).json();
    expect(body).toMatchObject({ duration_seconds: 3600, cost_minutes: 60, remaining_balance: { total_minutes: 0, active_cards: 0 } });
    const [row] = await platform.db.query(`SELECT client_duration_seconds, billed_seconds, charged_seconds FROM time_sessions WHERE user_id = $1`, [user.id]);
    expect(row).toEqual({ client_duration_seconds: 1, billed_seconds: 3600, charged_seconds: 3600 });
  });

  it('end is idempotent: again, or 50 times at once, debits once and returns the same body', async () => {
    const user = await createUser(platform);
    await buyAndActivate(user);
    await start(user, 'once');
    platform.clock.advance(61);
    const results = await Promise.all(Array.from({ length: 50 }, () => end(user, 'once')));
    platform.clock.advance(100);
    const later = await end(user, 'once');
    const bodies = [...results, later].map((r) => r.json());
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
    expect(bodies[0]).toMatchObject({ duration_seconds: 61, cost_minutes: 1.02, remaining_balance: { total_minutes: 58.98 } });
    const debits = await platform.db.query(`SELECT seconds FROM ledger_entries WHERE user_id = $1 AND kind = 'session_debit'`, [user.id]);
    expect(debits).toEqual([{ seconds: -61 }]);
  });

  it('Idempotency-Key on end: another body under the same key is 422', async () => {
    const user = await createUser(platform);
    await buyAndActivate(user);
    await start(user, 'k1');
    platform.clock.advance(10);
    const first = await end(user, 'k1', { duration_seconds: 10 }, { 'idempotency-key': 'end-k1' });
    expect(first.statusCode).toBe(200);
    expect((await end(user, 'k1', { duration_seconds: 10 }, { 'idempotency-key': 'end-k1' })).json()).toEqual(first.json());
    expect((await end(user, 'k1', { duration_seconds: 99 }, { 'idempotency-key': 'end-k1' })).statusCode).toBe(422);
  });

  it('lists sessions newest first and validates the limit', async () => {
    const user = await createUser(platform);
    await buyAndActivate(user);
    for (const id of ['h1', 'h2', 'h3']) {
      await start(user, id);
      platform.clock.advance(60);
      await end(user, id);
    }
    const res = await app.inject({ method: 'GET', url: '/time/sessions?limit=2', headers: user.auth });
    expect(res.statusCode).toBe(200);
    const sessions = res.json().sessions;
    expect(sessions.map((s: { session_id: string }) => s.session_id)).toEqual(['h3', 'h2']);
    expect(sessions[0]).toMatchObject({ id: expect.stringMatching(/^sess_/), room_name: `room_${user.id}`, duration_seconds: 60, cost_minutes: 1, status: 'completed' });
    for (const bad of ['0', '201', 'many']) {
      expect((await app.inject({ method: 'GET', url: `/time/sessions?limit=${bad}`, headers: user.auth })).statusCode).toBe(422);
    }
    const all = await app.inject({ method: 'GET', url: '/time/sessions', headers: user.auth });
    expect(all.json().sessions).toHaveLength(3);
  });
});
