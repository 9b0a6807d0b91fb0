import type { App } from '../../src/http/app.js';
import { ensureFirstAdmin as ensureAdmin } from '../../src/start/first-admin.js';
import { grantMinutes, type Actor } from '../../src/services/admin/user-actions.js';
import { refundPayment } from '../../src/services/admin/money.js';
import { grantSeconds } from '../../src/services/time/ledger.js';
import { sweepOnce } from '../../src/services/time/sweeper.js';
import { makePremium } from './accounts.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from './admin.js';
import type { TestPlatform } from './platform.js';

/**
 * Four days of business, driven through the real routes and admin actions, whose overview is
 * known in advance (EXPECTED). Day 1: the admin and two users sign up; Alice buys the $9.99
 * hour and activates it. Day 2: Bob is granted 10 minutes; Alice talks 5 minutes. Day 3: $4.99 of
 * Alice's payment is refunded; Bob earns a 5-minute ad reward that expires within the hour.
 * Day 4: the sweep records that expiry; Bob subscribes.
 */
export const SCENARIO = { from: '2025-03-10', to: '2025-03-13', start: '2025-03-10T10:00:00.000Z' };

export const EXPECTED = {
  users: { total: 3, new: 3 },
  active_subscriptions: 1,
  revenue_cents: { time_cards: 999, subscriptions: 0, refunds: 499, net: 500 },
  minutes: { sold: 60, consumed: 5, expired: 5, granted: 10, rewarded: 5 },
  sessions: { total: 1, live_now: 0 },
  /** Alice's balance at the end: 3600 bought − 300 talked − 1799 (the refunded share, rounded up). */
  aliceSeconds: 1501,
  bobSeconds: 600,
};

export interface Seeded {
  adminId: string;
  alice: { id: string; email: string };
  bob: { id: string; email: string };
  paymentId: string;
}

const DAY = 86_400;

async function register(gateway: App, email: string, fullName: string) {
  const res = await gateway.inject({ method: 'POST', url: '/auth/register', payload: { email, password: 'a good password', full_name: fullName } });
  if (res.statusCode !== 201) throw new Error(`register ${email}: ${res.statusCode} ${res.body}`);
  const me = await gateway.inject({ method: 'GET', url: '/auth/me', headers: { authorization: `Bearer ${res.json().access_token}` } });
  return { id: me.json().id as string, email, auth: { authorization: `Bearer ${res.json().access_token as string}` } };
}

export async function seedScenario(platform: TestPlatform, gateway: App): Promise<Seeded> {
  platform.clock.set(SCENARIO.start);
  await ensureAdmin(platform.db, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, fullName: 'Ada Admin', now: platform.clock.now(), reason: 'test scenario' });
  const [admin] = await platform.db.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [ADMIN_EMAIL]);
  const actor = (reason: string): Actor => ({ adminId: admin!.id, reason });

  // Day 1
  const alice = await register(gateway, 'alice@example.com', 'Alice Doe');
  const bob = await register(gateway, 'bob@example.com', 'Bob Stone');
  const bought = await gateway.inject({ method: 'POST', url: '/time/purchase', headers: alice.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } });
  if (bought.statusCode !== 200) throw new Error(`purchase: ${bought.body}`);
  await platform.payments.flush();
  const activated = await gateway.inject({ method: 'POST', url: '/time/activate', headers: alice.auth, payload: { activation_code: bought.json().activation_code } });
  if (activated.statusCode !== 200) throw new Error(`activate: ${activated.body}`);

  // Day 2 (tokens are minted again: the manual clock outruns their lifetime)
  platform.clock.advance(DAY);
  await grantMinutes(platform, actor('welcome gift'), bob.id, 10);
  const aliceAuth = { authorization: `Bearer ${await platform.accessTokens.sign({ sub: alice.id, email: alice.email, role: 'user' })}` };
  const started = await gateway.inject({ method: 'POST', url: '/time/session/start', headers: aliceAuth, payload: { session_id: 'scenario-1', room_name: 'scenario-room-1' } });
  if (started.statusCode !== 200) throw new Error(`session start: ${started.body}`);
  platform.clock.advance(300);
  const ended = await gateway.inject({ method: 'POST', url: '/time/session/end', headers: aliceAuth, payload: { session_id: 'scenario-1' } });
  if (ended.statusCode !== 200) throw new Error(`session end: ${ended.body}`);

  // Day 3
  platform.clock.set(new Date(Date.parse(SCENARIO.start) + 2 * DAY * 1000));
  const [payment] = await platform.db.query<{ id: string }>(`SELECT id::text AS id FROM payment_history WHERE user_id = $1 AND status = 'succeeded'`, [alice.id]);
  await refundPayment(platform, actor('customer asked'), payment!.id, 499);
  await platform.payments.flush();
  const now = platform.clock.now();
  await platform.db.transaction((tx) =>
    grantSeconds(tx, { userId: bob.id, seconds: 300, kind: 'ad_reward', reference: 'scenario-ad', now, expiresAt: new Date(now.getTime() + 3600_000) }),
  );

  // Day 4
  platform.clock.advance(DAY);
  await sweepOnce(platform);
  await makePremium(platform, bob.id);
  return { adminId: admin!.id, alice, bob, paymentId: payment!.id };
}
