import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * What the model providers charge, from PROVIDER_PRICES (JSON), in integer micro-dollars
 * (1 USD = 1,000,000): LLMs per million prompt / completion tokens, speech-to-text per
 * minute of audio, text-to-speech per million characters, each per model name.
 */
const Micros = Type.Integer({ minimum: 0 });
export const ProviderPricesSchema = Type.Object(
  {
    llm: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Object({ prompt_per_1m: Micros, completion_per_1m: Micros }, { additionalProperties: false }))),
    stt: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Object({ per_minute: Micros }, { additionalProperties: false }))),
    tts: Type.Optional(Type.Record(Type.String({ minLength: 1 }), Type.Object({ per_1m_chars: Micros }, { additionalProperties: false }))),
  },
  { additionalProperties: false },
);
export type ProviderPrices = Static<typeof ProviderPricesSchema>;

/** Parses PROVIDER_PRICES; throws a message naming what is wrong. */
export function parseProviderPrices(text: string): ProviderPrices {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('PROVIDER_PRICES is not valid JSON');
  }
  const problems = [...Value.Errors(ProviderPricesSchema, parsed)].map((e) => `${e.path || '/'} ${e.message}`);
  if (problems.length > 0) throw new Error(`PROVIDER_PRICES: ${problems.join('; ')}`);
  return parsed as ProviderPrices;
}
