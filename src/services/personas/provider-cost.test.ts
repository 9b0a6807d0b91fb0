import { describe, expect, it } from 'vitest';
import { providerCost } from './provider-cost.js';

const prices = {
  llm: { 'gpt-4.1-mini': { prompt_per_1m: 400_000, completion_per_1m: 1_600_000 } },
  stt: { 'nova-3': { per_minute: 4_300 } },
  tts: { 'gpt-4o-mini-tts': { per_1m_chars: 12_000_000 } },
};

describe('providerCost', () => {
  it('prices each model per million tokens, per minute of audio and per million characters, in micro-dollars', () => {
    const cost = providerCost(
      {
        llm: [{ model: 'gpt-4.1-mini', prompt_tokens: 1_000_000, completion_tokens: 500_000 }],
        stt: [{ model: 'nova-3', audio_seconds: 120 }],
        tts: [{ model: 'gpt-4o-mini-tts', characters: 250_000 }],
      },
      prices,
    );
    // 0.40 + 0.80 + 2 × 0.0043 + 0.25 × 12 = 4.2086 dollars
    expect(cost).toEqual({ micros: 4_208_600, unpriced: [] });
  });

  it('rounds up to the next micro-dollar and names models it has no price for', () => {
    const cost = providerCost(
      { llm: [{ model: 'gpt-4.1-mini', prompt_tokens: 1, completion_tokens: 0 }, { model: 'other', prompt_tokens: 5, completion_tokens: 5 }], stt: [], tts: [{ model: 'tts-1', characters: 9 }] },
      prices,
    );
    expect(cost).toEqual({ micros: 1, unpriced: ['llm:other', 'tts:tts-1'] });
  });

  it('is null without prices', () => {
    expect(providerCost({ llm: [], stt: [], tts: [] }, null)).toEqual({ micros: null, unpriced: [] });
  });
});
