import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { giveBalance } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;
let app: App;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

/** What most fetch wrappers send for a POST without a body. */
const emptyJson = (auth: Record<string, string>) => ({ ...auth, 'content-type': 'application/json' });

describe('a POST with Content-Type: application/json and no body', () => {
  it('starts a persona session, rates it and asks for an upgrade like a POST with {}', async () => {
    const u = await createUser(platform);
    await giveBalance(platform, u.id, 3600);
    const started = await app.inject({ method: 'POST', url: '/personas/zen-master/session', headers: emptyJson(u.auth) });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toMatchObject({ session_started: true });
    const ended = await app.inject({ method: 'POST', url: '/time/session/end', headers: u.auth, payload: { session_id: started.json().session_id } });
    expect(ended.statusCode).toBe(200);

    const rated = await app.inject({ method: 'POST', url: '/personas/zen-master/rate?rating=5', headers: emptyJson(u.auth) });
    expect(rated.statusCode).toBe(200);

    const upgrade = await app.inject({ method: 'POST', url: '/user/upgrade?tier=premium', headers: emptyJson(u.auth) });
    expect(upgrade.statusCode).toBe(200);
    expect(upgrade.json()).toMatchObject({ upgrade_initiated: true, target_tier: 'premium' });
  });

  it('still refuses a body that is not JSON', async () => {
    const u = await createUser(platform);
    const res = await app.inject({ method: 'POST', url: '/user/upgrade?tier=premium', headers: emptyJson(u.auth), payload: '{"tier":' });
    expect(res.statusCode).toBe(400);
  });
});
