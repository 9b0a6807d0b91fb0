import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readBalanceBody } from '../src/services/time/cards.js';
import { balanceBody, getBalance, grantSeconds, toHours, toMinutes } from '../src/services/time/ledger.js';
import { BalanceResponse } from '../src/services/time/schemas.js';
import { endTimeSession, startBilling, startTimeSession, type StartHook } from '../src/services/time/session-billing.js';
import { startSweeper, sweepOnce } from '../src/services/time/sweeper.js';
import { ledgerSeconds } from './support/accounts.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;
const DAY = 86_400_000;

// Each test gets a fresh platform and manual clock: one test's jump in time never reaches another.
beforeEach(async () => {
  platform = await createTestPlatform({ MAX_ACTIVE_SESSIONS_PER_USER: '20' });
});
afterEach(async () => {
  await platform.db.close();
});

const now = () => platform.clock.now();
const inDays = (d: number) => new Date(now().getTime() + d * DAY);
const grant = (userId: string, seconds: number, days: number, reference: string) =>
  platform.db.transaction((tx) => grantSeconds(tx, { userId, seconds, kind: 'admin_grant', expiresAt: inDays(days), reference, now: now() }));
const balance = async (userId: string) => (await getBalance(platform.db, userId, now())).totalSeconds;
/** Starts a session whose conversation begins at once (a persona session bills from when the user and the agent are both in). */
const session = async (userId: string, sessionId: string, extra: Partial<Parameters<typeof startTimeSession>[1]> = {}, hook?: Parameters<typeof startTimeSession>[2]) => {
  const started = await startTimeSession(platform, { userId, sessionId, roomName: `r_${userId}_${sessionId}`, ...extra }, hook);
  await startBilling(platform, started.timeSessionId);
  return started;
};

