import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { buildServiceApp } from '../src/services/service.js';
import { timeService } from '../src/services/time/index.js';
import { getBalance } from '../src/services/time/ledger.js';
import { checkCoupon } from '../src/services/coupons/coupons.js';
import { ledgerSeconds } from './support/accounts.js';
import { buildAdminTestApp, buildGatewayApp, signInAdmin } from './support/admin.js';
import { EXPECTED, SCENARIO, seedScenario, type Seeded } from './support/admin-scenario.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;
let admin: App;
let gateway: App;
let routes: { method: string; url: string }[];
let seeded: Seeded;
let adminAuth: { authorization: string };
const deletedRooms: string[] = [];

beforeAll(async () => {
  const base = await createTestPlatform();
  // LiveKit's room service, observed: the admin's session end must close the room.
  platform = { ...base, rooms: { deleteRoom: async (name: string) => void deletedRooms.push(name) } } as TestPlatform;
  gateway = await buildGatewayApp(platform);
  ({ app: admin, routes } = await buildAdminTestApp(platform));
  seeded = await seedScenario(platform, gateway);
  adminAuth = (await signInAdmin(platform, admin)).auth;
});
afterAll(async () => {
  await platform?.payments.flush();
  await admin?.close();
  await gateway?.close();
  await platform?.db.close();
});

const call = (method: string, url: string, payload?: unknown, headers = adminAuth) =>
  admin.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

/** Every user's ledger agrees with their cards: sum(entries) = sum(remaining on active cards), never negative. */
async function ledgerHolds(userId: string): Promise<void> {
  const [row] = await platform.db.query<{ remaining: number | string }>(
    `SELECT COALESCE(SUM(remaining_seconds), 0) AS remaining FROM time_cards WHERE user_id = $1 AND status = 'active'`,
    [userId],
  );
  expect(await ledgerSeconds(platform, userId)).toBe(Number(row!.remaining));
  expect(Number(row!.remaining)).toBeGreaterThanOrEqual(0);
}

