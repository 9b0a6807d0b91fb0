import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { giveBalance, ledgerSeconds, makePremium } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

// The object-level matrix: user B, signed in and premium, with user A's ids on every route
// that takes one. Each is refused (403/404) and A's things are as they were.
let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

async function premium(): Promise<TestUser> {
  const u = await createUser(platform);
  await makePremium(platform, u.id);
  await giveBalance(platform, u.id, 3600);
  return u;
}

describe("user B with user A's ids", () => {
  it('is refused on every route that takes one, and A keeps everything', async () => {
    const a = await premium();
    const b = await premium();
    const created = await app.inject({ method: 'POST', url: '/personas/custom', headers: a.auth, payload: { name: 'Private Tutor', summary: 'A private persona', persona: 'Patient and kind', purpose: 'Teach algebra', category: 'education' } });
    expect(created.statusCode).toBe(200);
    const slug = created.json().slug as string;
    const started = await app.inject({ method: 'POST', url: '/time/session/start', headers: a.auth, payload: { session_id: 'a-private', room_name: `room_${a.id}` } });
    expect(started.statusCode).toBe(200);
    const [session] = await platform.db.query<{ id: string }>(`SELECT id FROM time_sessions WHERE user_id = $1`, [a.id]);
    const bought = (await app.inject({ method: 'POST', url: '/time/purchase', headers: a.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } })).json();
    await platform.payments.flush();

    const attempts: [string, string, Record<string, unknown>?][] = [
      ['GET', `/personas/${slug}`],
      ['GET', `/personas/${slug}/preferences`],
      ['PUT', `/personas/${slug}/preferences`, { preferences: {} }],
      ['GET', `/personas/${slug}/memory`],
      ['DELETE', `/personas/${slug}/memory`],
      ['POST', `/personas/${slug}/session`, {}],
      ['POST', `/personas/${slug}/rate?rating=1`],
      ['POST', '/time/session/end', { session_id: 'a-private' }],
      ['POST', '/time/session/start', { session_id: 'b-in-a-room', room_name: `room_${a.id}` }],
      ['GET', `/admin/users/${a.id}`],
      ['GET', `/admin/cards/${bought.time_card_id}`],
      ['GET', `/admin/sessions/${session!.id}`],
      ['GET', `/agent/sessions/${session!.id}`],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await app.inject({ method: method as 'GET', url, headers: b.auth, payload });
      expect([401, 403, 404], `${method} ${url} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
      expect(res.json()).toMatchObject({ detail: expect.any(String), code: expect.any(String) });
    }

    const [state] = await platform.db.query<{ status: string }>(`SELECT status FROM time_sessions WHERE id = $1`, [session!.id]);
    expect(state?.status).toBe('active');
    expect(await platform.db.query(`SELECT 1 FROM personas WHERE slug = $1`, [slug])).toHaveLength(1);
    expect(await ledgerSeconds(platform, a.id)).toBe(3600);
    expect(await platform.db.query(`SELECT 1 FROM time_sessions WHERE user_id = $1`, [b.id])).toHaveLength(0);
  });
});
