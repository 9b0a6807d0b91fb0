import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../../test/support/users.js';
import type { TestPlatform } from '../../../test/support/platform.js';
import type { App } from '../../http/app.js';
import { closeGateway, openGateway } from '../../../test/support/gateway.js';

let platform: TestPlatform;
let app: App;
let ip = 0;
// Each test signs in from its own address so the per-IP limit never couples tests.
const from = () => `10.1.0.${++ip}`;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

let n = 0;
const email = () => `acct${++n}_${Date.now()}@example.com`;

async function register(body: Record<string, unknown>) {
  return app.inject({ method: 'POST', url: '/auth/register', payload: body, remoteAddress: from() });
}
const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

describe('register', () => {
  it('creates an account and answers with the login body', async () => {
    const res = await register({ email: email(), password: 'correct horse', full_name: 'Ada Lovelace' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ token_type: 'bearer', livekit_url: platform.config.LIVEKIT_URL, expires_in: 3600 });
    expect(body.refresh_token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const me = await app.inject({ url: '/auth/me', headers: bearer(body.access_token) });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ full_name: 'Ada Lovelace', last_login: null, date_of_birth: null });
  });

  it('refuses a second account for the same email in any letter case with 409', async () => {
    const e = email();
    expect((await register({ email: e, password: 'password-1', full_name: 'A' })).statusCode).toBe(201);
    const again = await register({ email: e.toUpperCase(), password: 'password-2', full_name: 'B' });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toMatch(/already exists/);
    const [row] = await platform.db.query<{ c: number }>(`SELECT count(*)::int AS c FROM users WHERE lower(email) = lower($1)`, [e]);
    expect(row!.c).toBe(1);
  });

  it('stores an argon2id hash with the OWASP parameters, never the password', async () => {
    const e = email();
    await register({ email: e, password: 'a very secret phrase', full_name: 'C' });
    const [row] = await platform.db.query<{ password_hash: string }>(`SELECT password_hash FROM users WHERE email = $1`, [e]);
    expect(row!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row!.password_hash).not.toContain('secret');
  });

  it.each([
    ['a 7-character password', { password: 'short12' }, 'password'],
    ['a 129-character password', { password: 'x'.repeat(129) }, 'password'],
    ['a malformed email', { email: 'not-an-email' }, 'email'],
    ['a blank name', { full_name: '   ' }, 'full_name'],
    ['a missing name', { full_name: undefined }, 'full_name'],
  ])('refuses %s with 422 naming the field', async (_what, override, field) => {
    const res = await register({ email: email(), password: 'password-ok', full_name: 'D', ...override });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain(field);
  });

  it('accepts a 128-character password and does not truncate it', async () => {
    const e = email();
    const password = `${'p'.repeat(127)}q`;
    expect((await register({ email: e, password, full_name: 'E' })).statusCode).toBe(201);
    const login = (pw: string) => app.inject({ method: 'POST', url: '/auth/login', payload: { email: e, password: pw }, remoteAddress: from() });
    expect((await login(password)).statusCode).toBe(200);
    expect((await login(`${'p'.repeat(127)}r`)).statusCode).toBe(401);
  });

  it('records a valid date of birth and refuses unreal or future ones', async () => {
    const ok = await register({ email: email(), password: 'password-ok', full_name: 'F', date_of_birth: '2000-02-29' });
    expect(ok.statusCode).toBe(201);
    const me = await app.inject({ url: '/auth/me', headers: bearer(ok.json().access_token) });
    expect(me.json().date_of_birth).toBe('2000-02-29');
    const tomorrow = new Date(platform.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    for (const bad of ['2001-02-29', '1999-13-01', '1990-1-1', tomorrow, '1899-12-31']) {
      const e = email();
      const res = await register({ email: e, password: 'password-ok', full_name: 'G', date_of_birth: bad });
      expect(res.statusCode, bad).toBe(422);
      expect(res.json().detail).toContain('date_of_birth');
      expect(await platform.db.query(`SELECT 1 FROM users WHERE email = $1`, [e])).toHaveLength(0);
    }
  });

  it('ignores unknown fields and never stores them (role cannot be self-assigned)', async () => {
    const e = email();
    const res = await register({ email: e, password: 'password-ok', full_name: 'H', role: 'admin', id: 'usr_chosen' });
    expect(res.statusCode).toBe(201);
    const [row] = await platform.db.query<{ id: string; role: string }>(`SELECT id, role FROM users WHERE email = $1`, [e]);
    expect(row!.role).toBe('user');
    expect(row!.id).not.toBe('usr_chosen');
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const res = await register({ email: email(), password: 'password-ok', full_name: 'I', padding: 'x'.repeat(70 * 1024) });
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toMatch(/too large/);
  });
});

