import type { Config } from '../../config.js';
import { createOpenAiModerator } from './openai.js';
import { wordListModerator } from './word-list.js';

/** The verdict on a piece of user text. `categories` names what was flagged, never the text. */
export interface ModerationResult {
  flagged: boolean;
  categories: string[];
}

/** Screens user-written text (custom personas) before it is stored or reaches a prompt. */
export interface Moderator {
  readonly kind: 'openai' | 'word-list';
  /** Checks every text; flagged when any one is. Throws ModerationUnavailable when it cannot decide. */
  check(texts: readonly string[]): Promise<ModerationResult>;
}

export class ModerationUnavailable extends Error {
  override name = 'ModerationUnavailable';
}

/** OpenAI's moderation endpoint when OPENAI_API_KEY is set, the local word list otherwise. */
export function createModerator(config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_API_BASE'>): Moderator {
  if (config.OPENAI_API_KEY) {
    return createOpenAiModerator({ apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_API_BASE });
  }
  return wordListModerator;
}
