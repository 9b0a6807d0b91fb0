import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { PaymentProviderError } from '../src/integrations/payments/provider.js';
import { reconcile } from '../src/services/time/reconcile.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const buy = (user: TestUser, key: string) =>
  app.inject({ method: 'POST', url: '/time/purchase', headers: { ...user.auth, 'idempotency-key': key }, payload: { package_id: 'starter_1h' } });

/**
 * What a process killed inside the request leaves: the key's claim still in flight, from a
 * minute ago (`test/kill-restart.test.ts` does it for real, with kill -9).
 */
async function crashedMidway(user: TestUser, key: string) {
  await platform.db.query(
    `UPDATE idempotency_keys SET status = 'in_flight', response_status = NULL, response_body = NULL, created_at = created_at - interval '61 seconds'
      WHERE user_id = $1 AND key = $2`,
    [user.id, key],
  );
}

const cardsOf = async (user: TestUser) =>
  (await platform.db.query<{ id: string }>(`SELECT id FROM time_cards WHERE purchaser_user_id = $1 ORDER BY id`, [user.id])).map((c) => c.id);

describe('a purchase retried after a crash inside it', () => {
  it('answers 409 while the crashed claim is recent', async () => {
    const user = await createUser(platform);
    expect((await buy(user, 'recent')).statusCode).toBe(200);
    await platform.db.query(`UPDATE idempotency_keys SET status = 'in_flight' WHERE user_id = $1 AND key = 'recent'`, [user.id]);
    const again = await buy(user, 'recent');
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('idempotency_in_progress');
  });

  it('resumes the card and payment the crashed run made, once its claim is stale', async () => {
    const user = await createUser(platform);
    const first = (await buy(user, 'after-payment')).json();
    await crashedMidway(user, 'after-payment');
    const retried = await buy(user, 'after-payment');
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toEqual(first);
    expect(await cardsOf(user)).toEqual([first.time_card_id]);
  });

  it('makes the card again under the same id when the run before made no payment', async () => {
    // A run that stopped between its card and its payment: here the provider fails once, which
    // leaves the same pending card without a payment (and stores nothing for the key).
    const user = await createUser(platform);
    const create = platform.payments.createPaymentIntent;
    platform.payments.createPaymentIntent = async () => {
      throw new PaymentProviderError('unreachable');
    };
    const failed = await buy(user, 'before-payment');
    platform.payments.createPaymentIntent = create;
    expect(failed.statusCode).toBe(503);
    const left = await cardsOf(user);
    expect(left).toHaveLength(1);
    const retried = (await buy(user, 'before-payment')).json();
    expect(retried.time_card_id).toBe(left[0]);
    await platform.payments.flush();
    expect(await cardsOf(user)).toEqual(left);
    const payments = (await app.inject({ method: 'GET', url: '/payments', headers: user.auth })).json().payments as { id: string }[];
    expect(payments.map((p) => p.id)).toEqual([retried.payment_intent_id]);
    expect(await reconcile(platform.db)).toEqual([]);
  });

  it('buys a second card for a second key', async () => {
    const user = await createUser(platform);
    const one = (await buy(user, 'k1')).json();
    const two = (await buy(user, 'k2')).json();
    expect(two.time_card_id).not.toBe(one.time_card_id);
    expect(two.payment_intent_id).not.toBe(one.payment_intent_id);
  });
});
