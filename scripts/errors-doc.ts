/**
 * Renders docs/errors.md from the error catalogue (src/http/errors.ts).
 * `npm run docs:errors` writes it; test/errors-doc.test.ts checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ERRORS } from '../src/http/errors.js';

export const ERRORS_DOC = fileURLToPath(new URL('../docs/errors.md', import.meta.url));

export function renderErrorsDoc(): string {
  const rows = Object.entries(ERRORS)
    .sort(([a, x], [b, y]) => x.status - y.status || a.localeCompare(b))
    .map(([code, e]) => `| ${e.status} | \`${code}\` | ${e.description} |`);
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/http/errors.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every 4xx/5xx answer has the body `{ "detail": "…", "code": "…" }`: `detail` is a sentence',
    'to show a person, `code` a stable identifier to branch on. The same reason has the same',
    'code on every endpoint. `validation_failed` adds `errors`: one `{ "field", "message" }` per',
    'failing field, with `allowed` listing the accepted values of an enum field.',
    '',
    '| Status | Code | Meaning |',
    '| --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(ERRORS_DOC, renderErrorsDoc());
  console.log('docs/errors.md written.');
}