describe('login', () => {
  it('signs in with any letter case of the email and sets last_login', async () => {
    const e = email();
    await register({ email: e, password: 'password-ok', full_name: 'J' });
    platform.clock.advance(60);
    const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: e.toUpperCase(), password: 'password-ok' }, remoteAddress: from() });
    expect(res.statusCode).toBe(200);
    const me = await app.inject({ url: '/auth/me', headers: bearer(res.json().access_token) });
    expect(me.json().last_login).toBe(platform.clock.now().toISOString());
  });

  it('answers an unknown email exactly as a wrong password', async () => {
    const e = email();
    await register({ email: e, password: 'password-ok', full_name: 'K' });
    const wrong = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: e, password: 'password-no' }, remoteAddress: from() });
    const unknown = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: email(), password: 'password-no' }, remoteAddress: from() });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('gives a LiveKit token naming the user that joins no room', async () => {
    const e = email();
    const reg = await register({ email: e, password: 'password-ok', full_name: 'Grace Hopper' });
    const claims = await new TokenVerifier(platform.secrets.livekitApiKey, platform.secrets.livekitApiSecret).verify(reg.json().livekit_token);
    const me = await app.inject({ url: '/auth/me', headers: bearer(reg.json().access_token) });
    expect(claims.sub).toBe(me.json().id);
    expect(claims.name).toBe('Grace Hopper');
    expect(claims.video?.roomJoin).toBeFalsy();
    expect(claims.video?.room).toBeUndefined();
  });
});

describe('PATCH /auth/me', () => {
  it('changes the name and records the date of birth once', async () => {
    const u = await createUser(platform);
    const patch = (payload: object) => app.inject({ method: 'PATCH', url: '/auth/me', headers: u.auth, payload });
    const named = await patch({ full_name: 'New Name' });
    expect(named.statusCode).toBe(200);
    expect(named.json()).toMatchObject({ full_name: 'New Name', date_of_birth: null });
    expect((await patch({ date_of_birth: '1990-05-17' })).json().date_of_birth).toBe('1990-05-17');
    expect((await patch({ date_of_birth: '1990-05-17' })).statusCode).toBe(200);
    const change = await patch({ date_of_birth: '1980-01-01' });
    expect(change.statusCode).toBe(409);
    expect((await app.inject({ url: '/auth/me', headers: u.auth })).json().date_of_birth).toBe('1990-05-17');
  });

  it('refuses an empty change, a bad date and a missing token', async () => {
    const u = await createUser(platform);
    expect((await app.inject({ method: 'PATCH', url: '/auth/me', headers: u.auth, payload: {} })).statusCode).toBe(422);
    expect((await app.inject({ method: 'PATCH', url: '/auth/me', headers: u.auth, payload: { date_of_birth: '2023-02-30' } })).statusCode).toBe(422);
    expect((await app.inject({ method: 'PATCH', url: '/auth/me', payload: { full_name: 'X' } })).statusCode).toBe(401);
  });
});

describe('POST /auth/token', () => {
  const verifier = () => new TokenVerifier(platform.secrets.livekitApiKey, platform.secrets.livekitApiSecret);

  it('grants joining only the named room and claims it for the user', async () => {
    const u = await createUser(platform);
    const room = `voice_session_${u.id}`;
    const res = await app.inject({ method: 'POST', url: '/auth/token', headers: u.auth, payload: { room_name: room, participant_name: 'John Doe' } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ room_name: room, livekit_url: platform.config.LIVEKIT_URL });
    expect(typeof body.session_id).toBe('number');
    const claims = await verifier().verify(body.livekit_token);
    expect(claims).toMatchObject({ sub: u.id, name: 'John Doe' });
    expect(claims.video).toMatchObject({ room, roomJoin: true });
    const [row] = await platform.db.query<{ id: number; user_id: string }>(`SELECT id, user_id FROM voice_sessions WHERE room_name = $1`, [room]);
    expect(row).toEqual({ id: body.session_id, user_id: u.id });
    const again = await app.inject({ method: 'POST', url: '/auth/token', headers: u.auth, payload: { room_name: room, participant_name: 'John Doe' } });
    expect(again.json().session_id).toBe(body.session_id);
  });

  it("refuses a token for another user's room with 403", async () => {
    const owner = await createUser(platform);
    const intruder = await createUser(platform);
    const room = `room_${owner.id}`;
    await app.inject({ method: 'POST', url: '/auth/token', headers: owner.auth, payload: { room_name: room, participant_name: 'O' } });
    const res = await app.inject({ method: 'POST', url: '/auth/token', headers: intruder.auth, payload: { room_name: room, participant_name: 'I' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().livekit_token).toBeUndefined();
  });

  it('refuses a malformed room name with 422 and an anonymous caller with 401', async () => {
    const u = await createUser(platform);
    for (const room_name of ['has space', '', 'x'.repeat(129), 'slash/room']) {
      const res = await app.inject({ method: 'POST', url: '/auth/token', headers: u.auth, payload: { room_name, participant_name: 'P' } });
      expect(res.statusCode, room_name).toBe(422);
      expect(res.json().detail).toContain('room_name');
    }
    const anon = await app.inject({ method: 'POST', url: '/auth/token', payload: { room_name: 'ok_room', participant_name: 'P' } });
    expect(anon.statusCode).toBe(401);
  });
});

describe('documentation', () => {
  it('every Auth route is in the OpenAPI document', async () => {
    const doc = (await app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, object> };
    for (const path of ['/auth/register', '/auth/login', '/auth/refresh', '/auth/logout', '/auth/me', '/auth/token', '/.well-known/jwks.json']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
