import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERRORS_DOC, renderErrorsDoc } from '../scripts/errors-doc.js';

describe('docs/errors.md', () => {
  it('is the error catalogue as it is now (npm run docs:errors)', () => {
    expect(readFileSync(ERRORS_DOC, 'utf8')).toBe(renderErrorsDoc());
  });
});