describe('the ledger', () => {
  it('draws from the card expiring first (ties: the older) and spans cards', async () => {
    const u = await createUser(platform);
    await grant(u.id, 100, 10, `${u.id}-late`);
    await grant(u.id, 50, 5, `${u.id}-early-old`);
    platform.clock.advance(1);
    await grant(u.id, 50, 5, `${u.id}-early-new`);
    await session(u.id, 's');
    platform.clock.advance(120);
    await endTimeSession(platform, { userId: u.id, sessionId: 's' });
    const cards = await platform.db.query<{ reference: string; remaining_seconds: number }>(
      `SELECT reference, remaining_seconds FROM time_cards WHERE user_id = $1 ORDER BY reference`, [u.id]);
    expect(cards).toEqual([
      { reference: `${u.id}-early-new`, remaining_seconds: 0 },
      { reference: `${u.id}-early-old`, remaining_seconds: 0 },
      { reference: `${u.id}-late`, remaining_seconds: 80 },
    ]);
    expect(await balance(u.id)).toBe(80);
    expect(await ledgerSeconds(platform, u.id)).toBe(80);
  });

  it('the balance body built by the database matches the schema and getBalance, also past the listed 100 cards', async () => {
    // The documented response schema, checked as Fastify checks schemas (Ajv with formats);
    // timestamps exactly as Date#toISOString writes them, like every other body of the API.
    const matchesSchema = addFormats.default(new Ajv({ allErrors: true })).compile(BalanceResponse);
    const listedBody = async (userId: string) => {
      const body: unknown = JSON.parse((await readBalanceBody(platform.db, userId, now())).value);
      expect(matchesSchema(body), JSON.stringify(matchesSchema.errors)).toBe(true);
      const stamps = JSON.stringify(body).match(/"\d{4}-[^"]*"/g) ?? [];
      for (const s of stamps) expect(s).toMatch(/^"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"$/);
      return body as typeof BalanceResponse.static;
    };
    const u = await createUser(platform);
    await platform.db.transaction(async (tx) => {
      for (let i = 0; i < 102; i++) {
        await grantSeconds(tx, { userId: u.id, seconds: 10 + i, kind: 'ad_reward', expiresAt: inDays(1 + (i % 7)), reference: `${u.id}-${i}`, now: now() });
      }
    });
    const listed = await listedBody(u.id);
    expect(listed.time_cards).toHaveLength(100);
    expect(listed.balance).toEqual(balanceBody(await getBalance(platform.db, u.id, now())));
    expect((await getBalance(platform.db, u.id, now())).totalSeconds).toBe(102 * 10 + (101 * 102) / 2);

    const few = await createUser(platform);
    await grant(few.id, 50, 3, `${few.id}-a`);
    await grant(few.id, 70, 2, `${few.id}-b`);
    await grant(few.id, 90, -1, `${few.id}-lapsed`);
    const small = await listedBody(few.id);
    expect(small.balance).toEqual(balanceBody(await getBalance(platform.db, few.id, now())));
    expect(await getBalance(platform.db, few.id, now())).toEqual({ totalSeconds: 120, activeCards: 2, nextExpiration: inDays(2) });
    // Newest first; a card past its expiry that the sweeper has not reached shows as expired, empty.
    const byMinutes = Object.fromEntries(small.time_cards.map((c) => [c.total_minutes, c]));
    const newestFirst = (cards: typeof small.time_cards) =>
      [...cards].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
    expect(small.time_cards).toEqual(newestFirst(small.time_cards));
    expect(small.time_cards).toHaveLength(3);
    expect(byMinutes[1.5]).toMatchObject({ status: 'expired', remaining_minutes: 0, expires_at: inDays(-1).toISOString() });
    expect(byMinutes[1.17]).toMatchObject({ status: 'active', remaining_minutes: 1.17, expires_at: inDays(2).toISOString() });
  });

  it('minutes and hours rendered by the database are the TypeScript\'s, to the last bit', async () => {
    const rows = await platform.db.query<{ s: number; m: number; h: number }>(
      `SELECT s::integer AS s, time_round2(s, 60) AS m, time_round2(s, 3600) AS h
         FROM (SELECT generate_series(0, 40000) AS s UNION ALL SELECT 2147483647 - generate_series(0, 100)) v`,
    );
    const wrong = rows.filter((r) => r.m !== toMinutes(r.s) || r.h !== toHours(r.s));
    expect(rows.length).toBe(40_102);
    expect(wrong).toEqual([]);
  });

  it('grants are idempotent per reference', async () => {
    const u = await createUser(platform);
    await grant(u.id, 300, 30, `${u.id}-g`);
    await grant(u.id, 300, 30, `${u.id}-g`);
    expect(await balance(u.id)).toBe(300);
    expect(await ledgerSeconds(platform, u.id)).toBe(300);
  });

  it('never debits an expired card; its expiry is an entry of its own', async () => {
    const u = await createUser(platform);
    await grant(u.id, 100, 1, `${u.id}-short`);
    await grant(u.id, 100, 30, `${u.id}-long`);
    platform.clock.advance(2 * 86_400);
    expect(await balance(u.id)).toBe(100);
    await session(u.id, 'after-expiry');
    platform.clock.advance(30);
    await endTimeSession(platform, { userId: u.id, sessionId: 'after-expiry' });
    const entries = await platform.db.query<{ kind: string; seconds: number; reference: string }>(
      `SELECT e.kind, e.seconds, c.reference FROM ledger_entries e JOIN time_cards c ON c.id = e.card_id WHERE e.user_id = $1 ORDER BY e.id`, [u.id]);
    expect(entries).toEqual([
      { kind: 'admin_grant', seconds: 100, reference: `${u.id}-short` },
      { kind: 'admin_grant', seconds: 100, reference: `${u.id}-long` },
      { kind: 'expiry', seconds: -100, reference: `${u.id}-short` },
      { kind: 'session_debit', seconds: -30, reference: `${u.id}-long` },
    ]);
    expect(await ledgerSeconds(platform, u.id)).toBe(70);
  });

  it('the database refuses edits to history and negative balances', async () => {
    const u = await createUser(platform);
    await grant(u.id, 10, 1, `${u.id}-x`);
    await expect(platform.db.query(`UPDATE ledger_entries SET seconds = 999 WHERE user_id = $1`, [u.id])).rejects.toThrow(/append-only/);
    await expect(platform.db.query(`DELETE FROM ledger_entries WHERE user_id = $1`, [u.id])).rejects.toThrow(/append-only/);
    await expect(platform.db.query(`UPDATE time_cards SET remaining_seconds = -1 WHERE user_id = $1`, [u.id])).rejects.toThrow();
    await expect(platform.db.query(`UPDATE time_cards SET remaining_seconds = 11 WHERE user_id = $1`, [u.id])).rejects.toThrow();
    expect(await balance(u.id)).toBe(10);
  });
});

