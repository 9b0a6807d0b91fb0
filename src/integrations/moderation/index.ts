import type { Config } from '../../config.js';
import { createOpenAiModerator } from './openai.js';
import type { Moderator } from './moderator.js';
import { wordListModerator } from './word-list.js';

/** OpenAI's moderation endpoint when OPENAI_API_KEY is set, the local word list otherwise. */
export function createModerator(config: Pick<Config, 'OPENAI_API_KEY' | 'OPENAI_API_BASE'>): Moderator {
  if (config.OPENAI_API_KEY) {
    return createOpenAiModerator({ apiKey: config.OPENAI_API_KEY, baseUrl: config.OPENAI_API_BASE });
  }
  return wordListModerator;
}
