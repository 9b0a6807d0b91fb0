import type { ProviderPrices } from '../../provider-prices.js';

/** Model usage as the agent reports it for one call. */
export interface Usage {
  llm: { model: string; prompt_tokens: number; completion_tokens: number }[];
  stt: { model: string; audio_seconds: number }[];
  tts: { model: string; characters: number }[];
}

/**
 * A call's provider cost in integer micro-dollars from its usage and the configured prices,
 * rounded up once at the end. Models without a price are named in `unpriced` (their share is
 * unknown, not zero); no prices configured → null.
 */
export function providerCost(usage: Usage, prices: ProviderPrices | null): { micros: number | null; unpriced: string[] } {
  if (!prices) return { micros: null, unpriced: [] };
  let total = 0;
  const unpriced = new Set<string>();
  for (const u of usage.llm) {
    const p = prices.llm?.[u.model];
    if (!p) unpriced.add(`llm:${u.model}`);
    else total += (u.prompt_tokens * p.prompt_per_1m + u.completion_tokens * p.completion_per_1m) / 1_000_000;
  }
  for (const u of usage.stt) {
    const p = prices.stt?.[u.model];
    if (!p) unpriced.add(`stt:${u.model}`);
    else total += (u.audio_seconds * p.per_minute) / 60;
  }
  for (const u of usage.tts) {
    const p = prices.tts?.[u.model];
    if (!p) unpriced.add(`tts:${u.model}`);
    else total += (u.characters * p.per_1m_chars) / 1_000_000;
  }
  // A float sum of at most a few dozen products: a tolerance keeps an exact total from rounding up a whole unit.
  return { micros: Math.ceil(total - 1e-6), unpriced: [...unpriced].sort() };
}
