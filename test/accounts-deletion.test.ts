import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

let ip = 0;
const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, token?: string, payload?: object) =>
  app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {}, remoteAddress: `10.14.0.${++ip % 250}` });

/** A user with everything an account gathers: paid time, a live session, a subscription, a persona, settings. */
async function busyUser(name = 'Lee Leaver', personaName = 'Quiet Friend', nickname = 'Leezy') {
  const email = `leaver_${Date.now()}@example.com`;
  const reg = await call('POST', '/auth/register', undefined, { email, password: 'first password', full_name: name });
  const { access_token: token, refresh_token: refresh } = reg.json();
  const purchase = await call('POST', '/time/purchase', token, { package_id: 'starter_1h' });
  expect(purchase.statusCode).toBe(200);
  await platform.payments.flush();
  expect((await call('POST', '/time/activate', token, { activation_code: purchase.json().activation_code })).statusCode).toBe(200);
  expect((await call('POST', '/subscriptions', token, { plan_id: 'premium_monthly' })).statusCode).toBe(200);
  await platform.payments.flush();
  expect((await call('GET', '/subscriptions/current', token)).json()).toMatchObject({ status: 'active' });
  const persona = await call('POST', '/personas/custom', token, { name: personaName, summary: 'Listens', persona: 'Calm and kind', purpose: 'Company', category: 'entertainment' });
  expect(persona.statusCode).toBe(200);
  expect((await call('PATCH', '/auth/me', token, { memory_enabled: true })).statusCode).toBe(200);
  expect((await call('PUT', '/personas/mindbot/preferences', token, { preferences: { nickname } })).statusCode).toBe(200);
  const start = await call('POST', '/time/session/start', token, { session_id: 'live-1', room_name: `room_leaver_${Date.now()}` });
  expect(start.statusCode).toBe(200);
  platform.clock.advance(120);
  const me = (await call('GET', '/auth/me', token)).json();
  return { id: me.id as string, email, token: token as string, refresh: refresh as string, slug: persona.json().slug as string };
}

describe('export and delete', () => {
  it('GET /auth/me/export returns everything held about the user', async () => {
    const u = await busyUser();
    const res = await call('GET', '/auth/me/export', u.token);
    expect(res.statusCode).toBe(200);
    const data = res.json();
    expect(data.profile).toMatchObject({ id: u.id, email: u.email, full_name: 'Lee Leaver', memory_enabled: true });
    expect(data.ledger.length).toBeGreaterThan(0);
    expect(data.time_cards[0]).toMatchObject({ status: 'active', purchased_by_you: true });
    expect(data.sessions[0]).toMatchObject({ session_id: 'live-1', status: 'active' });
    expect(data.payments.length).toBeGreaterThanOrEqual(2);
    expect(data.subscriptions[0]).toMatchObject({ plan_id: 'premium_monthly', status: 'active' });
    expect(data.personas[0]).toMatchObject({ slug: u.slug, name: 'Quiet Friend' });
    expect(data.preferences[0]).toMatchObject({ persona_slug: 'mindbot', preferences: { nickname: 'Leezy' } });
    for (const key of ['ratings', 'memory', 'persona_sessions']) expect(Array.isArray(data[key])).toBe(true);
    expect(res.body).not.toContain('password_hash');
    expect((await call('GET', '/auth/me/export')).statusCode).toBe(401);
  });

  it('DELETE /auth/me needs the password, ends the session and the subscription, and leaves no personal data', async () => {
    const u = await busyUser('Del Deleter', 'Loud Friend', 'Dezzy');
    const wrong = await call('DELETE', '/auth/me', u.token, { password: 'not my password' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().code).toBe('wrong_password');
    expect((await call('GET', '/auth/me', u.token)).statusCode).toBe(200);

    expect((await call('DELETE', '/auth/me', u.token, { password: 'first password' })).statusCode).toBe(204);
    await platform.payments.flush();

    // Signed out everywhere, and the credentials are gone.
    expect((await call('GET', '/auth/me', u.token)).statusCode).toBe(401);
    expect((await call('GET', '/auth/me/export', u.token)).statusCode).toBe(401);
    expect((await call('GET', '/time/balance', u.token)).statusCode).toBe(401);
    expect((await call('POST', '/auth/refresh', undefined, { refresh_token: u.refresh })).statusCode).toBe(401);
    expect((await call('POST', '/auth/login', undefined, { email: u.email, password: 'first password' })).statusCode).toBe(401);
    expect((await call('POST', '/auth/forgot-password', undefined, { email: u.email })).statusCode).toBe(202);
    const mail = (await call('GET', '/dev/mailbox')).json().messages as { to: string }[];
    expect(mail.filter((m) => m.to === u.email)).toEqual([]);

    // The live session was ended and billed; the subscription cancelled through the provider.
    const [session] = await platform.db.query<{ status: string; end_reason: string }>(`SELECT status, end_reason FROM time_sessions WHERE user_id = $1`, [u.id]);
    expect(session).toMatchObject({ status: 'completed', end_reason: 'account_deleted' });
    const [debit] = await platform.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = $1 AND kind = 'session_debit'`, [u.id]);
    expect(Number(debit!.n)).toBe(1);
    expect(await platform.db.query(`SELECT room_name FROM room_deletions`)).toEqual([]);
    const [sub] = await platform.db.query<{ status: string }>(`SELECT status FROM user_subscriptions WHERE user_id = $1`, [u.id]);
    expect(sub!.status).toBe('canceled');

    // No personal data left anywhere in the database.
    const [row] = await platform.db.query<Record<string, unknown>>(`SELECT * FROM users WHERE id = $1`, [u.id]);
    expect(row).toMatchObject({ full_name: 'Deleted user', date_of_birth: null, stripe_customer_id: null });
    for (const table of ['users', 'personas', 'persona_preferences', 'persona_memories', 'account_tokens']) {
      const rows = await platform.db.query(`SELECT * FROM ${table}`);
      const text = JSON.stringify(rows);
      for (const personal of [u.email, 'Del Deleter', 'Loud Friend', 'Dezzy']) expect(text, table).not.toContain(personal);
    }
    // The persona cannot be started (its owner's token is dead; its row is marked deleted).
    const [persona] = await platform.db.query<{ deleted_at: Date | null }>(`SELECT deleted_at FROM personas WHERE slug = $1`, [u.slug]);
    expect(persona!.deleted_at).not.toBeNull();

    // The money stays: ledger and payments kept, and every card still equals its ledger.
    const [ledger] = await platform.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ledger_entries WHERE user_id = $1`, [u.id]);
    expect(Number(ledger!.n)).toBeGreaterThanOrEqual(2);
    const [payments] = await platform.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM payment_history WHERE user_id = $1`, [u.id]);
    expect(Number(payments!.n)).toBeGreaterThanOrEqual(2);
    const unbalanced = await platform.db.query(
      `SELECT c.id FROM time_cards c WHERE c.status IN ('active', 'expired', 'refunded')
          AND c.remaining_seconds <> (SELECT COALESCE(SUM(seconds), 0) FROM ledger_entries e WHERE e.card_id = c.id)`,
    );
    expect(unbalanced).toEqual([]);

    // The address is free for a new account.
    expect((await call('POST', '/auth/register', undefined, { email: u.email, password: 'second password', full_name: 'New Lee' })).statusCode).toBe(201);
  });
});
