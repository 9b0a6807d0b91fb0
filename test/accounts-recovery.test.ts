import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { buildServiceApp } from '../src/services/service.js';
import { SERVICES } from '../src/services/index.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway({ AUTH_RATE_LIMIT_PER_MINUTE: '5' })));
afterAll(() => closeGateway(platform, app));

let ip = 0;
/** Each call from a new address, so only the limit under test can answer 429. */
const post = (url: string, payload: unknown, token?: string) =>
  app.inject({
    method: 'POST',
    url,
    payload: payload as object,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    remoteAddress: `10.12.${Math.floor(++ip / 250)}.${ip % 250}`,
  });
const me = (token: string) => app.inject({ url: '/auth/me', headers: { authorization: `Bearer ${token}` } });

interface Mail { to: string; subject: string; text: string; html: string; link: string | null }
const mailbox = async (): Promise<Mail[]> => (await app.inject('/dev/mailbox')).json().messages;
/** The newest message to `to`, and the token its link carries. */
async function lastMailTo(to: string): Promise<{ mail: Mail; token: string }> {
  const mail = (await mailbox()).filter((m) => m.to === to).at(-1);
  if (!mail) throw new Error(`no mail to ${to}`);
  const token = new URL(/https?:\/\/\S+/.exec(mail.text)![0]).searchParams.get('token')!;
  return { mail, token };
}

let n = 0;
async function register() {
  const email = `acct_${++n}_${Date.now()}@example.com`;
  const res = await post('/auth/register', { email, password: 'first password', full_name: 'Ada Account' });
  expect(res.statusCode).toBe(201);
  return { email, access: res.json().access_token as string, refresh: res.json().refresh_token as string };
}

describe('email verification', () => {
  it('registration sends a link; following it confirms the email once', async () => {
    const u = await register();
    expect((await me(u.access)).json().email_verified).toBe(false);
    const { mail, token } = await lastMailTo(u.email);
    expect(mail.subject).toMatch(/confirm/i);
    expect(mail.link).toContain(`?token=${token}`);
    expect(mail.html).toContain('href=');
    const ok = await post('/auth/verify-email', { token });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ email: u.email, email_verified: true });
    expect((await me(u.access)).json().email_verified).toBe(true);
    const again = await post('/auth/verify-email', { token });
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invalid_token');
    expect((await post('/auth/resend-verification', {}, u.access)).statusCode).toBe(409);
  });

  it('an expired link is refused; resending gives a new one, limited per account', async () => {
    const u = await register();
    const first = (await lastMailTo(u.email)).token;
    platform.clock.advance(25 * 3600);
    const expired = await post('/auth/verify-email', { token: first });
    expect(expired.statusCode).toBe(400);
    expect(expired.json().code).toBe('token_expired');
    expect((await me(u.access)).statusCode).toBe(401); // the access token expired too; sign in again
    const login = await post('/auth/login', { email: u.email, password: 'first password' });
    const access = login.json().access_token as string;
    expect((await post('/auth/resend-verification', {}, access)).statusCode).toBe(202);
    const second = (await lastMailTo(u.email)).token;
    expect(second).not.toBe(first);
    expect((await post('/auth/resend-verification', {}, access)).statusCode).toBe(202);
    expect((await post('/auth/resend-verification', {}, access)).statusCode).toBe(202);
    const limited = await post('/auth/resend-verification', {}, access);
    expect(limited.statusCode).toBe(429);
    expect((await post('/auth/verify-email', { token: second })).statusCode).toBe(200);
  });

  it("one user's link is refused while signed in as another, and a reset token is no verification token", async () => {
    const a = await register();
    const b = await register();
    const token = (await lastMailTo(a.email)).token;
    const wrongUser = await post('/auth/verify-email', { token }, b.access);
    expect(wrongUser.statusCode).toBe(400);
    expect(wrongUser.json().code).toBe('invalid_token');
    expect((await me(b.access)).json().email_verified).toBe(false);
    await post('/auth/forgot-password', { email: b.email });
    const reset = (await lastMailTo(b.email)).token;
    expect((await post('/auth/verify-email', { token: reset })).json().code).toBe('invalid_token');
    expect((await post('/auth/verify-email', { token }, a.access)).statusCode).toBe(200);
  });

  it('the mailbox and the account routes are served on the Auth port too, and documented', async () => {
    const auth = SERVICES.find((s) => s.name === 'auth')!;
    const authApp = await buildServiceApp(platform, auth);
    try {
      const res = await authApp.inject('/dev/mailbox');
      expect(res.statusCode).toBe(200);
      expect(res.json().messages.length).toBeGreaterThan(0);
      const paths = Object.keys((await authApp.inject('/openapi.json')).json().paths);
      for (const p of ['/auth/verify-email', '/auth/resend-verification', '/auth/forgot-password', '/auth/reset-password', '/auth/change-password',
        '/auth/change-email', '/auth/confirm-email', '/auth/me/export', '/dev/mailbox']) {
        expect(paths).toContain(p);
      }
      const gateway = (await app.inject('/openapi.json')).json();
      for (const p of ['/payments', '/personas/mine', '/subscriptions/change-plan', '/subscriptions/resume', '/payment/subscribe']) {
        expect(Object.keys(gateway.paths)).toContain(p);
      }
      expect(Object.keys(gateway.paths['/auth/me'])).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
    } finally {
      await authApp.close();
    }
  });
});

