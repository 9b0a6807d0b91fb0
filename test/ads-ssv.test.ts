import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { SimulatedAdNetwork } from '../src/integrations/admob/ssv.js';
import { ledgerSeconds } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

// Ad rewards need the ad network's signed server-side callback (AdMob SSV). Here the
// network's verifier keys are configured, as in production: a client's report alone earns nothing.
const network = new SimulatedAdNetwork();
const impostor = new SimulatedAdNetwork();
let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway({ ADMOB_SSV_KEYS: network.verifierKeysJson() })));
afterAll(() => closeGateway(platform, app));

let n = 0;
const callback = (user: TestUser, adId: string, signer = network) =>
  signer.callbackQuery({ transactionId: `tx${++n}_${Date.now()}`, userId: user.id, customData: adId, timestampMs: Date.now() });
const ssv = (query: string) => app.inject({ method: 'GET', url: `/ads/ssv?${query}` });
const viewed = (user: TestUser, adId: string, rewardType = 'discount') =>
  app.inject({ method: 'POST', url: '/ads/viewed', headers: user.auth, payload: { ad_id: adId, view_duration: 30, reward_type: rewardType } });

describe('AdMob server-side verification', () => {
  it('a reported view without the network\'s callback earns nothing', async () => {
    const user = await createUser(platform);
    const res = await viewed(user, 'video_ad_1', 'time');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ reward_earned: false, reason: 'not_verified', message: expect.any(String) });
    expect(await ledgerSeconds(platform, user.id)).toBe(0);
  });

  it('refuses callbacks that are unsigned, tampered with or signed by another key', async () => {
    const user = await createUser(platform);
    const other = await createUser(platform);
    const good = callback(user, 'video_ad_2');
    const refused = [
      good.slice(0, good.indexOf('&signature=')),
      good.replace(`user_id=${user.id}`, `user_id=${other.id}`),
      good.replace('reward_amount=1', 'reward_amount=100'),
      good.replace(/key_id=\d+$/, 'key_id=999'),
      callback(user, 'video_ad_2', impostor),
      '',
    ];
    for (const q of refused) {
      const res = await ssv(q);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code).toBe('ad_callback_invalid');
    }
    expect((await viewed(other, 'video_ad_2')).json().reward_earned).toBe(false);
    expect((await viewed(user, 'video_ad_2')).json().reward_earned).toBe(false);
  });

  it('a verified callback lets one report of that view earn its reward, in the guide\'s shape', async () => {
    const user = await createUser(platform);
    const q = callback(user, 'video_ad_3');
    expect((await ssv(q)).json()).toEqual({ status: 'verified' });
    expect((await ssv(q)).json()).toEqual({ status: 'duplicate' });
    const res = await viewed(user, 'video_ad_3');
    expect(res.json()).toMatchObject({ reward_earned: true, cost_reduction_percentage: 50, next_session_discount: 0.5, message: expect.stringContaining('50% off') });
    expect((await viewed(user, 'video_ad_3')).json()).toMatchObject({ reward_earned: false, reason: 'already_rewarded' });
    expect((await viewed(user, 'video_ad_4')).json()).toMatchObject({ reward_earned: false, reason: 'not_verified' });

    expect((await ssv(callback(user, 'video_ad_5'))).statusCode).toBe(200);
    const time = await viewed(user, 'video_ad_5', 'time');
    expect(time.json()).toMatchObject({ reward_earned: true, time_reward: 5 });
    expect(await ledgerSeconds(platform, user.id)).toBe(300);
  });
});
