import { createHash, randomBytes } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { grantSeconds } from '../src/services/time/ledger.js';
import { startTimeSession } from '../src/services/time/session-billing.js';
import { handleLiveKitWebhook } from '../src/services/webhooks/livekit.js';
import type { Database, Queryable } from '../src/db/database.js';
import { ledgerSeconds } from './support/accounts.js';
import type { TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';
import { closeGateway, openGateway } from './support/gateway.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

/** A webhook body and Authorization header made the way LiveKit makes them. */
async function livekitEvent(event: Record<string, unknown>, secret = platform.secrets.livekitApiSecret) {
  const body = JSON.stringify({ id: `EV_${randomBytes(6).toString('hex')}`, createdAt: String(Math.floor(platform.clock.now().getTime() / 1000)), ...event });
  const token = new AccessToken(platform.secrets.livekitApiKey, secret);
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return { body, authorization: await token.toJwt() };
}

const deliver = (e: { body: string; authorization?: string }) =>
  app.inject({
    method: 'POST',
    url: '/webhooks/livekit',
    headers: { 'content-type': 'application/webhook+json', ...(e.authorization ? { authorization: e.authorization } : {}) },
    payload: e.body,
  });

async function userInRoom() {
  const user = await createUser(platform);
  const roomName = `persona_${randomBytes(5).toString('hex')}`;
  await platform.db.transaction((tx) =>
    grantSeconds(tx, { userId: user.id, seconds: 3600, kind: 'admin_grant', expiresAt: new Date(platform.clock.now().getTime() + 86400_000), reference: `test:${user.id}`, now: platform.clock.now() }),
  );
  await startTimeSession(platform, { userId: user.id, sessionId: `s_${roomName}`, roomName });
  return { user, roomName };
}

const sessionStatus = async (roomName: string) =>
  (await platform.db.query<{ status: string; billed_seconds: number | null }>(`SELECT status, billed_seconds FROM time_sessions WHERE room_name = $1`, [roomName]))[0];

describe('POST /webhooks/livekit', () => {
  it('ends the owner’s time session when they leave the room, once, however often delivered', async () => {
    const { user, roomName } = await userInRoom();
    platform.clock.advance(120);
    const e = await livekitEvent({ event: 'participant_left', room: { name: roomName }, participant: { identity: user.id } });
    const res = await deliver(e);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'received', event: 'participant_left', ended_sessions: 1 });
    expect(await sessionStatus(roomName)).toEqual({ status: 'completed', billed_seconds: 120 });
    expect(await ledgerSeconds(platform, user.id)).toBe(3600 - 120);

    platform.clock.advance(60);
    const again = await deliver(e);
    expect(again.json()).toMatchObject({ duplicate: true, ended_sessions: 0 });
    expect(await ledgerSeconds(platform, user.id)).toBe(3600 - 120);
    // The client's own end afterwards returns the same, already billed, result.
    const end = await app.inject({ method: 'POST', url: '/time/session/end', headers: user.auth, payload: { session_id: `s_${roomName}`, duration_seconds: 999 } });
    expect(end.statusCode).toBe(200);
    expect(end.json().duration_seconds).toBe(120);
    expect(await ledgerSeconds(platform, user.id)).toBe(3600 - 120);
  });

  it('ends the session when the room finishes', async () => {
    const { roomName } = await userInRoom();
    platform.clock.advance(30);
    const res = await deliver(await livekitEvent({ event: 'room_finished', room: { name: roomName } }));
    expect(res.json().ended_sessions).toBe(1);
    expect((await sessionStatus(roomName))?.status).toBe('completed');
  });

  it('keeps billing when someone other than the owner (the agent) leaves', async () => {
    const { roomName } = await userInRoom();
    const res = await deliver(await livekitEvent({ event: 'participant_left', room: { name: roomName }, participant: { identity: 'agent-mindbot' } }));
    expect(res.json().ended_sessions).toBe(0);
    expect((await sessionStatus(roomName))?.status).toBe('active');
  });

  it('does not end a session started after the event (a late replay of an old event)', async () => {
    const { user, roomName } = await userInRoom();
    const old = await livekitEvent({ event: 'participant_left', room: { name: roomName }, participant: { identity: user.id }, createdAt: String(Math.floor(platform.clock.now().getTime() / 1000) - 600) });
    expect((await deliver(old)).json().ended_sessions).toBe(0);
    expect((await sessionStatus(roomName))?.status).toBe('active');
  });

  it('refuses unsigned, wrongly signed and tampered events with 401 and changes nothing', async () => {
    const { user, roomName } = await userInRoom();
    const e = await livekitEvent({ event: 'room_finished', room: { name: roomName } });
    const unsigned = await deliver({ body: e.body });
    expect(unsigned.statusCode).toBe(401);
    expect(unsigned.json().detail).toMatch(/Authorization/);
    const forged = await livekitEvent({ event: 'room_finished', room: { name: roomName } }, 'x'.repeat(40));
    expect((await deliver(forged)).statusCode).toBe(401);
    const tampered = await deliver({ body: e.body.replace(roomName, `${roomName}x`), authorization: e.authorization });
    expect(tampered.statusCode).toBe(401);
    expect((await sessionStatus(roomName))?.status).toBe('active');
    expect(await ledgerSeconds(platform, user.id)).toBe(3600);
  });

  it('applies the event and its ends in one transaction: a failure midway leaves neither, the redelivery applies it once', async () => {
    const { user, roomName } = await userInRoom();
    // The user's second live session in the same room, where the configuration allows two.
    const twoLive = { ...platform, config: { ...platform.config, MAX_ACTIVE_SESSIONS_PER_USER: 2 } };
    await startTimeSession(twoLive, { userId: user.id, sessionId: `s2_${roomName}`, roomName });
    platform.clock.advance(90);
    const e = await livekitEvent({ event: 'participant_left', room: { name: roomName }, participant: { identity: user.id } });

    // A database whose second session end fails (the connection lost after the first succeeded).
    let ends = 0;
    const failSecondEnd = (q: Queryable): Queryable['query'] => (text, params) => {
      if (text.includes('time_session_end') && ++ends === 2) return Promise.reject(new Error('connection lost'));
      return q.query(text, params);
    };
    const failing: Database = {
      ...platform.db,
      query: failSecondEnd(platform.db),
      transaction: (fn) => platform.db.transaction((tx) => fn({ ...tx, query: failSecondEnd(tx) })),
    };
    await expect(handleLiveKitWebhook({ ...platform, db: failing }, e.body, e.authorization)).rejects.toThrow('connection lost');
    expect(await platform.db.query(`SELECT id FROM livekit_events WHERE id = $1`, [JSON.parse(e.body).id])).toEqual([]);
    const statuses = async () => (await platform.db.query<{ status: string }>(`SELECT status FROM time_sessions WHERE room_name = $1 ORDER BY id`, [roomName])).map((r) => r.status);
    expect(await statuses()).toEqual(['active', 'active']);
    expect(await ledgerSeconds(platform, user.id)).toBe(3600);

    const retry = await deliver(e);
    expect(retry.json()).toMatchObject({ duplicate: false, ended_sessions: 2 });
    expect(await statuses()).toEqual(['completed', 'completed']);
    expect(await ledgerSeconds(platform, user.id)).toBe(3600 - 2 * 90);
    expect((await deliver(e)).json()).toMatchObject({ duplicate: true, ended_sessions: 0 });
    expect(await ledgerSeconds(platform, user.id)).toBe(3600 - 2 * 90);
  });
});
