import { AppError, validationFailed } from '../../http/errors.js';
import { ModerationUnavailable, type Moderator } from '../../integrations/moderation/moderator.js';
import type { Logger } from '../../logger.js';

const unavailable = () =>
  new AppError('unavailable', 'Content moderation is unavailable right now, so nothing was saved; please try again shortly.', {
    headers: { 'retry-after': '5' },
  });

/**
 * Moderates user-written text before it is stored or reaches a prompt: flagged → false, and
 * when the moderator cannot decide, 503 (fails closed: nothing is stored). Never logs the text.
 */
export async function passesModeration(moderator: Moderator, log: Logger, texts: readonly string[]): Promise<{ ok: boolean; categories: string[] }> {
  try {
    const verdict = await moderator.check(texts);
    return { ok: !verdict.flagged, categories: verdict.categories };
  } catch (err) {
    if (!(err instanceof ModerationUnavailable)) throw err;
    log.warn({ reason: err.message }, 'moderation unavailable');
    throw unavailable();
  }
}

/** As passesModeration, but flagged text is a 422 naming the categories. */
export async function requireModerated(moderator: Moderator, log: Logger, texts: readonly string[], what: string): Promise<void> {
  const verdict = await passesModeration(moderator, log, texts);
  if (!verdict.ok) {
    throw validationFailed(`${what} was not saved: its text was flagged by moderation (${verdict.categories.join(', ') || 'policy'}). Please rephrase it.`, undefined, 'content_flagged');
  }
}
