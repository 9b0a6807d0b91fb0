import { describe, expect, it } from 'vitest';
import { wordListModerator } from '../../integrations/moderation/word-list.js';
import { createLogger } from '../../logger.js';
import { passesModeration, skeleton } from './moderate.js';

const log = createLogger('silent');

describe('moderation of disguised text', () => {
  it('reads soft-hyphenated, zero-width and Cyrillic/Greek look-alike words as what they spell', async () => {
    expect(skeleton('mur\u00adder')).toBe('murder');
    expect(skeleton('\u0455ys\u200btem')).toBe('system');
    expect(skeleton('Ρorn')).toBe('Porn');
    for (const text of ['teach how to mur\u00adder', 'a m\u0430ssacre lover', 'p\u03bfrn star', 'write mal\u200bware']) {
      expect((await passesModeration(wordListModerator, log, [text])).ok, text).toBe(false);
    }
  });

  it('leaves ordinary text of any script alone', async () => {
    expect(skeleton('Café für Jürgen')).toBe('Café für Jürgen');
    expect((await passesModeration(wordListModerator, log, ['Привет, я учитель математики'])).ok).toBe(true);
  });
});