async function auditFor(objectType: string, objectId: string) {
  const res = await call('GET', `/admin/audit?object_type=${objectType}&object_id=${encodeURIComponent(objectId)}`);
  expect(res.statusCode).toBe(200);
  return res.json().items as { action: string; admin_id: string; reason: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
}

describe('who gets in', () => {
  it('every admin route and method answers 401 without a token and 403 to a signed-in non-admin', async () => {
    const adminRoutes = routes.filter((r) => r.url.startsWith('/admin') && r.method !== 'HEAD');
    expect(adminRoutes.length).toBeGreaterThanOrEqual(25);
    const user = await createUser(platform);
    for (const r of adminRoutes) {
      const url = r.url.replace(/:[a-z_]+/g, 'x');
      const anonymous = await admin.inject({ method: r.method as 'GET', url, payload: r.method === 'GET' ? undefined : {} });
      expect(anonymous.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(anonymous.json().code).toBe('unauthenticated');
      const plain = await admin.inject({ method: r.method as 'GET', url, headers: user.auth, payload: r.method === 'GET' ? undefined : {} });
      expect(plain.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(plain.json().code).toBe('admin_required');
    }
  });

  it('the first admin signs in on port 8002 through the Auth routes; a second ensure changes nothing', async () => {
    const me = await call('GET', '/admin/me');
    expect(me.json()).toMatchObject({ id: seeded.adminId, role: 'admin' });
    const audit = await auditFor('user', seeded.adminId);
    expect(audit.map((a) => a.action)).toEqual(['user.create_admin']);
  });

  it('promotes an existing account, audited as the platform', async () => {
    const { ensureFirstAdmin: ensureAdmin } = await import('../src/start/first-admin.js');
    const u = await createUser(platform, { email: 'promote-me@example.com' });
    expect(await ensureAdmin(platform.db, { email: 'PROMOTE-me@example.com', now: platform.clock.now(), reason: 'cli' })).toBe('promoted');
    expect(await ensureAdmin(platform.db, { email: 'promote-me@example.com', now: platform.clock.now(), reason: 'cli' })).toBe('unchanged');
    const [row] = await platform.db.query<{ role: string }>(`SELECT role FROM users WHERE id = $1`, [u.id]);
    expect(row!.role).toBe('admin');
    const [entry] = await auditFor('user', u.id);
    expect(entry).toMatchObject({ action: 'user.promote', admin_id: null, before: { role: 'user' }, after: { role: 'admin' } });
    await expect(ensureAdmin(platform.db, { email: 'nobody@example.com', now: platform.clock.now(), reason: 'cli' })).rejects.toThrow(/password/);
  });
});

describe('overview', () => {
  it('counts the seeded scenario exactly', async () => {
    const res = await call('GET', `/admin/overview?from=${SCENARIO.from}&to=${SCENARIO.to}`);
    expect(res.statusCode).toBe(200);
    const { totals, daily } = res.json();
    expect(totals).toMatchObject({
      users: EXPECTED.users,
      active_subscriptions: EXPECTED.active_subscriptions,
      revenue_cents: EXPECTED.revenue_cents,
      minutes: EXPECTED.minutes,
      sessions: EXPECTED.sessions,
    });
    expect(daily.map((d: { date: string }) => d.date)).toEqual(['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13']);
    expect(daily.map((d: { revenue_time_cards_cents: number }) => d.revenue_time_cards_cents)).toEqual([999, 0, 0, 0]);
    expect(daily.map((d: { seconds_consumed: number }) => d.seconds_consumed)).toEqual([0, 300, 0, 0]);
    expect(daily.map((d: { seconds_expired: number }) => d.seconds_expired)).toEqual([0, 0, 0, 300]);
    expect(daily.map((d: { users_total: number }) => d.users_total)).toEqual([3, 3, 3, 3]);
  });

  it('refuses a period backwards or longer than a year', async () => {
    expect((await call('GET', '/admin/overview?from=2025-03-13&to=2025-03-10')).statusCode).toBe(422);
    expect((await call('GET', '/admin/overview?from=2023-01-01&to=2025-03-10')).statusCode).toBe(422);
    expect((await call('GET', '/admin/overview?from=yesterday')).statusCode).toBe(422);
  });
});

describe('users', () => {
  it('finds users by part of the email or name, any case, and pages with a cursor', async () => {
    const byName = await call('GET', '/admin/users?q=aLiCe%20D');
    expect(byName.json().items.map((u: { email: string }) => u.email)).toEqual(['alice@example.com']);
    expect(byName.json().items[0].balance_seconds).toBe(EXPECTED.aliceSeconds);
    const literal = await call('GET', '/admin/users?q=%25');
    expect(literal.json().items).toEqual([]);
    const first = await call('GET', '/admin/users?limit=1');
    expect(first.json().items).toHaveLength(1);
    const second = await call('GET', `/admin/users?limit=1&cursor=${first.json().next_cursor}`);
    expect(second.json().items[0].id).not.toBe(first.json().items[0].id);
    expect((await call('GET', '/admin/users?cursor=garbage')).statusCode).toBe(422);
  });

  it('shows one user with balance, cards, sessions, payments, subscription and ad rewards', async () => {
    const res = await call('GET', `/admin/users/${seeded.bob.id}`);
    expect(res.statusCode).toBe(200);
    const bob = res.json();
    expect(bob).toMatchObject({ email: 'bob@example.com', status: 'active', balance: { total_seconds: EXPECTED.bobSeconds } });
    expect(bob.cards.map((c: { kind: string }) => c.kind).sort()).toEqual(['ad_reward', 'admin_grant']);
    expect(bob.subscription).toMatchObject({ status: 'active' });
    expect(bob.ad_rewards).toEqual([]); // the ad card was credited directly, not through an ad view
    const alice = (await call('GET', `/admin/users/${seeded.alice.id}`)).json();
    expect(alice.sessions).toHaveLength(1);
    expect(alice.payments.map((p: { status: string }) => p.status).sort()).toEqual(['refunded', 'succeeded']);
    expect((await call('GET', '/admin/users/usr_missing')).statusCode).toBe(404);
  });

  it('exports the filtered list as CSV', async () => {
    const res = await call('GET', '/admin/users.csv?q=example.com');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('id,email,full_name,role,status,balance_seconds,created_at,last_login,disabled_at');
    expect(lines.some((l) => l.includes('alice@example.com') && l.includes(String(EXPECTED.aliceSeconds)))).toBe(true);
    const one = await call('GET', '/admin/users.csv?q=bob');
    expect(one.body.trim().split('\n')).toHaveLength(2);
  });
});

describe('grants and voids', () => {
  it('a grant credits minutes at once, through the ledger, with its audit entry', async () => {
    const u = await createUser(platform);
    const res = await call('POST', `/admin/users/${u.id}/grants`, { minutes: 15, reason: 'outage credit' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ granted_seconds: 900, balance_seconds: 900 });
    expect((await getBalance(platform.db, u.id, platform.clock.now())).totalSeconds).toBe(900);
    await ledgerHolds(u.id);
    const [entry] = await auditFor('user', u.id);
    expect(entry).toMatchObject({ action: 'user.grant', reason: 'outage credit', before: { balance_seconds: 0 }, after: { balance_seconds: 900 } });
  });

  it('refuses negative, zero and reasonless grants, changing nothing', async () => {
    const u = await createUser(platform);
    for (const payload of [{ minutes: -5, reason: 'take back' }, { minutes: 0, reason: 'x' }, { minutes: 5 }, { minutes: 5, reason: '   ' }]) {
      const res = await call('POST', `/admin/users/${u.id}/grants`, payload);
      expect(res.statusCode).toBe(422);
    }
    expect(await ledgerSeconds(platform, u.id)).toBe(0);
    expect(await auditFor('user', u.id)).toEqual([]);
    expect((await call('POST', '/admin/users/usr_nobody/grants', { minutes: 5, reason: 'x' })).statusCode).toBe(404);
  });

  it('a grant replayed with its Idempotency-Key credits once', async () => {
    const u = await createUser(platform);
    const headers = { ...adminAuth, 'idempotency-key': 'grant-once' };
    const a = await admin.inject({ method: 'POST', url: `/admin/users/${u.id}/grants`, headers, payload: { minutes: 3, reason: 'once' } });
    const b = await admin.inject({ method: 'POST', url: `/admin/users/${u.id}/grants`, headers, payload: { minutes: 3, reason: 'once' } });
    expect(b.json()).toEqual(a.json());
    expect(await ledgerSeconds(platform, u.id)).toBe(180);
  });

  it('a void takes back only what is unspent, by a ledger entry, once', async () => {
    const u = await createUser(platform);
    const granted = (await call('POST', `/admin/users/${u.id}/grants`, { minutes: 10, reason: 'trial' })).json();
    const time = await buildServiceApp(platform, timeService);
    const started = await time.inject({ method: 'POST', url: '/time/session/start', headers: u.auth, payload: { session_id: 'void-1', room_name: 'void-room' } });
    expect(started.statusCode).toBe(200);
    platform.clock.advance(120);
    await time.inject({ method: 'POST', url: '/time/session/end', headers: u.auth, payload: { session_id: 'void-1' } });
    await time.close();

    const res = await call('POST', `/admin/cards/${granted.card_id}/void`, { reason: 'granted by mistake' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ voided_seconds: 480, balance_seconds: 0 });
    const entries = await platform.db.query<{ kind: string; seconds: number }>(
      `SELECT kind, seconds FROM ledger_entries WHERE card_id = $1 ORDER BY id`, [granted.card_id],
    );
    expect(entries).toEqual([{ kind: 'admin_grant', seconds: 600 }, { kind: 'session_debit', seconds: -120 }, { kind: 'admin_void', seconds: -480 }]);
    await ledgerHolds(u.id);
    const again = await call('POST', `/admin/cards/${granted.card_id}/void`, { reason: 'again' });
    expect(again.statusCode).toBe(409);
    const [entry] = await auditFor('card', granted.card_id);
    expect(entry).toMatchObject({ action: 'card.void', before: { remaining_seconds: 480 }, after: { remaining_seconds: 0, voided_seconds: 480 } });
    expect((await call('POST', '/admin/cards/tcrd_missing/void', { reason: 'x' })).statusCode).toBe(404);
  });
});

describe('disable, enable, session end', () => {
  it('a disabled user\'s existing access and refresh tokens are refused at once and their live session ends', async () => {
    const reg = await gateway.inject({ method: 'POST', url: '/auth/register', payload: { email: 'carol@example.com', password: 'carol password', full_name: 'Carol' } });
    const { access_token, refresh_token } = reg.json();
    const auth = { authorization: `Bearer ${access_token}` };
    const carol = (await gateway.inject({ method: 'GET', url: '/auth/me', headers: auth })).json();
    await call('POST', `/admin/users/${carol.id}/grants`, { minutes: 30, reason: 'test' });
    expect((await gateway.inject({ method: 'POST', url: '/time/session/start', headers: auth, payload: { session_id: 'carol-1', room_name: 'carol-room' } })).statusCode).toBe(200);
    platform.clock.advance(60);

    const res = await call('POST', `/admin/users/${carol.id}/disable`, { reason: 'abuse report' });
    expect(res.statusCode).toBe(200);
    expect(res.json().ended_sessions).toHaveLength(1);
    expect((await gateway.inject({ method: 'GET', url: '/time/balance', headers: auth })).statusCode).toBe(401);
    expect((await gateway.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token } })).statusCode).toBe(401);
    expect((await gateway.inject({ method: 'POST', url: '/auth/login', payload: { email: 'carol@example.com', password: 'carol password' } })).statusCode).toBe(401);
    const [session] = await platform.db.query<{ status: string; end_reason: string; charged_seconds: number }>(
      `SELECT status, end_reason, charged_seconds FROM time_sessions WHERE user_id = $1`, [carol.id],
    );
    expect(session).toEqual({ status: 'completed', end_reason: 'account_disabled', charged_seconds: 60 });
    expect(deletedRooms).toContain('carol-room');
    await ledgerHolds(carol.id);
    expect((await auditFor('user', carol.id)).map((a) => a.action)).toEqual(['user.disable', 'user.grant']);
    expect((await call('POST', `/admin/users/${carol.id}/disable`, { reason: 'again' })).statusCode).toBe(409);

    expect((await call('POST', `/admin/users/${carol.id}/enable`, { reason: 'appeal accepted' })).statusCode).toBe(200);
    // The old tokens stay revoked; signing in again works.
    platform.clock.advance(1);
    expect((await gateway.inject({ method: 'GET', url: '/time/balance', headers: auth })).statusCode).toBe(401);
    expect((await gateway.inject({ method: 'POST', url: '/auth/login', payload: { email: 'carol@example.com', password: 'carol password' } })).statusCode).toBe(200);
  });

  it('a room LiveKit fails to close stays queued for the sweeper; the session is ended all the same', async () => {
    const failing = { ...platform, rooms: { deleteRoom: async () => { throw new Error('livekit down'); } } } as TestPlatform;
    const { app: down } = await buildAdminTestApp(failing);
    const u = await createUser(platform);
    await call('POST', `/admin/users/${u.id}/grants`, { minutes: 10, reason: 'test' });
    await gateway.inject({ method: 'POST', url: '/time/session/start', headers: u.auth, payload: { session_id: 'down-1', room_name: 'down-room' } });
    const [s] = (await call('GET', `/admin/sessions?status=active&user_id=${u.id}`)).json().items;
    const res = await down.inject({ method: 'POST', url: `/admin/sessions/${s.id}/end`, headers: adminAuth, payload: { reason: 'stuck' } });
    await down.close();
    expect(res.json()).toMatchObject({ status: 'completed', room_closed: false });
    expect(await platform.db.query(`SELECT room_name FROM room_deletions WHERE room_name = 'down-room'`)).toEqual([{ room_name: 'down-room' }]);
  });

  it('an admin cannot disable their own account', async () => {
    expect((await call('POST', `/admin/users/${seeded.adminId}/disable`, { reason: 'oops' })).statusCode).toBe(409);
  });

  it('ending a live session bills it up to now and deletes its LiveKit room', async () => {
    const u = await createUser(platform);
    await call('POST', `/admin/users/${u.id}/grants`, { minutes: 10, reason: 'test' });
    await gateway.inject({ method: 'POST', url: '/time/session/start', headers: u.auth, payload: { session_id: 'end-1', room_name: 'end-room' } });
    platform.clock.advance(90);
    const live = (await call('GET', `/admin/sessions?status=active&user_id=${u.id}`)).json().items;
    expect(live).toHaveLength(1);
    const res = await call('POST', `/admin/sessions/${live[0].id}/end`, { reason: 'stuck call' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ session_id: live[0].id, status: 'completed', charged_seconds: 90, room_closed: true });
    expect(deletedRooms).toContain('end-room');
    expect((await getBalance(platform.db, u.id, platform.clock.now())).totalSeconds).toBe(510);
    expect((await call('POST', `/admin/sessions/${live[0].id}/end`, { reason: 'again' })).statusCode).toBe(409);
    const [entry] = await auditFor('session', live[0].id);
    expect(entry).toMatchObject({ action: 'session.end', after: { status: 'completed', charged_seconds: 90, end_reason: 'admin' } });
    expect(await platform.db.query(`SELECT 1 FROM room_deletions WHERE room_name = 'end-room'`)).toEqual([]);
    // What the voice agent reports shows with the session; its transcript does not.
    await platform.db.query(
      `INSERT INTO agent_reports (time_session_id, ended_reason, usage, latency, transcript, provider_cost_micros, created_at)
       VALUES ($1, 'admin', '{"llm_tokens": 1200}', '{"p50_ms": 640}', '[{"text": "private words"}]', 4200, $2)`,
      [live[0].id, platform.clock.now()],
    );
    const listed = (await call('GET', `/admin/sessions?user_id=${u.id}`)).json().items[0];
    expect(listed).toMatchObject({ status: 'completed', end_reason: 'admin', charged_seconds: 90 });
    expect(listed.extra).toMatchObject({ usage: { llm_tokens: 1200 }, latency: { p50_ms: 640 }, provider_cost_micros: 4200, agent_ended_reason: 'admin' });
    expect(JSON.stringify(listed)).not.toContain('private words');
    const csv = await call('GET', `/admin/sessions.csv?user_id=${u.id}`);
    expect(csv.body.trim().split('\n')).toHaveLength(2);
  });
});

