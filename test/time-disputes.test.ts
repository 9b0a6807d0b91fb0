import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { ledgerSeconds } from './support/accounts.js';
import { deliverEvent, signedEvent } from './support/fake-stripe/index.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

// Time cards bought through the simulated provider (paid by its signed webhook), then
// disputed by signed charge.dispute.* events as Stripe sends them.
let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

interface Bought {
  time_card_id: string;
  payment_intent_id: string;
  activation_code: string;
}

async function buy(user: TestUser): Promise<Bought> {
  const res = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } });
  expect(res.statusCode).toBe(200);
  await platform.payments.flush();
  return res.json();
}
const activate = (user: TestUser, code: string) => app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: code } });
const shownSeconds = async (user: TestUser) =>
  Math.round((await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth })).json().balance.total_minutes * 60);
const dispute = (id: string, b: Bought, status: string) => ({
  id,
  object: 'dispute',
  amount: 999,
  currency: 'usd',
  charge: `ch_${b.time_card_id}`,
  payment_intent: b.payment_intent_id,
  reason: 'fraudulent',
  status,
  metadata: {},
});
const send = (type: string, object: Record<string, unknown>) => deliverEvent(app, signedEvent(platform, type, object));

describe('disputed time-card payments', () => {
  it('hold the unspent seconds while open and give them back when the dispute is won', async () => {
    const user = await createUser(platform);
    const b = await buy(user);
    expect((await activate(user, b.activation_code)).statusCode).toBe(200);
    // Spend a minute first: only what is unspent is held.
    await app.inject({ method: 'POST', url: '/time/session/start', headers: user.auth, payload: { session_id: 'd1', room_name: `room_${user.id}` } });
    platform.clock.advance(60);
    await app.inject({ method: 'POST', url: '/time/session/end', headers: user.auth, payload: { session_id: 'd1' } });
    expect(await shownSeconds(user)).toBe(3540);

    const opened = signedEvent(platform, 'charge.dispute.created', dispute('dp_won1', b, 'needs_response'));
    await deliverEvent(app, opened);
    await deliverEvent(app, opened);
    await send('charge.dispute.funds_withdrawn', dispute('dp_won1', b, 'needs_response'));
    expect(await shownSeconds(user)).toBe(0);
    expect(await ledgerSeconds(platform, user.id)).toBe(0);
    const start = await app.inject({ method: 'POST', url: '/time/session/start', headers: user.auth, payload: { session_id: 'd2', room_name: `room_${user.id}` } });
    expect(start.statusCode).toBe(402);
    const listed = (await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth })).json().time_cards;
    expect(listed).toEqual([expect.objectContaining({ id: b.time_card_id, status: 'disputed', remaining_minutes: 0 })]);

    await send('charge.dispute.closed', dispute('dp_won1', b, 'won'));
    await send('charge.dispute.closed', dispute('dp_won1', b, 'won'));
    expect(await shownSeconds(user)).toBe(3540);
    expect(await ledgerSeconds(platform, user.id)).toBe(3540);
    const kinds = await platform.db.query<{ kind: string; seconds: number }>(
      `SELECT kind, seconds FROM ledger_entries WHERE card_id = $1 AND kind LIKE 'dispute%' ORDER BY id`, [b.time_card_id]);
    expect(kinds).toEqual([{ kind: 'dispute_hold', seconds: -3540 }, { kind: 'dispute_release', seconds: 3540 }]);
  });

  it('keep the seconds gone when the dispute is lost, and a disputed unused card cannot be activated', async () => {
    const user = await createUser(platform);
    const used = await buy(user);
    await activate(user, used.activation_code);
    const unused = await buy(user);
    await send('charge.dispute.created', dispute('dp_lost1', used, 'needs_response'));
    await send('charge.dispute.created', dispute('dp_lost2', unused, 'needs_response'));
    await send('charge.dispute.closed', dispute('dp_lost1', used, 'lost'));
    await send('charge.dispute.closed', dispute('dp_lost2', unused, 'lost'));
    expect(await shownSeconds(user)).toBe(0);
    const res = await activate(user, unused.activation_code);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/disputed/);
  });

  it('apply in any order: a closing that arrives before the opening holds nothing', async () => {
    const user = await createUser(platform);
    const b = await buy(user);
    await activate(user, b.activation_code);
    platform.clock.advance(5);
    await send('charge.dispute.closed', dispute('dp_order1', b, 'warning_closed'));
    await send('charge.dispute.created', dispute('dp_order1', b, 'warning_needs_response'));
    expect(await shownSeconds(user)).toBe(3600);
    expect(await ledgerSeconds(platform, user.id)).toBe(3600);
  });

  it('ignore disputes of payments that are not time cards', async () => {
    const res = await send('charge.dispute.created', { ...dispute('dp_other1', { time_card_id: 'x', payment_intent_id: 'pi_unknown', activation_code: '' }, 'needs_response') });
    expect(res.statusCode).toBe(200);
    expect(await platform.db.query(`SELECT 1 FROM payment_disputes WHERE id = 'dp_other1'`)).toHaveLength(0);
  });
});
