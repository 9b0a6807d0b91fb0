#!/usr/bin/env node
// The API guide the tests run lives in test/fixtures/api-guide.md, a copy of the spec's
// ../shared/spec/api-guide.md. When the spec is checked out beside the repository, this
// fails if the copy differs (`npm run guide:sync` refreshes it); without the spec it passes.
// `--sync` copies the spec over the fixture instead of checking.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const spec = fileURLToPath(new URL('../../shared/spec/api-guide.md', import.meta.url));
const copy = fileURLToPath(new URL('../test/fixtures/api-guide.md', import.meta.url));

if (!existsSync(spec)) {
  console.log(`No spec at ${spec}; test/fixtures/api-guide.md is used as it is.`);
  process.exit(0);
}
if (process.argv.includes('--sync')) {
  copyFileSync(spec, copy);
  console.log('test/fixtures/api-guide.md updated from the spec.');
  process.exit(0);
}
if (!readFileSync(spec).equals(readFileSync(copy))) {
  console.error('test/fixtures/api-guide.md differs from ../shared/spec/api-guide.md: run `npm run guide:sync`.');
  process.exit(1);
}
console.log('test/fixtures/api-guide.md matches the spec.');
