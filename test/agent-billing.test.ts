import { createHash, randomBytes } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { endById } from '../src/services/time/session-billing.js';
import { sweepOnce } from '../src/services/time/sweeper.js';
import { giveBalance, ledgerSeconds } from './support/accounts.js';
import { agentClient, startPersonaCall } from './support/agent.js';
import { startFakeRoomService } from './support/fake-livekit-rooms.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

let platform: TestPlatform;
let app: App;
let agent: ReturnType<typeof agentClient>;
let rooms: Awaited<ReturnType<typeof startFakeRoomService>>;

beforeAll(async () => {
  rooms = await startFakeRoomService(() => ({ apiKey: platform.secrets.livekitApiKey, apiSecret: platform.secrets.livekitApiSecret }));
  ({ platform, app } = await openGateway({ LIVEKIT_URL: rooms.url, LIVEKIT_API_KEY: 'APIconfigured', LIVEKIT_API_SECRET: 's'.repeat(32) }));
  agent = agentClient(app, platform);
});
afterAll(async () => {
  await closeGateway(platform, app);
  await rooms.close();
});

async function user(seconds = 3600): Promise<TestUser> {
  const u = await createUser(platform);
  await giveBalance(platform, u.id, seconds);
  return u;
}

/** A webhook body and Authorization header made the way LiveKit makes them. */
async function livekit(event: Record<string, unknown>) {
  const body = JSON.stringify({ id: `EV_${randomBytes(6).toString('hex')}`, createdAt: String(Math.floor(platform.clock.now().getTime() / 1000)), ...event });
  const token = new AccessToken(platform.secrets.livekitApiKey, platform.secrets.livekitApiSecret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  const res = await app.inject({
    method: 'POST', url: '/webhooks/livekit',
    headers: { 'content-type': 'application/webhook+json', authorization: await token.toJwt() }, payload: body,
  });
  expect(res.statusCode).toBe(200);
  return res.json();
}
const joined = (room: string, participant: Record<string, unknown>) => livekit({ event: 'participant_joined', room: { name: room }, participant });
const left = (room: string, participant: Record<string, unknown>) => livekit({ event: 'participant_left', room: { name: room }, participant });

const row = async (id: string) =>
  (await platform.db.query<{ status: string; billing_started_at: Date | null; billed_seconds: number | null; charged_seconds: number | null; end_reason: string | null }>(
    `SELECT status, billing_started_at, billed_seconds, charged_seconds, end_reason FROM time_sessions WHERE id = $1`, [id],
  ))[0]!;

describe('billing the conversation, not the setup', () => {
  it('starts when LiveKit reports both the user and the agent in the room, whichever joins last', async () => {
    const u = await user();
    const { body, timeSessionId: id } = await startPersonaCall(app, u, 'mindbot');
    platform.clock.advance(20);
    expect(await joined(body.room_name, { identity: u.id, kind: 'STANDARD' })).toMatchObject({ billing_started: 0 });
    expect((await row(id)).billing_started_at).toBeNull();
    platform.clock.advance(15);
    // Someone else joining is neither the user nor an agent.
    expect(await joined(body.room_name, { identity: 'guest-1' })).toMatchObject({ ended_sessions: 0 });
    expect(await joined(body.room_name, { identity: 'AJ_x1', kind: 'AGENT' })).toMatchObject({ billing_started: 1 });
    const started = platform.clock.now();
    expect(new Date((await row(id)).billing_started_at!).getTime()).toBe(started.getTime());
    // The agent's own report comes later and moves nothing.
    platform.clock.advance(5);
    expect((await agent.joined(id)).json().budget.billing_started_at).toBe(started.toISOString());
    platform.clock.advance(55);
    // Either leaving stops it; someone else leaving does not.
    expect(await left(body.room_name, { identity: 'guest-1' })).toMatchObject({ ended_sessions: 0 });
    expect(await left(body.room_name, { identity: u.id })).toMatchObject({ ended_sessions: 1 });
    expect(await row(id)).toMatchObject({ status: 'completed', billed_seconds: 60, charged_seconds: 60, end_reason: 'livekit_participant_left' });
    expect(await ledgerSeconds(platform, u.id)).toBe(3600 - 60);
  });

  it('recognises the agent by its identity prefix too, and the agent leaving ends the call', async () => {
    const u = await user();
    const { body, timeSessionId: id } = await startPersonaCall(app, u, 'mindbot');
    await joined(body.room_name, { identity: 'agent-AJ_abc' });
    expect((await row(id)).billing_started_at).toBeNull();
    platform.clock.advance(10);
    await joined(body.room_name, { identity: u.id });
    platform.clock.advance(42);
    expect(await left(body.room_name, { identity: 'agent-AJ_abc' })).toMatchObject({ ended_sessions: 1 });
    expect(await row(id)).toMatchObject({ status: 'completed', billed_seconds: 42, end_reason: 'livekit_agent_left' });
  });

  it('a user who leaves before the agent arrives pays nothing', async () => {
    const u = await user();
    const { body, timeSessionId: id } = await startPersonaCall(app, u, 'mindbot');
    await joined(body.room_name, { identity: u.id });
    platform.clock.advance(90);
    await left(body.room_name, { identity: u.id });
    expect(await row(id)).toMatchObject({ status: 'completed', billed_seconds: 0, charged_seconds: 0 });
    expect(await ledgerSeconds(platform, u.id)).toBe(3600);
  });

  it('a plain session from POST /time/session/start bills from its start, and is never a no-show', async () => {
    const u = await user();
    const start = await app.inject({ method: 'POST', url: '/time/session/start', headers: u.auth, payload: { session_id: 'plain', room_name: `plain_${u.id}` } });
    platform.clock.advance(600);
    await sweepOnce(platform);
    const end = await app.inject({ method: 'POST', url: '/time/session/end', headers: u.auth, payload: { session_id: 'plain' } });
    expect(end.json().duration_seconds).toBe(600);
    const [entry] = (await app.inject({ method: 'GET', url: '/time/sessions', headers: u.auth })).json().sessions;
    expect(entry).toMatchObject({ start_time: start.json().start_time, billing_started_at: start.json().start_time, ended_reason: 'client' });
  });
});

describe('the sweeper', () => {
  it('ends a persona session nobody joined within SESSION_NO_SHOW_SECONDS, unbilled, and closes its room', async () => {
    const u = await user();
    const { body, timeSessionId: id } = await startPersonaCall(app, u, 'mindbot');
    await joined(body.room_name, { identity: u.id }); // the user came, the agent never did
    platform.clock.advance(platform.config.SESSION_NO_SHOW_SECONDS - 1);
    await sweepOnce(platform);
    expect((await row(id)).status).toBe('active');
    platform.clock.advance(1);
    const swept = await sweepOnce(platform);
    expect(swept).toMatchObject({ noShows: 1, roomsClosed: 1 });
    expect(await row(id)).toMatchObject({ status: 'completed', billed_seconds: 0, charged_seconds: 0, end_reason: 'no_show' });
    expect(await ledgerSeconds(platform, u.id)).toBe(3600);
    expect(rooms.deleted).toContain(body.room_name);
    expect((await agent.get(id)).json()).toMatchObject({ status: 'ended', budget: { billing_started_at: null } });
  });

  it('closes a session at its cap counted from billing start, bills the cap, and deletes the room, retrying a failed delete', async () => {
    const u = await user(300);
    const { body, timeSessionId: id } = await startPersonaCall(app, u, 'mindbot');
    platform.clock.advance(30);
    await agent.joined(id);
    rooms.failing.add(body.room_name);
    platform.clock.advance(299);
    await sweepOnce(platform);
    expect((await row(id)).status).toBe('active');
    platform.clock.advance(5);
    expect(await sweepOnce(platform)).toMatchObject({ sessionsClosed: 1, roomsClosed: 0 });
    expect(await row(id)).toMatchObject({ status: 'completed', billed_seconds: 300, charged_seconds: 300, end_reason: 'cap_reached' });
    expect(await platform.db.query(`SELECT room_name, attempts FROM room_deletions WHERE room_name = $1`, [body.room_name])).toEqual([
      { room_name: body.room_name, attempts: 1 },
    ]);
    rooms.failing.delete(body.room_name);
    expect(await sweepOnce(platform)).toMatchObject({ sessionsClosed: 0, roomsClosed: 1 });
    expect(rooms.deleted.filter((r) => r === body.room_name)).toHaveLength(1);
    expect(await platform.db.query(`SELECT 1 FROM room_deletions WHERE room_name = $1`, [body.room_name])).toEqual([]);
    expect(await ledgerSeconds(platform, u.id)).toBe(0);
  });
});

describe('exactly one debit, whatever ends the session first', () => {
  type Ender = (u: TestUser, call: { body: { session_id: string; room_name: string }; timeSessionId: string }) => Promise<unknown>;
  const enders: Record<string, Ender> = {
    agent: async (_u, c) => expect((await agent.end(c.timeSessionId, 'user_left')).statusCode).toBe(200),
    user: async (u, c) => {
      // A fresh token: the fake clock moves past an hour here.
      const token = await platform.accessTokens.sign({ sub: u.id, email: u.email, role: 'user' });
      const res = await app.inject({ method: 'POST', url: '/time/session/end', headers: { authorization: `Bearer ${token}` }, payload: { session_id: c.body.session_id } });
      expect(res.statusCode).toBe(200);
    },
    webhook: (u, c) => left(c.body.room_name, { identity: u.id }),
    sweeper: () => sweepOnce(platform),
    admin: (_u, c) => endById(platform, c.timeSessionId, 'admin'),
  };

  it('when all five end it at once', async () => {
    for (let round = 0; round < 3; round++) {
      // 100 s of balance: the session is at its cap when they all arrive, so the sweeper ends it too.
      const u = await user(100);
      const call = await startPersonaCall(app, u, 'mindbot');
      await agent.joined(call.timeSessionId);
      platform.clock.advance(100);
      await Promise.all(Object.values(enders).map((end) => end(u, call)));
      const [debits] = await platform.db.query<{ n: number | string; total: number | string }>(
        `SELECT COUNT(*) AS n, COALESCE(SUM(seconds), 0) AS total FROM ledger_entries WHERE time_session_id = $1`, [call.timeSessionId],
      );
      expect(Number(debits!.n)).toBe(1);
      expect(Number(debits!.total)).toBe(-100);
      expect(await ledgerSeconds(platform, u.id)).toBe(0);
      expect(await row(call.timeSessionId)).toMatchObject({ status: 'completed', billed_seconds: 100, charged_seconds: 100 });
    }
  });

  it.each(Object.keys(enders))('when %s ends it first and the others follow later (fake clock)', async (first) => {
    const u = await user(3600);
    const call = await startPersonaCall(app, u, 'mindbot');
    await agent.joined(call.timeSessionId);
    platform.clock.advance(first === 'sweeper' ? 3600 : 120);
    await enders[first]!(u, call);
    const ended = await row(call.timeSessionId);
    expect(ended.status).toBe('completed');
    for (const [name, end] of Object.entries(enders)) {
      if (name === first) continue;
      platform.clock.advance(300);
      await end(u, call);
    }
    expect(await row(call.timeSessionId)).toEqual(ended);
    expect(await ledgerSeconds(platform, u.id)).toBe(3600 - ended.charged_seconds!);
    expect(ended.charged_seconds).toBe(first === 'sweeper' ? 3600 : 120);
    expect((await agent.end(call.timeSessionId, 'error')).json()).toMatchObject({ billed_seconds: ended.billed_seconds, ended_reason: ended.end_reason });
  });
});