describe('money', () => {
  it('a refund goes through the provider and is applied when its charge.refunded arrives', async () => {
    const payments = (await call('GET', `/admin/payments?user_id=${seeded.alice.id}&status=succeeded`)).json().items;
    expect(payments).toHaveLength(1);
    const tooMuch = await call('POST', `/admin/payments/${payments[0].id}/refund`, { amount_cents: 501, reason: 'x' });
    expect(tooMuch.statusCode).toBe(422);
    const res = await call('POST', `/admin/payments/${payments[0].id}/refund`, { reason: 'the rest' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ amount_cents: 500, status: 'requested' });
    await platform.payments.flush();
    const [card] = await platform.db.query<{ refunded_cents: number; status: string }>(`SELECT refunded_cents, status FROM time_cards WHERE id = $1`, [payments[0].reference]);
    expect(card).toEqual({ refunded_cents: 999, status: 'refunded' });
    expect((await getBalance(platform.db, seeded.alice.id, platform.clock.now())).totalSeconds).toBe(0);
    await ledgerHolds(seeded.alice.id);
    expect((await call('POST', `/admin/payments/${payments[0].id}/refund`, { reason: 'more' })).statusCode).toBe(409);
    const refunds = (await call('GET', `/admin/payments?user_id=${seeded.alice.id}&status=refunded`)).json().items;
    expect(refunds.map((p: { amount_cents: number }) => p.amount_cents).sort()).toEqual([499, 500]);
    const audit = await auditFor('payment', payments[0].id);
    expect(audit.map((a) => a.after.amount_cents)).toEqual([500, 499]);
    const csv = await call('GET', `/admin/payments.csv?user_id=${seeded.alice.id}&status=refunded`);
    expect(csv.body.trim().split('\n')).toHaveLength(3);
    expect((await call('POST', '/admin/payments/999999/refund', { reason: 'x' })).statusCode).toBe(404);
  });

  it('creates, lists and deactivates coupons', async () => {
    const created = await call('POST', '/admin/coupons', { code: 'spring10', description: '10% off', percent_off: 10, max_redemptions: 100, reason: 'campaign' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ code: 'SPRING10', percent_off: 10, active: true, redemptions_count: 0 });
    expect((await call('POST', '/admin/coupons', { code: 'SPRING10', description: 'dup', percent_off: 5, reason: 'x' })).statusCode).toBe(409);
    expect((await call('POST', '/admin/coupons', { code: 'BOTH1', description: 'x', percent_off: 5, amount_off_cents: 100, reason: 'x' })).statusCode).toBe(422);
    expect((await call('POST', '/admin/coupons', { code: 'NONE1', description: 'x', reason: 'x' })).statusCode).toBe(422);
    const user = await createUser(platform);
    expect((await checkCoupon(platform.db, 'SPRING10', user.id, platform.clock.now())).valid).toBe(true);

    const off = await call('POST', '/admin/coupons/spring10/deactivate', { reason: 'campaign over' });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect((await checkCoupon(platform.db, 'SPRING10', user.id, platform.clock.now())).valid).toBe(false);
    expect((await call('POST', '/admin/coupons/SPRING10/deactivate', { reason: 'again' })).statusCode).toBe(409);
    const list = (await call('GET', '/admin/coupons?active=false')).json().items;
    expect(list.map((c: { code: string }) => c.code)).toContain('SPRING10');
    expect((await auditFor('coupon', 'SPRING10')).map((a) => a.action)).toEqual(['coupon.deactivate', 'coupon.create']);
  });

  it('changes a pricing tier, which the public pricing then shows', async () => {
    const res = await call('PATCH', '/admin/pricing-tiers/starter_1h', { price_cents: 1099, reason: 'new prices' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: 'starter_1h', price_cents: 1099 });
    const pricing = (await gateway.inject({ method: 'GET', url: '/time/pricing' })).json().pricing_tiers;
    expect(pricing.find((t: { id: string }) => t.id === 'starter_1h').price_cents).toBe(1099);
    const [entry] = await auditFor('pricing_tier', 'starter_1h');
    expect(entry).toMatchObject({ before: { price_cents: 999 }, after: { price_cents: 1099 } });
    expect((await call('PATCH', '/admin/pricing-tiers/starter_1h', { price_cents: 10, reason: 'x' })).statusCode).toBe(422);
    expect((await call('PATCH', '/admin/pricing-tiers/starter_1h', { reason: 'nothing' })).statusCode).toBe(422);
    expect((await call('PATCH', '/admin/pricing-tiers/nope', { active: false, reason: 'x' })).statusCode).toBe(404);
  });
});

