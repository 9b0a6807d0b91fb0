import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway({ REQUIRE_VERIFIED_EMAIL_FOR_PURCHASE: 'true' })));
afterAll(() => closeGateway(platform, app));

describe('REQUIRE_VERIFIED_EMAIL_FOR_PURCHASE', () => {
  it('refuses purchases and subscriptions with 403 email_unverified until the email is confirmed', async () => {
    const email = `buyer_${Date.now()}@example.com`;
    const reg = await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password: 'first password', full_name: 'Bea Buyer' } });
    const auth = { authorization: `Bearer ${reg.json().access_token}` };
    const buy = () => app.inject({ method: 'POST', url: '/time/purchase', headers: auth, payload: { package_id: 'starter_1h' } });
    const subscribe = () => app.inject({ method: 'POST', url: '/subscriptions', headers: auth, payload: { plan_id: 'premium_monthly' } });
    for (const res of [await buy(), await subscribe()]) {
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('email_unverified');
    }
    const [subs] = await platform.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM user_subscriptions`);
    expect(Number(subs!.n)).toBe(0);

    const link = platform.mailer.messages().filter((m) => m.to === email).at(-1)!.link!;
    const token = new URL(link).searchParams.get('token');
    expect((await app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token } })).statusCode).toBe(200);
    expect((await buy()).statusCode).toBe(200);
    expect((await subscribe()).statusCode).toBe(200);
  });
});
