import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { App } from '../src/http/app.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

/** A real SMTP server on a free local port that keeps every message it is handed. */
const received: { from: string; to: string[]; raw: string }[] = [];
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  onData(stream, session, done) {
    let raw = '';
    stream.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    stream.on('end', () => {
      received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
      done();
    });
  },
});

let platform: TestPlatform;
let app: App;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  ({ platform, app } = await openGateway({ SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'MindBot <hello@mindbot.test>', APP_URL: 'https://app.mindbot.test' }));
});
afterAll(async () => {
  await closeGateway(platform, app);
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Quoted-printable soft line breaks and escapes undone, enough to read a link back. */
const unfold = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');

describe('mail through SMTP', () => {
  it('registration and a reset request each deliver a short text+HTML message with the link', async () => {
    const email = `smtp_${Date.now()}@example.com`;
    const reg = await app.inject({ method: 'POST', url: '/auth/register', payload: { email, password: 'first password', full_name: 'Sam Smtp' } });
    expect(reg.statusCode).toBe(201);
    await app.inject({ method: 'POST', url: '/auth/forgot-password', payload: { email } });
    // The reset mail is sent after the answer, so a known email is not told apart by its delay.
    await vi.waitFor(() => expect(received).toHaveLength(2), { timeout: 10_000 });
    const [verify, reset] = received.map((m) => ({ ...m, raw: unfold(m.raw) }));
    for (const m of [verify!, reset!]) {
      expect(m.from).toBe('hello@mindbot.test');
      expect(m.to).toEqual([email]);
      expect(m.raw).toMatch(/Content-Type: text\/plain/i);
      expect(m.raw).toMatch(/Content-Type: text\/html/i);
    }
    expect(verify!.raw).toMatch(/Subject: Confirm your email/);
    const link = /https:\/\/app\.mindbot\.test\/reset-password\?token=(at_[A-Za-z0-9_-]{43})/.exec(reset!.raw);
    expect(link).not.toBeNull();
    const ok = await app.inject({ method: 'POST', url: '/auth/reset-password', payload: { token: link![1], password: 'second password' } });
    expect(ok.statusCode).toBe(200);
    // With SMTP the development mailbox keeps nothing.
    expect((await app.inject('/dev/mailbox')).json().messages).toEqual([]);
  });
});

describe('in production', () => {
  it('there is no development mailbox route', async () => {
    const prod = await openGateway({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://unused.example/mindbot',
      JWT_PRIVATE_JWKS: '[{"kid":"unused"}]',
      LIVEKIT_API_KEY: 'APIunused',
      LIVEKIT_API_SECRET: 's'.repeat(32),
      STRIPE_SECRET_KEY: 'sk_test_unused',
      STRIPE_WEBHOOK_SECRET: 'whsec_unused',
      AGENT_API_KEY: 'a'.repeat(32),
      SMTP_URL: 'smtp://127.0.0.1:9',
    });
    try {
      expect((await prod.app.inject('/dev/mailbox')).statusCode).toBe(404);
      expect((await app.inject('/dev/mailbox')).statusCode).toBe(200);
    } finally {
      await closeGateway(prod.platform, prod.app);
    }
  });
});
