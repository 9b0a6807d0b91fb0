import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { createGuideClient } from './support/guide-client.js';
import type { TestPlatform } from './support/platform.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

async function checkStoredTokens(store: Map<string, string>, fullName: string) {
  const access = store.get('access_token')!;
  const me = await app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${access}` } });
  expect(me.statusCode).toBe(200);
  const jwks = (await app.inject({ url: '/.well-known/jwks.json' })).json() as { keys: JWK[] };
  const { payload } = await jwtVerify(access, createLocalJWKSet(jwks), {
    issuer: platform.config.JWT_ISSUER,
    audience: platform.config.JWT_AUDIENCE,
    currentDate: platform.clock.now(),
  });
  expect(payload.sub).toBe(me.json().id);
  const livekit = await new TokenVerifier(platform.secrets.livekitApiKey, platform.secrets.livekitApiSecret).verify(
    store.get('livekit_token')!,
  );
  expect(livekit.sub).toBe(me.json().id);
  expect(livekit.name).toBe(fullName);
  expect(livekit.video?.roomJoin).toBeFalsy();
  expect(store.get('livekit_url')).toBe(platform.config.LIVEKIT_URL);
  return { me: me.json(), access };
}

describe("the API guide's registerUser and loginUser, run unchanged", () => {
  it('register, then login, store tokens the server accepts', async () => {
    const email = `guide_${Date.now()}@example.com`;
    const registering = createGuideClient(app);
    await registering.call('registerUser', email, 'guide-password', 'Guide Reader');
    expect(registering.errors).toEqual([]);
    const registered = await checkStoredTokens(registering.localStorage, 'Guide Reader');
    expect(registered.me).toMatchObject({ email, full_name: 'Guide Reader', last_login: null });

    platform.clock.advance(5);
    const loggingIn = createGuideClient(app);
    const data = await loggingIn.call<{ refresh_token: string }>('loginUser', email, 'guide-password');
    const loggedIn = await checkStoredTokens(loggingIn.localStorage, 'Guide Reader');
    expect(loggedIn.me.id).toBe(registered.me.id);
    expect(loggedIn.me.last_login).toBe(platform.clock.now().toISOString());
    expect(data.refresh_token).toMatch(/^rt_/);

    // The stored access token works for the room-token call the voice examples make.
    const room = await app.inject({
      method: 'POST',
      url: '/auth/token',
      headers: { authorization: `Bearer ${loggedIn.access}` },
      payload: { room_name: `guide_room_${Date.now()}`, participant_name: 'Guide Reader' },
    });
    expect(room.statusCode).toBe(200);
  });

  it('a wrong password makes loginUser throw the server detail and store nothing', async () => {
    const email = `guide_wrong_${Date.now()}@example.com`;
    await createGuideClient(app).call('registerUser', email, 'guide-password', 'G');
    const client = createGuideClient(app);
    await expect(client.call('loginUser', email, 'not-the-password')).rejects.toThrow('Incorrect email or password.');
    expect(client.localStorage.size).toBe(0);
  });

  it('a taken email makes registerUser throw the 409 detail', async () => {
    const email = `guide_dup_${Date.now()}@example.com`;
    await createGuideClient(app).call('registerUser', email, 'guide-password', 'G');
    await expect(createGuideClient(app).call('registerUser', email, 'guide-password', 'G')).rejects.toThrow(/already exists/);
  });
});
