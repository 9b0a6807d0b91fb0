import type { Moderator } from './moderator.js';

/**
 * The offline fallback when no OpenAI key is configured: whole-word (and common
 * obfuscation) matches against short lists of terms that have no place in a persona.
 * Deliberately conservative; the OpenAI endpoint is the real check in production.
 */
const LISTS: Record<string, readonly string[]> = {
  violence: ['kill people', 'murder', 'behead', 'massacre', 'torture', 'terrorist attack', 'shooting spree'],
  'self-harm': ['suicide', 'self-harm', 'cut yourself', 'kill yourself', 'kys'],
  hate: ['nazi', 'white power', 'ethnic cleansing', 'subhuman', 'genocide'],
  sexual: ['porn', 'pornographic', 'nsfw', 'nudes', 'explicit sex', 'erotic', 'sexting'],
  'sexual/minors': ['loli', 'underage sex', 'child porn'],
  illicit: ['meth recipe', 'make a bomb', 'build a bomb', 'credit card fraud', 'write ransomware', 'write malware'],
  harassment: ['retard', 'faggot', 'whore', 'slut'],
};

// Leetspeak a filter-dodger reaches for first.
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's' };

function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[013457@$]/g, (c) => LEET[c] ?? c)
    .replace(/[^a-z\s-]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const PATTERNS = Object.entries(LISTS).map(([category, terms]) => ({
  category,
  pattern: new RegExp(`(?:^|[^a-z])(?:${terms.map((t) => t.replace(/[-]/g, '[- ]?')).join('|')})(?:$|[^a-z])`),
}));

export const wordListModerator: Moderator = {
  kind: 'word-list',
  async check(texts) {
    const categories = new Set<string>();
    for (const text of texts) {
      const clean = normalise(text);
      for (const { category, pattern } of PATTERNS) if (pattern.test(clean)) categories.add(category);
    }
    return { flagged: categories.size > 0, categories: [...categories].sort() };
  },
};
