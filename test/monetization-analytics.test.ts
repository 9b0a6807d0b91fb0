import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { startTimeSession } from '../src/services/time/session-billing.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';
import { conversationStarts } from './support/calls.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

async function buyAndActivate(user: TestUser, packageId: string): Promise<void> {
  const bought = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: packageId, payment_method_id: 'pm_card_visa' } });
  expect(bought.statusCode).toBe(200);
  await platform.payments.flush();
  const activated = await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: bought.json().activation_code } });
  expect(activated.statusCode).toBe(200);
}

async function talk(user: TestUser, sessionId: string, seconds: number, persona?: string): Promise<void> {
  await startTimeSession(platform, {
    userId: user.id,
    sessionId,
    roomName: `room_${user.id}_${sessionId}`,
    ...(persona ? { persona: { slug: persona, costMultiplier: 1, sessionLimitMinutes: null } } : {}),
  });
  await conversationStarts(platform, user.id, sessionId);
  platform.clock.advance(seconds);
  const end = await app.inject({ method: 'POST', url: '/time/session/end', headers: user.auth, payload: { session_id: sessionId, duration_seconds: seconds } });
  expect(end.statusCode).toBe(200);
}

describe('GET /user/analytics', () => {
  it('computes every figure from the ledger, sessions and payments', async () => {
    const user = await createUser(platform, { fullName: 'Ada Lovelace' });
    const empty = await app.inject({ method: 'GET', url: '/user/analytics', headers: user.auth });
    expect(empty.json()).toMatchObject({
      user_id: user.id,
      email: user.email,
      full_name: 'Ada Lovelace',
      last_login: null,
      balance: { total_minutes: 0, total_hours: 0, active_cards: 0, next_expiration: null },
      usage: { total_sessions: 0, completed_sessions: 0, total_minutes_used: 0, total_hours_used: 0 },
      payments: { total_spent_cents: 0, total_spent_display: '$0.00', transaction_count: 0 },
    });

    await buyAndActivate(user, 'basic_5h');
    await buyAndActivate(user, 'starter_1h');
    await talk(user, 'a1', 600, 'professor-oak');
    await talk(user, 'a2', 300, 'zen-master');
    await talk(user, 'a3', 90, 'professor-oak');
    await startTimeSession(platform, { userId: user.id, sessionId: 'live', roomName: `room_${user.id}_live` });

    const res = await app.inject({ method: 'GET', url: '/user/analytics', headers: user.auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.usage).toEqual({ total_sessions: 4, completed_sessions: 3, total_minutes_used: 16.5, total_hours_used: 0.28 });
    expect(body.payments).toEqual({ total_spent_cents: 5498, total_spent_display: '$54.98', transaction_count: 2 });
    expect(body.balance).toMatchObject({ total_minutes: 390 - 16.5, active_cards: 2 });
    expect(body.tier).toBe('free');

    const summary = await app.inject({ method: 'GET', url: '/user/subscription', headers: user.auth });
    expect(summary.json().usage).toEqual({ sessions_this_month: 4, minutes_used: 16.5, personas_accessed: 2 });
  });

  it('needs a signed-in user', async () => {
    expect((await app.inject({ method: 'GET', url: '/user/analytics' })).statusCode).toBe(401);
  });
});