describe('personas', () => {
  it('lists usage, minutes, rating and revenue, and takes one down from the catalogue', async () => {
    const list = (await call('GET', '/admin/personas?kind=catalogue&limit=100')).json().items;
    expect(list.length).toBe(15);
    expect(list[0]).toMatchObject({ is_custom: false, published: true, revenue_cents: expect.any(Number), minutes: expect.any(Number) });
    const res = await call('PATCH', '/admin/personas/pixel', { published: false, reason: 'under review' });
    expect(res.statusCode).toBe(200);
    const catalogue = (await gateway.inject({ method: 'GET', url: '/personas?limit=100' })).json().personas;
    expect(catalogue.map((p: { slug: string }) => p.slug)).not.toContain('pixel');
    expect((await gateway.inject({ method: 'GET', url: '/personas/pixel' })).statusCode).toBe(404);
    expect((await call('GET', '/admin/personas?published=false')).json().items.map((p: { slug: string }) => p.slug)).toEqual(['pixel']);
    await call('PATCH', '/admin/personas/pixel', { published: true, reason: 'review passed' });
    expect((await gateway.inject({ method: 'GET', url: '/personas/pixel' })).statusCode).toBe(200);
    expect((await auditFor('persona', 'pixel')).map((a) => a.action)).toEqual(['persona.update', 'persona.update']);
    expect((await call('PATCH', '/admin/personas/nope', { published: false, reason: 'x' })).statusCode).toBe(404);
  });

  it('revenue is the paid value of the seconds spent with a persona', async () => {
    const u = await createUser(platform);
    const bought = await gateway.inject({ method: 'POST', url: '/time/purchase', headers: u.auth, payload: { package_id: 'basic_5h', payment_method_id: 'pm_card_visa' } });
    await platform.payments.flush();
    await gateway.inject({ method: 'POST', url: '/time/activate', headers: u.auth, payload: { activation_code: bought.json().activation_code } });
    await platform.db.query(`UPDATE time_sessions SET persona_slug = NULL WHERE persona_slug = 'zen-master'`);
    const started = await gateway.inject({ method: 'POST', url: '/personas/zen-master/session', headers: u.auth, payload: {} });
    expect(started.statusCode).toBe(200);
    platform.clock.advance(1980); // 33 minutes: a tenth of the 330-minute card
    const sid = started.json().session_id;
    await gateway.inject({ method: 'POST', url: '/time/session/end', headers: u.auth, payload: { session_id: sid } });
    const zen = (await call('GET', '/admin/personas?limit=100')).json().items.find((p: { slug: string }) => p.slug === 'zen-master');
    const [charged] = await platform.db.query<{ c: number }>(`SELECT charged_seconds AS c FROM time_sessions WHERE session_id = $1`, [sid]);
    expect(zen.revenue_cents).toBe(Math.round((charged!.c * 4499) / (330 * 60)));
    expect(zen.sessions).toBeGreaterThanOrEqual(1);
  });
});

