// Prints one closing line over both database runs: "vitest: N passed, N failed, N skipped".
import { readFileSync } from 'node:fs';

let passed = 0, failed = 0, skipped = 0;
for (const run of ['pglite', 'postgres']) {
  const r = JSON.parse(readFileSync(`.test-results/${run}.json`, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests + r.numTodoTests;
  console.log(`${run}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
console.log(`vitest: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
