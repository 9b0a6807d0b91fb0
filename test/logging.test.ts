import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { App } from '../src/http/app.js';
import type { Platform } from '../src/platform.js';
import { createPlatform } from '../src/start/platform.js';
import { generateSecrets } from '../src/secrets.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { giveBalance, makePremium } from './support/accounts.js';
import { agentClient, startPersonaCall } from './support/agent.js';
import { createTestDatabase } from './support/database.js';
import { capturedLog } from './support/log-lines.js';

// Every log line the platform writes, at the most verbose level.
const { log, lines } = capturedLog('trace');

let platform: Platform;
let app: App;
beforeAll(async () => {
  platform = await createPlatform({
    config: loadConfig({ NODE_ENV: 'test' }),
    db: await createTestDatabase(),
    log,
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

    // The voice agent's traffic: its key, the instructions, transcripts, memory and preferences stay out too.
    await giveBalance(platform, me.id, 600);
    await app.inject({ method: 'PATCH', url: '/auth/me', headers: auth, payload: { memory_enabled: true } });
    await app.inject({ method: 'PUT', url: '/personas/mindbot/preferences', headers: auth, payload: { preferences: { nickname: 'Canary 71aa0c' } } });
    const agent = agentClient(app, platform);
    const call = await startPersonaCall(app, { id: me.id, email: 'logged@example.com', token: access_token, auth }, 'mindbot');
    const instructions = (await agent.get(call.timeSessionId)).json().persona.instructions as string;
    await agent.joined(call.timeSessionId);
    await agent.memory(call.timeSessionId, 'Canary memory 5d90e2');
    await agent.memory(call.timeSessionId, 'Canary 0c4b19 wants to build a bomb');
    await agent.end(call.timeSessionId, 'user_left');
    await agent.report(call.timeSessionId, { ended_reason: 'user_left', usage: {}, transcript: [{ role: 'user', text: 'Canary transcript 9e7d31' }] });
    await app.inject({ url: '/agent/sessions/x', headers: { 'x-agent-key': 'Canary wrong key 2a8f44' } });

    // One-time links: the verification, reset and email-change tokens, and the new password.
    const linkToken = (to: string) => {
      const messages = platform.mailer.messages().filter((m) => m.to === to);
      return new URL(messages.at(-1)!.link!).searchParams.get('token')!;
    };
    const verifyToken = linkToken('logged@example.com');
    expect((await app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token: verifyToken } })).statusCode).toBe(200);
    await app.inject({ method: 'POST', url: '/auth/verify-email', payload: { token: verifyToken } });
    await app.inject({ method: 'POST', url: '/auth/forgot-password', payload: { email: 'logged@example.com' } });
    const resetToken = linkToken('logged@example.com');
    const newPassword = 'Canary new password 6a1d3f';
    expect((await app.inject({ method: 'POST', url: '/auth/reset-password', payload: { token: resetToken, password: newPassword } })).statusCode).toBe(200);
    const relogin = await app.inject({ method: 'POST', url: '/auth/login', payload: { email: 'logged@example.com', password: newPassword } });
    const reauth = { authorization: `Bearer ${relogin.json().access_token}` };
    await app.inject({ method: 'POST', url: '/auth/change-email', headers: reauth, payload: { new_email: 'relogged@example.com', password: newPassword } });
    const changeToken = linkToken('relogged@example.com');
    await app.inject({ method: 'POST', url: '/auth/confirm-email', payload: { token: changeToken } });

    const log = lines.join('');
    expect(log).toContain('/auth/reset-password');
    for (const secret of [verifyToken, resetToken, changeToken, '6a1d3f']) expect(log).not.toContain(secret);
    expect(log).toContain('/agent/sessions/');
    for (const secret of [platform.secrets.agentApiKey, instructions.slice(0, 60), '71aa0c', '5d90e2', '0c4b19', '9e7d31', '2a8f44']) {
      expect(log).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('"reqId"');
    // One line per completed request: method, route pattern, status, duration and request id.
    const balanceLines = lines.filter((l) => l.includes('"route":"/time/balance"'));
    expect(balanceLines).toHaveLength(1);
    const line = JSON.parse(balanceLines[0]!);
    expect(line).toMatchObject({ msg: 'request', method: 'GET', status: 200, reqId: expect.any(String), ms: expect.any(Number) });
    expect(log.match(/\/personas\/custom/g)?.length ?? 0).toBeGreaterThanOrEqual(3);
    for (const secret of [password, 'wrong password!', access_token, refresh_token, livekit_token, code, platform.secrets.stripeWebhookSecret, '4f1c9e', '8b2d7a', '3e6f0b']) {
      expect(log).not.toContain(secret);
    }
  });
});
