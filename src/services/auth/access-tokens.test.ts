import { createLocalJWKSet, exportSPKI, importJWK, jwtVerify, SignJWT, UnsecuredJWT, type JWK, type KeyObject } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../test/support/users.js';
import { createTestPlatform, type TestPlatform } from '../../../test/support/platform.js';
import { ManualClock } from '../../clock.js';
import type { App } from '../../http/app.js';
import { generateSigningJwk } from '../../secrets.js';
import { buildGatewayApp } from '../../start/gateway.js';
import { createAccessTokens, publicPart } from './access-tokens.js';

let platform: TestPlatform;
let app: App;
let iss: string;
let aud: string;

beforeAll(async () => {
  platform = await createTestPlatform();
  app = await buildGatewayApp(platform);
  ({ JWT_ISSUER: iss, JWT_AUDIENCE: aud } = platform.config);
});
afterAll(async () => {
  await app.close();
  await platform.db.close();
});

const me = (token: string, target: App = app) => target.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } });
const signingJwk = () => platform.secrets.jwtPrivateJwks[0]!;

/** A token signed with the real key, with the given claims changed. */
async function forged(userId: string, change: { iss?: string; aud?: string; nbf?: number; exp?: number } = {}) {
  const key = (await importJWK(signingJwk(), 'EdDSA')) as KeyObject;
  const now = Math.floor(platform.clock.now().getTime() / 1000);
  return new SignJWT({ email: 'x@example.com', role: 'admin' })
    .setProtectedHeader({ alg: 'EdDSA', kid: signingJwk().kid! })
    .setSubject(userId)
    .setIssuer(change.iss ?? iss)
    .setAudience(change.aud ?? aud)
    .setIssuedAt(now)
    .setNotBefore(change.nbf ?? now)
    .setExpirationTime(change.exp ?? now + 600)
    .sign(key);
}

describe('access tokens', () => {
  it('a well-formed token made here is accepted (the forging helper is faithful)', async () => {
    const u = await createUser(platform);
    expect((await me(await forged(u.id))).statusCode).toBe(200);
  });

  it('verifies with jose against the JWKS the Auth service publishes', async () => {
    const u = await createUser(platform);
    const res = await app.inject({ url: '/.well-known/jwks.json' });
    expect(res.statusCode).toBe(200);
    const jwks = res.json() as { keys: JWK[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const k of jwks.keys) expect(k.d).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(u.token, createLocalJWKSet(jwks), {
      issuer: iss,
      audience: aud,
      currentDate: platform.clock.now(),
    });
    expect(payload.sub).toBe(u.id);
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', kid: signingJwk().kid });
  });

  it('refuses alg:none', async () => {
    const u = await createUser(platform);
    const token = new UnsecuredJWT({ email: u.email, role: 'admin' }).setSubject(u.id).setIssuer(iss).setAudience(aud).setIssuedAt().setNotBefore('0s').setExpirationTime('10m').encode();
    const res = await me(token);
    expect(res.statusCode).toBe(401);
    expect(res.json().detail).toMatch(/Invalid or expired/);
  });

  it('refuses an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const u = await createUser(platform);
    const pub = publicPart(signingJwk());
    const now = Math.floor(platform.clock.now().getTime() / 1000);
    const pem = await exportSPKI((await importJWK(pub, 'EdDSA')) as KeyObject);
    for (const secret of [new TextEncoder().encode(pem), Buffer.from(pub.x!, 'base64url')]) {
      const token = await new SignJWT({ email: u.email, role: 'user' })
        .setProtectedHeader({ alg: 'HS256', kid: pub.kid! })
        .setSubject(u.id).setIssuer(iss).setAudience(aud).setIssuedAt(now).setNotBefore(now).setExpirationTime(now + 600)
        .sign(secret);
      expect((await me(token)).statusCode).toBe(401);
    }
  });

  it('refuses a bad signature', async () => {
    const u = await createUser(platform);
    const [h, p, s] = u.token.split('.') as [string, string, string];
    const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
    expect((await me(`${h}.${p}.${flipped}`)).statusCode).toBe(401);
    // A payload edited to another user under the original signature.
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), sub: 'usr_someone' })).toString('base64url');
    expect((await me(`${h}.${other}.${s}`)).statusCode).toBe(401);
  });

  it('refuses an expired token', async () => {
    const u = await createUser(platform);
    expect((await me(u.token)).statusCode).toBe(200);
    platform.clock.advance(platform.accessTokens.ttlSeconds + 1);
    expect((await me(u.token)).statusCode).toBe(401);
  });

  it('refuses a token that is not yet valid', async () => {
    const u = await createUser(platform);
    const now = Math.floor(platform.clock.now().getTime() / 1000);
    expect((await me(await forged(u.id, { nbf: now + 3600, exp: now + 7200 }))).statusCode).toBe(401);
  });

  it('refuses a wrong issuer and a wrong audience', async () => {
    const u = await createUser(platform);
    expect((await me(await forged(u.id, { iss: 'someone-else' }))).statusCode).toBe(401);
    expect((await me(await forged(u.id, { aud: 'another-api' }))).statusCode).toBe(401);
  });

  it("refuses a token signed by a key that is no longer in JWT_PRIVATE_JWKS; during rotation both verify", async () => {
    const u = await createUser(platform);
    const oldKey = signingJwk();
    const newKey = await generateSigningJwk();
    const opts = { issuer: iss, audience: aud, ttlMinutes: 60, clock: new ManualClock(platform.clock.now()) };
    const rotating = { ...platform, accessTokens: await createAccessTokens({ ...opts, privateJwks: [newKey, oldKey] }) };
    const retired = { ...platform, accessTokens: await createAccessTokens({ ...opts, privateJwks: [newKey] }) };
    const rotatingApp = await buildGatewayApp(rotating);
    const retiredApp = await buildGatewayApp(retired);
    try {
      expect((await me(u.token, rotatingApp)).statusCode).toBe(200);
      const jwks = (await rotatingApp.inject({ url: '/.well-known/jwks.json' })).json() as { keys: JWK[] };
      expect(jwks.keys.map((k) => k.kid)).toEqual([newKey.kid, oldKey.kid]);
      expect((await me(u.token, retiredApp)).statusCode).toBe(401);
      const fresh = await retired.accessTokens.sign({ sub: u.id, email: u.email, role: 'user' });
      expect((await me(fresh, retiredApp)).statusCode).toBe(200);
      expect((await retiredApp.inject({ url: '/.well-known/jwks.json' })).json().keys.map((k: JWK) => k.kid)).toEqual([newKey.kid]);
    } finally {
      await rotatingApp.close();
      await retiredApp.close();
    }
  });
});
