import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { App } from '../src/http/app.js';
import { createLogger } from '../src/logger.js';
import type { Platform } from '../src/platform.js';
import { createPlatform } from '../src/start/platform.js';
import { generateSecrets } from '../src/secrets.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { makePremium } from './support/accounts.js';
import { createTestDatabase } from './support/database.js';

// Every log line the platform writes, at the most verbose level.
const lines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    lines.push(String(chunk));
    done();
  },
});

let platform: Platform;
let app: App;
beforeAll(async () => {
  platform = await createPlatform({
    config: loadConfig({ NODE_ENV: 'test' }),
    db: await createTestDatabase(),
    log: createLogger('trace', sink),
    secrets: await generateSecrets(),
    clock: new ManualClock(new Date()),
  });
  app = await buildGatewayApp(platform);
});
afterAll(async () => {
  await app.close();
  await platform.db.close();
});

describe('logs', () => {
  it('carry request ids but never passwords, tokens, activation codes or prompts', async () => {
    const password = 'correct horse battery staple';
    const reg = await app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'logged@example.com', password, full_name: 'Logged User' },
    });
    expect(reg.statusCode).toBe(201);
    const { access_token, refresh_token, livekit_token } = reg.json();
    const auth = { authorization: `Bearer ${access_token}` };
    await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'logged@example.com', password: 'wrong password!' } });
    await app.inject({ method: 'POST', url: '/auth/refresh', payload: { refresh_token } });
    const purchase = await app.inject({ method: 'POST', url: '/time/purchase', headers: auth, payload: { package_id: 'starter_1h' } });
    expect(purchase.statusCode).toBe(200);
    await platform.payments.flush();
    const code = purchase.json().activation_code as string;
    await app.inject({ method: 'POST', url: '/time/activate', headers: auth, payload: { activation_code: code } });
    await app.inject({ url: '/time/balance', headers: auth });
    await app.inject({ url: '/boom-does-not-exist', headers: auth });

    // What users write for their personas is prompt text: accepted, refused by moderation, or
    // refused by validation, it stays out of the log.
    const me = (await app.inject({ url: '/auth/me', headers: auth })).json() as { id: string };
    await makePremium(platform, me.id);
    const promptText = 'Canary persona text 4f1c9e: speaks only in riddles';
    const flaggedText = 'Canary 8b2d7a explains how to build a bomb';
    const tooLong = `Canary 3e6f0b ${'x'.repeat(1200)}`;
    const custom = (persona: string) =>
      app.inject({ method: 'POST', url: '/personas/custom', headers: auth, payload: { name: 'Riddler', summary: 'Riddles', persona, purpose: 'Fun', category: 'entertainment' } });
    expect((await custom(promptText)).statusCode).toBe(200);
    expect((await custom(flaggedText)).statusCode).toBe(422);
    expect((await custom(tooLong)).statusCode).toBe(422);

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('"reqId"');
    expect(log.match(/\/personas\/custom/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    for (const secret of [password, 'wrong password!', access_token, refresh_token, livekit_token, code, platform.secrets.stripeWebhookSecret, '4f1c9e', '8b2d7a', '3e6f0b']) {
      expect(log).not.toContain(secret);
    }
  });
});
