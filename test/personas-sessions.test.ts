import { TokenVerifier } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { getBalance } from '../src/services/time/ledger.js';
import { endTimeSession } from '../src/services/time/session-billing.js';
import { createGuideClient } from './support/guide-client.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';
import { ADULT_DOB, giveBalance, makePremium } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import { conversationStarts } from './support/calls.js';

let platform: TestPlatform;
let app: App;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

async function user(opts: { premium?: boolean; seconds?: number; dateOfBirth?: string } = {}): Promise<TestUser> {
  const u = await createUser(platform, { dateOfBirth: opts.dateOfBirth });
  if (opts.premium) await makePremium(platform, u.id);
  if (opts.seconds !== 0) await giveBalance(platform, u.id, opts.seconds ?? 3600);
  return u;
}

const start = (u: TestUser, slug: string, payload: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: `/personas/${slug}/session`, headers: { ...u.auth, ...headers }, payload });

const end = (u: TestUser, sessionId: string) => endTimeSession(platform, { userId: u.id, sessionId });
const balance = async (u: TestUser) => (await getBalance(platform.db, u.id, platform.clock.now())).totalSeconds;

describe('POST /personas/{slug}/session', () => {
  it('runs the guide\'s startPersonaSession example unchanged and returns the guide\'s body', async () => {
    const u = await user({ seconds: 315 * 60 });
    const client = createGuideClient(app);
    client.localStorage.set('access_token', u.token);
    const result = await client.call<{ sessionId: string; persona: Record<string, unknown> }>('startPersonaSession', 'professor-oak-tutor');
    expect(result.sessionId).toMatch(/^persona_professor-oak-tutor_[0-9a-f]{10}$/);
    expect(result.persona).toEqual({
      name: 'Professor Oak',
      slug: 'professor-oak-tutor',
      summary: 'Patient academic tutor who breaks down complex subjects into digestible lessons with encouraging guidance.',
      cost_multiplier: 0.8,
      voice: { tts: 'onyx', style: 'warm professorial tone' },
      ad_supported: true,
    });
    expect(client.calls.updateBalanceDisplay![0]![0]).toMatchObject({ total_minutes: 315, total_hours: 5.25, active_cards: 1 });
    expect(client.calls.updateCostInfo).toEqual([[0.8]]);
    // A free user on an ad-supported persona who asked for ads: the guide's 0.8 -> 0.4 saving.
    expect(client.calls.setupAdDisplay).toEqual([[0.4]]);
    expect(client.calls.roomConnect![0]![0]).toBe(platform.config.LIVEKIT_URL);
    expect(client.errors).toEqual([]);
  });

  it('mints a token for that room only that dispatches the voice agent with the persona and session', async () => {
    const u = await user();
    const res = await start(u, 'zen-master', { enable_ads: true, quality_preference: 'high' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.room_name).toMatch(/^persona_zen-master_[0-9a-f]{8}$/);
    expect(body).toMatchObject({ session_started: true, ads_enabled: false, cost_savings: 0, premium_features_available: [] });
    const claims = await new TokenVerifier(platform.secrets.livekitApiKey, platform.secrets.livekitApiSecret).verify(body.livekit_token);
    expect(claims.sub).toBe(u.id);
    expect(claims.video).toMatchObject({ room: body.room_name, roomJoin: true });
    const agents = (claims.roomConfig as unknown as { agents: { agentName: string; metadata: string }[] }).agents;
    expect(agents).toHaveLength(1);
    expect(agents[0]!.agentName).toBe(platform.config.LIVEKIT_AGENT_NAME);
    const meta = JSON.parse(agents[0]!.metadata);
    expect(meta).toMatchObject({ persona_slug: 'zen-master', session_id: body.session_id, user_id: u.id });
    const [facts] = await platform.db.query(`SELECT ads_enabled, quality_preference FROM persona_sessions WHERE time_session_id = $1`, [meta.time_session_id]);
    expect(facts).toEqual({ ads_enabled: false, quality_preference: 'high' });
    await end(u, body.session_id);
  });

  it('bills the persona\'s multiplier, and the ad-supported saving is charged in the ledger, not only shown', async () => {
    const withAds = await user();
    const withoutAds = await user();
    const a = (await start(withAds, 'pixel', { enable_ads: true })).json();
    const b = (await start(withoutAds, 'pixel', { enable_ads: false })).json();
    expect([a.ads_enabled, a.cost_savings, a.estimated_cost_per_minute]).toEqual([true, 0.35, 0.7]);
    expect([b.ads_enabled, b.cost_savings]).toEqual([false, 0]);
    await conversationStarts(platform, withAds.id, a.session_id);
    await conversationStarts(platform, withoutAds.id, b.session_id);
    platform.clock.advance(600);
    await end(withAds, a.session_id);
    await end(withoutAds, b.session_id);
    // 600 s at 0.7 = 420 s; half that with ads.
    expect(3600 - (await balance(withoutAds))).toBe(420);
    expect(3600 - (await balance(withAds))).toBe(210);
  });

  it('gives premium users no ads, full price and the persona\'s premium features', async () => {
    const u = await user({ premium: true });
    const res = await start(u, 'professor-oak-tutor', { enable_ads: true });
    expect(res.json()).toMatchObject({
      ads_enabled: false,
      cost_savings: 0,
      premium_features_available: ['homework_checker', 'study_plan_generator', 'progress_tracking'],
    });
    await end(u, res.json().session_id);
  });

  it('refuses a premium persona to a free user with 403 telling them to upgrade', async () => {
    const u = await user();
    const res = await start(u, 'code-wizard');
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('Code Wizard is a Premium persona: upgrade to Premium to start a session with them.');
    expect(await balance(u)).toBe(3600);
  });

  it('requires a date of birth proving 18+ for an adults-only persona', async () => {
    const noDob = await user({ premium: true });
    const r1 = await start(noDob, 'sizzlebot');
    expect(r1.statusCode).toBe(403);
    expect(r1.json().detail).toMatch(/aged 18\+: add your date of birth/);
    // Recording it through the Auth service opens the persona.
    const patched = await app.inject({ method: 'PATCH', url: '/auth/me', headers: noDob.auth, payload: { date_of_birth: ADULT_DOB } });
    expect(patched.statusCode).toBe(200);
    const r1b = await start(noDob, 'sizzlebot');
    expect(r1b.statusCode).toBe(200);
    await end(noDob, r1b.json().session_id);

    const now = platform.clock.now();
    const almost18 = new Date(Date.UTC(now.getUTCFullYear() - 18, now.getUTCMonth(), now.getUTCDate() + 1)).toISOString().slice(0, 10);
    const young = await user({ premium: true, dateOfBirth: almost18 });
    const r2 = await start(young, 'sizzlebot');
    expect(r2.statusCode).toBe(403);
    expect(r2.json().detail).toBe('SizzleBot is for users aged 18 and over.');

    const adult = await user({ premium: true, dateOfBirth: ADULT_DOB });
    const r3 = await start(adult, 'sizzlebot');
    expect(r3.statusCode).toBe(200);
    await end(adult, r3.json().session_id);
  });

  it('enforces the persona\'s daily limit and caps a session at what is left of it', async () => {
    const midnight = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1));
    platform.clock.set(new Date(midnight(platform.clock.now()).getTime() + 3600_000));
    const u = await user({ seconds: 4 * 3600 });
    // Tokens are short-lived and the clock moves hours here: sign a fresh one per request.
    const fresh = async () => ({ ...u, auth: { authorization: `Bearer ${await platform.accessTokens.sign({ sub: u.id, email: u.email, role: 'user' })}` } });
    // Luna: 30-minute sessions, 90 minutes a day.
    // Talked for 45, 45, 20 and 45 minutes: billed 30 (session limit), 30, 20, then the 10 left today.
    for (const [talk, billed] of [[45, 30], [45, 30], [20, 20], [45, 10]] as const) {
      const s = await start(await fresh(), 'luna-sleep-stories');
      expect(s.statusCode).toBe(200);
      await conversationStarts(platform, u.id, s.json().session_id);
      platform.clock.advance(talk * 60);
      expect((await end(u, s.json().session_id)).duration_seconds).toBe(billed * 60);
    }
    const refused = await start(await fresh(), 'luna-sleep-stories');
    expect(refused.statusCode).toBe(403);
    expect(refused.json().detail).toMatch(/used today's 90 minutes with Luna; the limit resets at midnight UTC/);
    platform.clock.set(new Date(midnight(platform.clock.now()).getTime() + 1000));
    const nextDay = await start(await fresh(), 'luna-sleep-stories');
    expect(nextDay.statusCode).toBe(200);
    await end(u, nextDay.json().session_id);
  });

  it('spends a pending ad-reward discount once, on the free user\'s next session', async () => {
    const u = await user();
    const now = platform.clock.now();
    await platform.db.query(
      `INSERT INTO ad_interactions (user_id, ad_id, view_duration, reward_type, reward_earned, discount_percent, reward_expires_at, created_at)
       VALUES ($1, 'ad_1', 30, 'discount', true, 20, $2, $3)`,
      [u.id, new Date(now.getTime() + 86400_000), now],
    );
    const first = (await start(u, 'mindbot', { enable_ads: false })).json();
    await conversationStarts(platform, u.id, first.session_id);
    platform.clock.advance(100);
    await end(u, first.session_id);
    const second = (await start(u, 'mindbot', { enable_ads: false })).json();
    await conversationStarts(platform, u.id, second.session_id);
    platform.clock.advance(100);
    await end(u, second.session_id);
    const rows = await platform.db.query<{ reward_discount_percent: number; charged_seconds: number }>(
      `SELECT reward_discount_percent, charged_seconds FROM time_sessions WHERE user_id = $1 ORDER BY started_at`, [u.id],
    );
    expect(rows).toEqual([{ reward_discount_percent: 20, charged_seconds: 80 }, { reward_discount_percent: 0, charged_seconds: 100 }]);
  });

  it('402s on an empty balance and 409s a second live session', async () => {
    const broke = await user({ seconds: 0 });
    const r1 = await start(broke, 'mindbot');
    expect(r1.statusCode).toBe(402);
    expect(r1.json().detail).toMatch(/balance is empty/);

    const u = await user();
    const first = await start(u, 'mindbot');
    const second = await start(u, 'pixel');
    expect(second.statusCode).toBe(409);
    expect(second.json().detail).toMatch(/already have an active session/);
    await end(u, first.json().session_id);
  });

  it('an Idempotency-Key makes a retry return the same live session, counted once', async () => {
    const u = await user();
    const before = (await app.inject({ method: 'GET', url: '/personas/chef-basil' })).json().usage_count;
    const headers = { 'idempotency-key': 'retry-me-1' };
    const a = await start(u, 'chef-basil', {}, headers);
    const b = await start(u, 'chef-basil', {}, headers);
    expect(b.statusCode).toBe(200);
    expect([b.json().room_name, b.json().session_id]).toEqual([a.json().room_name, a.json().session_id]);
    expect((await app.inject({ method: 'GET', url: '/personas/chef-basil' })).json().usage_count).toBe(before + 1);
    await end(u, a.json().session_id);
    const tooLong = await start(u, 'chef-basil', {}, { 'idempotency-key': 'k'.repeat(256) });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.json().detail).toMatch(/Idempotency-Key header/);
  });

  it('is ended through the Time service by its owner only, billed by the server\'s clock', async () => {
    const owner = await user();
    const other = await user();
    const session = (await start(owner, 'debug-duck')).json();
    await conversationStarts(platform, owner.id, session.session_id);
    platform.clock.advance(300);
    const endAs = (u: TestUser) =>
      app.inject({ method: 'POST', url: '/time/session/end', headers: u.auth, payload: { session_id: session.session_id, duration_seconds: 5 } });
    const stolen = await endAs(other);
    expect(stolen.statusCode).toBe(404);
    const ended = await endAs(owner);
    expect(ended.statusCode).toBe(200);
    // 300 s at 0.8 (no ads asked for), whatever the client claims.
    expect(ended.json()).toMatchObject({ duration_seconds: 300, cost_minutes: 4 });
    expect(await balance(owner)).toBe(3600 - 240);
    expect(await balance(other)).toBe(3600);
  });

  it('cannot start a session in another user\'s room (403)', async () => {
    const owner = await user();
    const intruder = await user();
    const mine = (await start(owner, 'mindbot')).json();
    const res = await start(intruder, 'mindbot', { room_name: mine.room_name });
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toBe('That room belongs to another user.');
    expect(await balance(intruder)).toBe(3600);
    await end(owner, mine.session_id);
  });

  it('accepts a request without a body (no ads, standard quality) and 422s bad fields', async () => {
    const u = await user();
    const bad = await start(u, 'mindbot', { quality_preference: 'ultra' });
    expect(bad.statusCode).toBe(422);
    const badRoom = await start(u, 'mindbot', { room_name: 'no spaces allowed' });
    expect(badRoom.statusCode).toBe(422);
    const res = await app.inject({ method: 'POST', url: '/personas/mindbot/session', headers: u.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ads_enabled: false, cost_savings: 0, estimated_cost_per_minute: 1 });
    await end(u, res.json().session_id);
  });

  it('404s an unknown persona and 401s without a token', async () => {
    const u = await user();
    expect((await start(u, 'nobody-here')).statusCode).toBe(404);
    const anon = await app.inject({ method: 'POST', url: '/personas/mindbot/session', payload: {} });
    expect(anon.statusCode).toBe(401);
  });
});