describe('session charges', () => {
  it('multiplies, applies both discounts multiplicatively and rounds up to the second', async () => {
    const u = await createUser(platform);
    await grant(u.id, 10_000, 30, `${u.id}-g`);
    await session(u.id, 'oak', { persona: { slug: 'professor-oak-tutor', costMultiplier: 0.8, sessionLimitMinutes: 90 }, discountPercent: 50 }, async () => 50);
    platform.clock.advance(101);
    const body = await endTimeSession(platform, { userId: u.id, sessionId: 'oak' });
    // 101 s × 0.8 × 0.5 × 0.5 = 20.2 → 21
    expect(body.cost_minutes).toBe(0.35);
    const [row] = await platform.db.query(`SELECT billed_seconds, charged_seconds, saved_seconds, reward_discount_percent FROM time_sessions WHERE user_id = $1`, [u.id]);
    expect(row).toEqual({ billed_seconds: 101, charged_seconds: 21, saved_seconds: 81 - 21, reward_discount_percent: 50 });

    await session(u.id, 'pricey', { persona: { slug: 'x', costMultiplier: 1.5, sessionLimitMinutes: null } });
    platform.clock.advance(7);
    expect((await endTimeSession(platform, { userId: u.id, sessionId: 'pricey' })).cost_minutes).toBe(0.18); // 10.5 → 11 s
  });

  it('refuses a session the balance cannot pay a single second of', async () => {
    const u = await createUser(platform);
    await grant(u.id, 2, 30, `${u.id}-g`);
    await expect(session(u.id, 'dear', { persona: { slug: 'x', costMultiplier: 3, sessionLimitMinutes: null } })).rejects.toMatchObject({ status: 402 });
    await expect(session(u.id, 'cheap', { persona: { slug: 'x', costMultiplier: 2, sessionLimitMinutes: null } })).resolves.toMatchObject({ remainingBalanceSeconds: 2 });
  });

  it('the start hook runs only when the session really starts', async () => {
    const broke = await createUser(platform);
    let calls = 0;
    await expect(session(broke.id, 'no', {}, async () => ++calls)).rejects.toMatchObject({ status: 402 });
    expect(calls).toBe(0);
  });

  it('the start hook sees the new session, and what it writes commits with the session or not at all', async () => {
    const u = await createUser(platform);
    await grant(u.id, 1, 30, `${u.id}-g`);
    const seen: string[] = [];
    const hook: StartHook = async (tx, _at, id) => {
      seen.push(...(await tx.query<{ id: string }>(`SELECT id FROM time_sessions WHERE id = $1`, [id])).map((r) => r.id));
      await tx.query(`UPDATE users SET full_name = 'Hooked' WHERE id = $1`, [u.id]);
      return 0;
    };
    const name = async () => (await platform.db.query<{ full_name: string }>(`SELECT full_name FROM users WHERE id = $1`, [u.id]))[0]!.full_name;
    // One second of balance cannot pay a second at ×3: refused after the hook ran, so it is undone.
    await expect(session(u.id, 'dear', { persona: { slug: 'x', costMultiplier: 3, sessionLimitMinutes: null } }, hook)).rejects.toMatchObject({ status: 402 });
    expect(seen).toHaveLength(1);
    expect(await name()).not.toBe('Hooked');
    const started = await session(u.id, 'fine', {}, hook);
    expect(seen[1]).toBe(started.timeSessionId);
    expect(await name()).toBe('Hooked');
  });

  it('stops at the persona session limit; the sweeper closes sessions at their cap', async () => {
    const u = await createUser(platform);
    await grant(u.id, 10_000, 30, `${u.id}-g`);
    await session(u.id, 'limited', { persona: { slug: 'p', costMultiplier: 1, sessionLimitMinutes: 1 } });
    platform.clock.advance(300);
    expect(await endTimeSession(platform, { userId: u.id, sessionId: 'limited' })).toMatchObject({ duration_seconds: 60, cost_minutes: 1 });

    const poor = await createUser(platform);
    await grant(poor.id, 90, 30, `${poor.id}-g`);
    await session(poor.id, 'forgotten');
    platform.clock.advance(89);
    await sweepOnce(platform);
    expect((await platform.db.query(`SELECT status FROM time_sessions WHERE user_id = $1`, [poor.id]))[0]).toEqual({ status: 'active' });
    platform.clock.advance(1000);
    const swept = await sweepOnce(platform);
    expect(swept.sessionsClosed).toBeGreaterThanOrEqual(1);
    const [row] = await platform.db.query(`SELECT status, billed_seconds, charged_seconds, end_reason FROM time_sessions WHERE user_id = $1`, [poor.id]);
    expect(row).toEqual({ status: 'completed', billed_seconds: 90, charged_seconds: 90, end_reason: 'cap_reached' });
    // The client's late end gets the sweeper's result, not a second charge.
    expect(await endTimeSession(platform, { userId: poor.id, sessionId: 'forgotten' })).toMatchObject({ duration_seconds: 90, cost_minutes: 1.5 });
    expect(await balance(poor.id)).toBe(0);
  });

  it('time bought during a session extends it: the sweeper lets it go on, the end bills all of it', async () => {
    const u = await createUser(platform);
    await grant(u.id, 90, 30, `${u.id}-first`);
    await session(u.id, 'topped');
    platform.clock.advance(60);
    await grant(u.id, 600, 30, `${u.id}-topup`);
    platform.clock.advance(40);
    const swept = await sweepOnce(platform);
    expect(swept.sessionsExtended).toBeGreaterThanOrEqual(1);
    const live = await platform.db.query(`SELECT status, cap_seconds FROM time_sessions WHERE user_id = $1`, [u.id]);
    expect(live).toEqual([{ status: 'active', cap_seconds: 690 }]);
    platform.clock.advance(200);
    // 300 s talked, more than the 90 s the balance held at start: all of it is billed.
    expect(await endTimeSession(platform, { userId: u.id, sessionId: 'topped' })).toMatchObject({ duration_seconds: 300, cost_minutes: 5 });
    expect(await balance(u.id)).toBe(390);
    expect(await ledgerSeconds(platform, u.id)).toBe(390);
  });

  it('a session extended by new time still stops at its limit, and at what the new balance affords', async () => {
    const u = await createUser(platform);
    await grant(u.id, 30, 30, `${u.id}-first`);
    await session(u.id, 'limited', { persona: { slug: 'p', costMultiplier: 2, sessionLimitMinutes: 2 } });
    await grant(u.id, 10_000, 30, `${u.id}-topup`);
    platform.clock.advance(16);
    await sweepOnce(platform);
    platform.clock.advance(1000);
    await sweepOnce(platform);
    const [row] = await platform.db.query(`SELECT status, billed_seconds, charged_seconds, end_reason FROM time_sessions WHERE user_id = $1`, [u.id]);
    expect(row).toEqual({ status: 'completed', billed_seconds: 120, charged_seconds: 240, end_reason: 'cap_reached' });

    const poor = await createUser(platform);
    await grant(poor.id, 20, 30, `${poor.id}-first`);
    await session(poor.id, 'short');
    await grant(poor.id, 25, 30, `${poor.id}-second`);
    platform.clock.advance(100);
    // The end bills what the balance affords now (45 s), not the 20 s it held at start.
    expect(await endTimeSession(platform, { userId: poor.id, sessionId: 'short' })).toMatchObject({ duration_seconds: 45 });
    expect(await balance(poor.id)).toBe(0);
  });

  it('the sweeper worker sweeps on its own until stopped', async () => {
    const u = await createUser(platform);
    await grant(u.id, 30, 30, `${u.id}-g`);
    await session(u.id, 'abandoned');
    platform.clock.advance(120);
    const worker = startSweeper(platform, 10);
    const status = async () => (await platform.db.query<{ status: string }>(`SELECT status FROM time_sessions WHERE user_id = $1`, [u.id]))[0]!.status;
    for (let i = 0; i < 200 && (await status()) === 'active'; i++) await new Promise((r) => setTimeout(r, 10));
    await worker.stop();
    expect(await status()).toBe('completed');
    expect(await balance(u.id)).toBe(0);
  });

  it('concurrent ends of distinct sessions never drive the balance below zero', async () => {
    const u = await createUser(platform);
    await grant(u.id, 100, 30, `${u.id}-a`);
    await grant(u.id, 45, 20, `${u.id}-b`);
    const ids = Array.from({ length: 12 }, (_, i) => `c${i}`);
    for (const id of ids) await session(u.id, id);
    platform.clock.advance(40);
    const bodies = await Promise.all(ids.map((id) => endTimeSession(platform, { userId: u.id, sessionId: id })));
    const charged = bodies.reduce((sum, b) => sum + Math.round(b.cost_minutes * 60), 0);
    expect(charged).toBe(145);
    expect(await balance(u.id)).toBe(0);
    expect(await ledgerSeconds(platform, u.id)).toBe(0);
    const [neg] = await platform.db.query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM time_cards WHERE remaining_seconds < 0`);
    expect(Number(neg!.n)).toBe(0);
  });
});
