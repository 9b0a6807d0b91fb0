import fc from 'fast-check';
import { reconcile } from '../src/services/time/reconcile.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../src/http/errors.js';
import { signStripePayload } from '../src/integrations/stripe/client.js';
import { activateCard } from '../src/services/time/cards.js';
import { getBalance, grantSeconds } from '../src/services/time/ledger.js';
import { purchaseTimeCard } from '../src/services/time/purchase.js';
import { endTimeSession, startBilling, startTimeSession } from '../src/services/time/session-billing.js';
import { sweepOnce } from '../src/services/time/sweeper.js';
import { handleStripeWebhook } from '../src/services/webhooks/stripe.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await createTestPlatform({ MAX_ACTIVE_SESSIONS_PER_USER: '2' });
});
afterAll(async () => {
  await platform.db.close();
});

const who = fc.integer({ min: 0, max: 1 });
const command = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('purchase' as const), who, tier: fc.constantFrom('starter_1h', 'basic_5h'), declined: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('activate' as const), who, card: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('grant' as const), who, seconds: fc.integer({ min: 1, max: 5000 }), days: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('start' as const), who, multiplier: fc.constantFrom(0.5, 0.8, 1, 1.5, 3), discount: fc.constantFrom(0, 25, 50), joined: fc.constantFrom(true, true, false) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('end' as const), session: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('advance' as const), seconds: fc.oneof(fc.integer({ min: 1, max: 7200 }), fc.integer({ min: 86_400, max: 400 * 86_400 })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('sweep' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('refund' as const), card: fc.nat(5), cents: fc.integer({ min: 1, max: 4499 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dispute' as const), card: fc.nat(5), outcome: fc.constantFrom('open', 'won', 'lost') }) },
);

/** Refusals a user can legitimately meet (402, 404, 409); anything else fails the property. */
async function tolerate(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500 || err.status === 422) throw err;
  }
}

/** A Stripe event, signed, into the webhook handler. */
async function deliver(type: string, object: Record<string, unknown>): Promise<void> {
  const payload = JSON.stringify({
    id: `evt_${Math.random().toString(36).slice(2)}`,
    object: 'event',
    type,
    created: Math.floor(platform.clock.now().getTime() / 1000),
    data: { object },
  });
  await handleStripeWebhook(platform, Buffer.from(payload), signStripePayload(payload, platform.secrets.stripeWebhookSecret));
}

describe('ledger property', () => {
  it('credits − debits − expired − refunded − held by disputes = balance ≥ 0 for every user, for any sequence', async () => {
    let run = 0;
    let disputes = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 30 }), async (commands) => {
        run++;
        const users = [await createUser(platform), await createUser(platform)];
        const cards: { id: string; code: string; pi: string; amount: number }[] = [];
        const sessions: { userId: string; sessionId: string }[] = [];
        // Every sequence starts from a funded pair of users, so the random part has something to move.
        const prologue: typeof commands = [
          { op: 'purchase', who: 0, tier: 'starter_1h', declined: false },
          { op: 'activate', who: 0, card: 0 },
          { op: 'grant', who: 1, seconds: 900, days: 30 },
          { op: 'dispute', card: 0, outcome: 'won' },
        ];
        for (const c of [...prologue, ...commands]) {
          if (c.op === 'purchase') {
            await tolerate(
              purchaseTimeCard(platform, { userId: users[c.who]!.id, packageId: c.tier, paymentMethodId: c.declined ? 'pm_card_chargeDeclined' : undefined }).then((b) => {
                cards.push({ id: b.time_card_id, code: b.activation_code, pi: b.payment_intent_id, amount: c.tier === 'starter_1h' ? 999 : 4499 });
              }),
            );
            await platform.payments.flush();
          } else if (c.op === 'activate' && cards.length > 0) {
            await tolerate(activateCard(platform, users[c.who]!.id, cards[c.card % cards.length]!.code));
          } else if (c.op === 'grant') {
            const expiresAt = new Date(platform.clock.now().getTime() + c.days * 86_400_000);
            await platform.db.transaction((tx) =>
              grantSeconds(tx, { userId: users[c.who]!.id, seconds: c.seconds, kind: 'admin_grant', expiresAt, reference: `p${run}-${Math.random()}`, now: platform.clock.now() }),
            );
          } else if (c.op === 'start') {
            const sessionId = `s${sessions.length}`;
            sessions.push({ userId: users[c.who]!.id, sessionId });
            await tolerate(
              startTimeSession(platform, {
                userId: users[c.who]!.id,
                sessionId,
                roomName: `prop_${users[c.who]!.id}_${sessionId}`,
                persona: { slug: 'p', costMultiplier: c.multiplier, sessionLimitMinutes: null },
                discountPercent: c.discount,
              // A persona session bills once the user and the agent are in the room; some never are (no-shows).
              }).then((s) => (c.joined ? startBilling(platform, s.timeSessionId) : null)),
            );
          } else if (c.op === 'end' && sessions.length > 0) {
            await tolerate(endTimeSession(platform, sessions[sessions.length - 1 - (c.session % sessions.length)]!));
          } else if (c.op === 'advance') {
            platform.clock.advance(c.seconds);
          } else if (c.op === 'sweep') {
            await sweepOnce(platform);
          } else if (c.op === 'refund' && cards.length > 0) {
            const card = cards[c.card % cards.length]!;
            await deliver('charge.refunded', {
              id: `ch_${card.id}`, object: 'charge', amount: card.amount, amount_refunded: Math.min(c.cents, card.amount), currency: 'usd', payment_intent: card.pi, metadata: {},
            });
          } else if (c.op === 'dispute' && cards.length > 0) {
            const card = cards[c.card % cards.length]!;
            const id = `dp_${run}x${disputes++}`;
            const dispute = (status: string) => ({ id, object: 'dispute', amount: card.amount, currency: 'usd', charge: `ch_${card.id}`, payment_intent: card.pi, status, metadata: {} });
            await deliver('charge.dispute.created', dispute('needs_response'));
            if (c.outcome !== 'open') await deliver('charge.dispute.closed', dispute(c.outcome));
          }
        }
        await sweepOnce(platform);
        for (const u of users) {
          const [sums] = await platform.db.query<Record<string, number | string>>(
            `SELECT COALESCE(SUM(seconds) FILTER (WHERE seconds > 0), 0) AS credits,
                    COALESCE(-SUM(seconds) FILTER (WHERE kind = 'session_debit'), 0) AS debits,
                    COALESCE(-SUM(seconds) FILTER (WHERE kind = 'expiry'), 0) AS expired,
                    COALESCE(-SUM(seconds) FILTER (WHERE kind = 'refund_reversal'), 0) AS refunded,
                    COALESCE(-SUM(seconds) FILTER (WHERE kind = 'dispute_hold'), 0) AS held
               FROM ledger_entries WHERE user_id = $1`,
            [u.id],
          );
          const { credits, debits, expired, refunded, held } = Object.fromEntries(Object.entries(sums!).map(([k, v]) => [k, Number(v)]));
          const balance = (await getBalance(platform.db, u.id, platform.clock.now())).totalSeconds;
          expect(balance).toBeGreaterThanOrEqual(0);
          expect(credits! - debits! - expired! - refunded! - held!).toBe(balance);
          const [perCard] = await platform.db.query<{ bad: number | string }>(
            `SELECT COUNT(*) AS bad FROM time_cards c
              WHERE c.user_id = $1
                AND c.remaining_seconds <> (SELECT COALESCE(SUM(seconds), 0) FROM ledger_entries e WHERE e.card_id = c.id)`,
            [u.id],
          );
          expect(Number(perCard!.bad)).toBe(0);
        }
        expect(await reconcile(platform.db)).toEqual([]);
      }),
      { numRuns: 30 },
    );
    // The sequences did reach every kind of movement (the property is not vacuous).
    const kinds = await platform.db.query<{ kind: string }>(`SELECT DISTINCT kind FROM ledger_entries ORDER BY kind`);
    expect(kinds.map((k) => k.kind)).toEqual(['activation', 'admin_grant', 'dispute_hold', 'dispute_release', 'expiry', 'refund_reversal', 'session_debit']);
  }, 240_000);
});
