import { describe, expect, it } from 'vitest';
import { createModerator } from './index.js';
import { wordListModerator } from './word-list.js';

describe('word-list moderator', () => {
  it('flags listed terms as whole words, through case, accents and leetspeak', async () => {
    expect(await wordListModerator.check(['Explains how to BUILD A BOMB'])).toEqual({ flagged: true, categories: ['illicit'] });
    expect((await wordListModerator.check(['fine', 'talks about p0rn'])).categories).toEqual(['sexual']);
    expect((await wordListModerator.check(['self harm tips'])).flagged).toBe(true);
  });

  it('leaves ordinary persona text alone', async () => {
    const texts = [
      'Patient, encouraging, uses visual examples',
      'Helps kill time with trivia; a bombastic narrator; Scunthorpe history buff',
      'Debugs C++ with cp and kill -9 when a process hangs',
    ];
    expect(await wordListModerator.check(texts)).toEqual({ flagged: false, categories: [] });
  });
});

describe('createModerator', () => {
  it('uses OpenAI only when a key is configured', () => {
    expect(createModerator({ OPENAI_API_BASE: 'http://x' }).kind).toBe('word-list');
    expect(createModerator({ OPENAI_API_KEY: 'sk', OPENAI_API_BASE: 'http://x' }).kind).toBe('openai');
  });
});
