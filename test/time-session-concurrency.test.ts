import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { giveBalance } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

// Many session starts of one user at once (distinct session ids and rooms): each is
// answered with a refusal or the one session, never a deadlock or a 5xx, and other users
// go on buying and reading their balance meanwhile.
let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const start = (user: TestUser, n: number) =>
  app.inject({ method: 'POST', url: '/time/session/start', headers: user.auth, payload: { session_id: `c${n}`, room_name: `room_${user.id}_${n}` } });

async function otherUserMeanwhile(): Promise<number[]> {
  const other = await createUser(platform);
  await giveBalance(platform, other.id, 600);
  const answers = await Promise.all([
    app.inject({ method: 'GET', url: '/time/balance', headers: other.auth }),
    app.inject({ method: 'POST', url: '/time/purchase', headers: other.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } }),
    app.inject({ method: 'GET', url: '/time/balance', headers: other.auth }),
  ]);
  return answers.map((r) => r.statusCode);
}

describe('concurrent session starts of one user', () => {
  it('with no balance: every one is refused with 402, and other users are served', async () => {
    const broke = await createUser(platform);
    const [starts, others] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, (_, n) => start(broke, n))),
      otherUserMeanwhile(),
    ]);
    expect(starts.map((r) => r.statusCode)).toEqual(Array(40).fill(402));
    expect(starts.every((r) => r.json().code === 'insufficient_balance')).toBe(true);
    expect(others).toEqual([200, 200, 200]);
    const [rows] = await platform.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM time_sessions WHERE user_id = $1`, [broke.id]);
    expect(rows?.n).toBe(0);
  });

  it('with a balance: exactly one starts, the others are refused with 409, in every round', async () => {
    for (let round = 0; round < 8; round++) {
      const user = await createUser(platform);
      await giveBalance(platform, user.id, 600);
      const [starts, others] = await Promise.all([
        Promise.all(Array.from({ length: round < 4 ? 2 : 30 }, (_, n) => start(user, n))),
        otherUserMeanwhile(),
      ]);
      const codes = starts.map((r) => r.statusCode).sort();
      expect(codes.filter((c) => c === 200)).toHaveLength(1);
      expect(codes.filter((c) => c !== 200).every((c) => c === 409)).toBe(true);
      expect(others).toEqual([200, 200, 200]);
      const [live] = await platform.db.query<{ n: number }>(`SELECT COUNT(*)::int AS n FROM time_sessions WHERE user_id = $1 AND status = 'active'`, [user.id]);
      expect(live?.n).toBe(1);
    }
  });
});