describe('password reset', () => {
  it('answers 202 with the same body for a known and an unknown email; only the known one gets mail', async () => {
    const u = await register();
    const before = (await mailbox()).length;
    const known = await post('/auth/forgot-password', { email: u.email.toUpperCase() });
    const unknown = await post('/auth/forgot-password', { email: 'nobody-here@example.com' });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const after = await mailbox();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)!.to).toBe(u.email);
    expect(after.at(-1)!.subject).toMatch(/reset/i);
  });

  it('sets the password, signs out every session and works once', async () => {
    const u = await register();
    await post('/auth/forgot-password', { email: u.email });
    const { token } = await lastMailTo(u.email);
    platform.clock.advance(1);
    const reset = await post('/auth/reset-password', { token, password: 'second password' });
    expect(reset.statusCode).toBe(200);
    expect((await me(u.access)).statusCode).toBe(401);
    expect((await post('/auth/refresh', { refresh_token: u.refresh })).statusCode).toBe(401);
    expect((await post('/auth/login', { email: u.email, password: 'first password' })).statusCode).toBe(401);
    const login = await post('/auth/login', { email: u.email, password: 'second password' });
    expect(login.statusCode).toBe(200);
    expect((await me(login.json().access_token)).statusCode).toBe(200);
    const reused = await post('/auth/reset-password', { token, password: 'third password' });
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('invalid_token');
  });

  it('a link expires after 30 minutes; a newer password retires older links', async () => {
    const u = await register();
    await post('/auth/forgot-password', { email: u.email });
    const old = (await lastMailTo(u.email)).token;
    platform.clock.advance(31 * 60);
    const expired = await post('/auth/reset-password', { token: old, password: 'second password' });
    expect(expired.json().code).toBe('token_expired');
    await post('/auth/forgot-password', { email: u.email });
    const a = (await lastMailTo(u.email)).token;
    await post('/auth/forgot-password', { email: u.email });
    const b = (await lastMailTo(u.email)).token;
    expect((await post('/auth/reset-password', { token: b, password: 'second password' })).statusCode).toBe(200);
    expect((await post('/auth/reset-password', { token: a, password: 'third password' })).json().code).toBe('invalid_token');
  });

  it('a token used twice at once works once', async () => {
    const u = await register();
    await post('/auth/forgot-password', { email: u.email });
    const { token } = await lastMailTo(u.email);
    const results = await Promise.all([post('/auth/reset-password', { token, password: 'second password' }), post('/auth/reset-password', { token, password: 'third password' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 400]);
  });

  it('is limited per email (silently: the same 202) and per IP (429)', async () => {
    const u = await register();
    const before = (await mailbox()).filter((m) => m.to === u.email).length;
    for (let i = 0; i < 5; i++) expect((await post('/auth/forgot-password', { email: u.email })).statusCode).toBe(202);
    expect((await mailbox()).filter((m) => m.to === u.email).length).toBe(before + 3);
    const from = (i: number) => app.inject({ method: 'POST', url: '/auth/forgot-password', payload: { email: `x${i}@example.com` }, remoteAddress: '10.13.0.1' });
    for (let i = 0; i < 5; i++) expect((await from(i)).statusCode).toBe(202);
    expect((await from(9)).statusCode).toBe(429);
  });
});

describe('change password and email', () => {
  it('change password needs the current one and signs out the other sessions', async () => {
    const u = await register();
    const wrong = await post('/auth/change-password', { current_password: 'not it at all', new_password: 'second password' }, u.access);
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('wrong_password');
    const other = (await post('/auth/login', { email: u.email, password: 'first password' })).json();
    platform.clock.advance(1);
    const ok = await post('/auth/change-password', { current_password: 'first password', new_password: 'second password' }, u.access);
    expect(ok.statusCode).toBe(200);
    expect((await me(ok.json().access_token)).statusCode).toBe(200);
    expect((await me(other.access_token)).statusCode).toBe(401);
    expect((await post('/auth/refresh', { refresh_token: other.refresh_token })).statusCode).toBe(401);
    expect((await post('/auth/login', { email: u.email, password: 'second password' })).statusCode).toBe(200);
  });

  it('a new email takes effect only when confirmed from the new address', async () => {
    const u = await register();
    const taken = await register();
    const clash = await post('/auth/change-email', { new_email: taken.email, password: 'first password' }, u.access);
    expect(clash.statusCode).toBe(409);
    expect(clash.json().code).toBe('email_taken');
    expect((await post('/auth/change-email', { new_email: 'x@example.com', password: 'wrong wrong' }, u.access)).json().code).toBe('wrong_password');
    const next = `new_${u.email}`;
    expect((await post('/auth/change-email', { new_email: next, password: 'first password' }, u.access)).statusCode).toBe(202);
    const { token } = await lastMailTo(next);
    expect((await me(u.access)).json().email).toBe(u.email);
    expect((await post('/auth/confirm-email', { token }, taken.access)).json().code).toBe('invalid_token');
    const ok = await post('/auth/confirm-email', { token });
    expect(ok.statusCode).toBe(200);
    expect((await me(u.access)).json()).toMatchObject({ email: next, email_verified: true });
    expect((await post('/auth/login', { email: next, password: 'first password' })).statusCode).toBe(200);
    expect((await post('/auth/login', { email: u.email, password: 'first password' })).statusCode).toBe(401);
    expect((await post('/auth/confirm-email', { token })).json().code).toBe('invalid_token');
  });
});
