import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { grantSeconds } from '../src/services/time/ledger.js';
import { onPostgres } from './support/database.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

// GET /time/balance is kept between changes (src/services/time/cards.ts, balanceBody). What
// a user sees must still be the truth: every change to a card shows on the next reads.

let platform: TestPlatform;
let app: App;

beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const balance = async (u: TestUser) => {
  const res = await app.inject({ url: '/time/balance', headers: u.auth });
  expect(res.statusCode).toBe(200);
  return res.json() as { balance: { total_minutes: number; active_cards: number }; time_cards: { id: string; status: string }[] };
};
const minutes = async (u: TestUser) => (await balance(u)).balance.total_minutes;

/** `seconds` on a new admin-granted card expiring `validSeconds` from now. */
async function grant(u: TestUser, seconds: number, validSeconds = 30 * 86400) {
  const now = platform.clock.now();
  await platform.db.transaction((tx) =>
    grantSeconds(tx, { userId: u.id, seconds, kind: 'admin_grant', expiresAt: new Date(now.getTime() + validSeconds * 1000), reference: `bc_${randomBytes(6).toString('hex')}`, now }),
  );
}

/** A change on another connection shows once its notice arrives: at its commit on PGlite, a moment later on Postgres. */
const soon = async <T>(read: () => Promise<T>, expected: T) => {
  if (onPostgres) await expect.poll(read, { timeout: 10_000 }).toEqual(expected);
  else expect(await read()).toEqual(expected);
};

describe('GET /time/balance, kept between changes', () => {
  it('a card changed with plain SQL shows as soon as its notice is heard', async () => {
    const u = await createUser(platform);
    await grant(u, 600);
    expect(await minutes(u)).toBe(10);
    expect(await minutes(u)).toBe(10);
    await platform.db.query('UPDATE time_cards SET remaining_seconds = 240 WHERE user_id = $1', [u.id]);
    await soon(() => minutes(u), 4);
  });

  it("a card bought for someone else leaves the buyer's list when another user activates it", async () => {
    const buyer = await createUser(platform);
    const friend = await createUser(platform);
    const [tier] = await platform.db.query<{ id: string }>('SELECT id FROM pricing_tiers ORDER BY id LIMIT 1');
    const hex = randomBytes(6).toString('hex').toUpperCase();
    const code = `${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8)}`;
    const cardId = `tc_${randomBytes(8).toString('hex')}`;
    await platform.db.query(
      `INSERT INTO time_cards (id, kind, purchaser_user_id, tier_id, activation_code, status, total_seconds, remaining_seconds, amount_cents, currency, created_at)
       VALUES ($1, 'purchase', $2, $3, $4, 'paid', 3600, 3600, 499, 'usd', $5)`,
      [cardId, buyer.id, tier!.id, code, platform.clock.now()],
    );
    await soon(async () => (await balance(buyer)).time_cards.map((c) => c.status), ['paid']);

    const activated = await app.inject({ method: 'POST', url: '/time/activate', headers: friend.auth, payload: { activation_code: code } });
    expect(activated.statusCode).toBe(200);
    // The friend made the change: their next read shows it, notice or not.
    expect((await balance(friend)).time_cards.map((c) => c.id)).toEqual([cardId]);
    await soon(async () => (await balance(buyer)).time_cards.length, 0);
  });

  it('a user who has just asked for a change reads the database, even when no notice came', async () => {
    const u = await createUser(platform);
    await grant(u, 600);
    expect(await minutes(u)).toBe(10);
    // A change that sends no notice (triggers off for this transaction): the kept body stays.
    await platform.db.transaction(async (tx) => {
      await tx.query(`SET LOCAL session_replication_role = replica`);
      await tx.query('UPDATE time_cards SET remaining_seconds = 120 WHERE user_id = $1', [u.id]);
    });
    expect(await minutes(u)).toBe(10);
    // Any request of theirs that may change something (this one is refused) ends what was kept.
    const refused = await app.inject({ method: 'POST', url: '/time/session/end', headers: u.auth, payload: { session_id: 'ses_none' } });
    expect(refused.statusCode).toBeGreaterThanOrEqual(400);
    expect(await minutes(u)).toBe(2);
  });

  it('a card lapses on time: the kept body is not served past the first expiry', async () => {
    const u = await createUser(platform);
    await grant(u, 600, 10);
    expect((await balance(u)).balance.active_cards).toBe(1);
    expect(await minutes(u)).toBe(10);
    platform.clock.advance(11);
    const after = await balance(u);
    expect(after.balance.total_minutes).toBe(0);
    expect(after.time_cards.map((c) => c.status)).toEqual(['expired']);
  });

  it("one user's kept body is never another's", async () => {
    const a = await createUser(platform);
    const b = await createUser(platform);
    await grant(a, 600);
    await grant(b, 1200);
    expect([await minutes(a), await minutes(b), await minutes(a), await minutes(b)]).toEqual([10, 20, 10, 20]);
  });
});
