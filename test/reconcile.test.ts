import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { reconcile } from '../src/services/time/reconcile.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

describe('reconcile', () => {
  it('finds nothing after buying, activating and a session, and names each row that breaks an invariant', async () => {
    const user = await createUser(platform);
    const bought = (await app.inject({ method: 'POST', url: '/time/purchase', headers: user.auth, payload: { package_id: 'starter_1h', payment_method_id: 'pm_card_visa' } })).json();
    await platform.payments.flush();
    await app.inject({ method: 'POST', url: '/time/activate', headers: user.auth, payload: { activation_code: bought.activation_code } });
    await app.inject({ method: 'POST', url: '/time/session/start', headers: user.auth, payload: { session_id: 's1', room_name: `room_${user.id}` } });
    platform.clock.advance(90);
    await app.inject({ method: 'POST', url: '/time/session/end', headers: user.auth, payload: { session_id: 's1' } });
    expect(await reconcile(platform.db)).toEqual([]);

    // Seconds appearing on a card without a ledger entry: the card and its user are named.
    await platform.db.query(`UPDATE time_cards SET remaining_seconds = remaining_seconds + 60 WHERE id = $1`, [bought.time_card_id]);
    const found = await reconcile(platform.db);
    expect(found.map((m) => [m.check, m.subject])).toEqual([
      ['card_matches_ledger', bought.time_card_id],
      ['user_balance', user.id],
    ]);
    await platform.db.query(`UPDATE time_cards SET remaining_seconds = remaining_seconds - 60 WHERE id = $1`, [bought.time_card_id]);
    expect(await reconcile(platform.db)).toEqual([]);
  });
});
