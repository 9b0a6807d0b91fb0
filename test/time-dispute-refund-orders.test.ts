import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reconcile } from '../src/services/time/reconcile.js';
import type { App } from '../src/http/app.js';
import { ledgerSeconds } from './support/accounts.js';
import { deliverEvent, signedEvent } from './support/fake-stripe/index.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

// A dispute and a refund of one card, their events in every order: the card ends with the
// seconds its money allows (none once fully refunded or lost, the unrefunded share when the
// dispute closes in MindBot's favour), and the ledger agrees with the balance.
let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const permutations = <T>(xs: T[]): T[][] => (xs.length <= 1 ? [xs] : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
type Step = 'created' | 'refunded' | 'closed';
const cases = (['won', 'warning_closed', 'lost'] as const).flatMap((closing) =>
  [999, 500].flatMap((refund) => permutations<Step>(['created', 'refunded', 'closed']).map((order) => ({ closing, refund, order }))),
);

// starter_1h: 3600 s for 999 cents; a 500-cent refund takes back ceil(3600 × 500 / 999) s.
const allowed = (closing: string, refund: number) => (closing === 'lost' || refund >= 999 ? 0 : 3600 - Math.ceil((3600 * refund) / 999));

describe('dispute and refund events in every order', () => {
  it.each(cases)('closed $closing, refund $refund cents, order $order', async ({ closing, refund, order }) => {
    const user = await createUser(platform);
    const bought = await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } });
    await platform.payments.flush();
    const b = bought.json() as { time_card_id: string; payment_intent_id: string; activation_code: string };
    expect((await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: b.activation_code } })).statusCode).toBe(200);
    const disputeId = `dp_${b.time_card_id.replace(/[^A-Za-z0-9]/g, '')}`;
    const dispute = (status: string) => ({ id: disputeId, object: 'dispute', amount: 999, currency: 'usd', charge: `ch_${b.time_card_id}`, payment_intent: b.payment_intent_id, reason: 'fraudulent', status, metadata: {} });
    const events: Record<Step, () => ReturnType<typeof signedEvent>> = {
      created: () => signedEvent(platform, 'charge.dispute.created', dispute('needs_response')),
      closed: () => signedEvent(platform, 'charge.dispute.closed', dispute(closing)),
      refunded: () => signedEvent(platform, 'charge.refunded', { id: `ch_${b.time_card_id}`, object: 'charge', amount: 999, amount_refunded: refund, refunded: refund >= 999, currency: 'usd', payment_intent: b.payment_intent_id, metadata: {} }),
    };
    const sent = order.map((step) => events[step]());
    for (const e of sent) expect((await deliverEvent(app, e)).statusCode).toBe(200);
    // Delivered again (the same events), in any order, nothing moves.
    for (const e of [...sent].reverse()) expect((await deliverEvent(app, e)).statusCode).toBe(200);

    const balance = (await app.inject({ method: 'GET', url: '/time/balance', headers: user.auth })).json();
    expect(Math.round(balance.balance.total_minutes * 60)).toBe(allowed(closing, refund));
    expect(await ledgerSeconds(platform, user.id)).toBe(allowed(closing, refund));
    expect(await reconcile(platform.db)).toEqual([]);
  });
});
