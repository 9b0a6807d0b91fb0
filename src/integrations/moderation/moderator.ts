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