describe('webhooks, system, audit', () => {
  it('lists received events and replays a failed simulated delivery once', async () => {
    const stripe = (await call('GET', '/admin/webhooks?source=stripe&limit=200')).json().items;
    expect(stripe.map((e: { type: string }) => e.type)).toEqual(expect.arrayContaining(['payment_intent.succeeded', 'charge.refunded']));
    expect(stripe.every((e: { status: string }) => e.status === 'processed')).toBe(true);
    // A signed event the handler recorded without applying it shows as rejected, with why.
    await platform.db.query(
      `INSERT INTO stripe_events (id, type, created_at, received_at, rejected_reason) VALUES ('evt_rejectedtest1', 'payment_intent.succeeded', $1, $1, $2)`,
      [platform.clock.now(), 'amount_received 0 is not the 999 usd ordered'],
    );
    const refused = (await call('GET', '/admin/webhooks?status=rejected')).json().items;
    expect(refused).toEqual([expect.objectContaining({ id: 'evt_rejectedtest1', source: 'stripe', status: 'rejected', rejected_reason: 'amount_received 0 is not the 999 usd ordered' })]);
    expect((await call('GET', '/admin/webhooks?status=processed&source=stripe&limit=200')).json().items.map((e: { id: string }) => e.id)).not.toContain('evt_rejectedtest1');
    const id = 'evt_replaytest1';
    const payload = JSON.stringify({ id, object: 'event', api_version: '2025-01-27.acacia', created: Math.floor(Date.now() / 1000), livemode: false, type: 'customer.created', data: { object: { id: 'cus_x', object: 'customer' } } });
    await platform.db.query(
      `INSERT INTO simulated_webhook_events (id, type, payload, created_at, failed_rounds, next_attempt_at) VALUES ($1, 'customer.created', $2, $3, 2, $3)`,
      [id, payload, platform.clock.now()],
    );
    const failed = (await call('GET', '/admin/webhooks?status=failed')).json().items;
    expect(failed.map((e: { id: string }) => e.id)).toEqual([id]);
    const res = await call('POST', `/admin/webhooks/${id}/replay`, { reason: 'handler fixed' });
    expect(res.json()).toEqual({ id, status: 'processed' });
    expect((await call('POST', `/admin/webhooks/${id}/replay`, { reason: 'again' })).statusCode).toBe(409);
    expect((await call('GET', `/admin/webhooks?status=failed`)).json().items).toEqual([]);
    expect((await call('POST', '/admin/webhooks/evt_none/replay', { reason: 'x' })).statusCode).toBe(404);
  });

  it('reports each service\'s health, readiness and request rates from its metrics, and the database', async () => {
    await admin.listen({ port: 0, host: '127.0.0.1' });
    const port = (admin.server.address() as { port: number }).port;
    const { app: probing } = await buildAdminTestApp(platform, {
      targets: async () => [{ name: 'admin', url: `http://127.0.0.1:${port}` }, { name: 'nowhere', url: 'http://127.0.0.1:1' }],
    });
    const res = await probing.inject({ method: 'GET', url: '/admin/system', headers: adminAuth });
    await probing.close();
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.services[0]).toMatchObject({ name: 'admin', health: 'ok', ready: 'ready' });
    expect(body.services[0].metrics.requests_total).toBeGreaterThan(0);
    expect(body.services[1]).toMatchObject({ name: 'nowhere', health: 'unreachable', metrics: null });
    expect(body.database).toEqual({ kind: platform.db.kind, status: 'ok' });
    expect(body.migrations.map((m: { version: string }) => m.version)).toContain('0030_admin');
  });

  it('the audit log is newest first, filterable by admin, and append-only', async () => {
    const all = (await call('GET', `/admin/audit?admin_id=${seeded.adminId}&limit=200`)).json().items;
    expect(all.length).toBeGreaterThan(5);
    const times = all.map((a: { created_at: string }) => a.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(all.every((a: { admin_id: string }) => a.admin_id === seeded.adminId)).toBe(true);
    await expect(platform.db.query(`UPDATE admin_audit SET reason = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(platform.db.query(`DELETE FROM admin_audit`)).rejects.toThrow(/append-only/);
  });
});
