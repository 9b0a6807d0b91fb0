import { loadConfig } from '../config.js';
import { openDatabase } from '../db/open.js';
import { reconcile } from '../services/time/reconcile.js';

/** `npm run reconcile`: the ledger invariants on DATABASE_URL (or the local PGlite); exits 1 listing every mismatch. */
async function main(): Promise<number> {
  const db = await openDatabase(loadConfig());
  try {
    const mismatches = await reconcile(db);
    if (mismatches.length === 0) {
      console.log('reconcile: every ledger invariant holds.');
      return 0;
    }
    for (const m of mismatches) console.log(`${m.check}\t${m.subject}\t${m.detail}`);
    console.log(`reconcile: ${mismatches.length} mismatch(es).`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`reconcile failed: ${(err as Error).message}`);
    process.exit(2);
  },
);
