import type { Queryable } from '../../db/database.js';

/**
 * The ledger's invariants as queries any database can answer (docs/ledger.md): each names
 * the rows that break it. `npm run reconcile` runs them on DATABASE_URL; tests and
 * `npm run load` run them after their traffic.
 */
export interface Mismatch {
  check: string;
  /** The user, card, session or payment concerned. */
  subject: string;
  detail: string;
}

const CHECKS: { check: string; sql: string }[] = [
  {
    // Every card's unspent seconds are what its ledger entries add up to.
    check: 'card_matches_ledger',
    sql: `SELECT c.id AS subject, 'remaining ' || c.remaining_seconds || ' s, ledger ' || COALESCE(SUM(e.seconds), 0) || ' s' AS detail
            FROM time_cards c LEFT JOIN ledger_entries e ON e.card_id = c.id
           WHERE c.user_id IS NOT NULL
           GROUP BY c.id HAVING c.remaining_seconds <> COALESCE(SUM(e.seconds), 0)`,
  },
  {
    // Per user: credits − debits − expired − refunded − held = balance ≥ 0.
    check: 'user_balance',
    sql: `WITH l AS (SELECT user_id, SUM(seconds) AS ledger FROM ledger_entries GROUP BY user_id),
               c AS (SELECT user_id, SUM(remaining_seconds) AS cards FROM time_cards WHERE user_id IS NOT NULL GROUP BY user_id)
          SELECT COALESCE(l.user_id, c.user_id) AS subject,
                 'ledger ' || COALESCE(l.ledger, 0) || ' s, cards hold ' || COALESCE(c.cards, 0) || ' s' AS detail
            FROM l FULL JOIN c ON c.user_id = l.user_id
           WHERE COALESCE(l.ledger, 0) <> COALESCE(c.cards, 0) OR COALESCE(l.ledger, 0) < 0`,
  },
  {
    // One debit per session: a completed session's debits are its charge; a live one has none.
    check: 'session_debited_once',
    sql: `SELECT s.id AS subject, s.status || ', charged ' || COALESCE(s.charged_seconds, 0) || ' s, debited ' || COALESCE(-SUM(e.seconds), 0) || ' s' AS detail
            FROM time_sessions s LEFT JOIN ledger_entries e ON e.time_session_id = s.id AND e.kind = 'session_debit'
           GROUP BY s.id
          HAVING (s.status = 'completed' AND COALESCE(-SUM(e.seconds), 0) <> COALESCE(s.charged_seconds, 0))
              OR (s.status <> 'completed' AND COUNT(e.id) > 0)
              OR bool_or(e.user_id IS NOT NULL AND e.user_id <> s.user_id)`,
  },
  {
    // Paid minutes were paid for: a bought card past payment has its succeeded payment, at its price.
    check: 'card_paid_for',
    sql: `SELECT c.id AS subject, c.status || ' card of ' || c.amount_cents || ' cents, payments ' || COALESCE(SUM(p.amount_cents), 0) AS detail
            FROM time_cards c LEFT JOIN payment_history p ON p.reference = c.id AND p.status = 'succeeded' AND p.purpose = 'time_card_purchase'
           WHERE c.kind = 'purchase' AND c.status IN ('paid', 'active', 'expired', 'disputed') AND c.amount_cents > 0
           GROUP BY c.id HAVING COALESCE(SUM(p.amount_cents), 0) <> c.amount_cents`,
  },
  {
    // And every succeeded card payment bought a card that was fulfilled.
    check: 'payment_fulfilled',
    sql: `SELECT p.payment_intent_id AS subject, 'payment of ' || p.amount_cents || ' cents for ' || COALESCE(c.status, 'no card') AS detail
            FROM payment_history p LEFT JOIN time_cards c ON c.id = p.reference
           WHERE p.status = 'succeeded' AND p.purpose = 'time_card_purchase'
             AND (c.id IS NULL OR c.status IN ('pending_payment', 'failed') OR c.amount_cents <> p.amount_cents)`,
  },
  {
    // A refunded share leaves only what the unrefunded money allows.
    check: 'refund_share',
    sql: `SELECT c.id AS subject, 'remaining ' || c.remaining_seconds || ' s after ' || c.refunded_cents || ' of ' || c.amount_cents || ' cents refunded' AS detail
            FROM time_cards c
           WHERE c.user_id IS NOT NULL AND c.refunded_cents > 0 AND c.amount_cents > 0 AND c.status IN ('active', 'refunded')
             AND c.remaining_seconds > c.total_seconds - ceil(c.total_seconds::numeric * c.refunded_cents / c.amount_cents)`,
  },
];

/** Every mismatch in the database (empty: the ledger reconciles). */
export async function reconcile(q: Queryable): Promise<Mismatch[]> {
  const found: Mismatch[] = [];
  for (const { check, sql } of CHECKS) {
    const rows = await q.query<{ subject: string; detail: string }>(sql);
    for (const r of rows) found.push({ check, subject: String(r.subject), detail: r.detail });
  }
  return found;
}
