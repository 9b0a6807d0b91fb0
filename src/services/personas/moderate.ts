import { AppError, validationFailed } from '../../http/errors.js';
import { ModerationUnavailable, type Moderator } from '../../integrations/moderation/moderator.js';
import type { Logger } from '../../logger.js';

const unavailable = () =>
  new AppError('unavailable', 'Content moderation is unavailable right now, so nothing was saved; please try again shortly.', {
    headers: { 'retry-after': '5' },
  });

/** Latin letters that Cyrillic and Greek ones imitate: a filter-dodger's first disguise. */
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', і: 'i', ї: 'i', ј: 'j', ԁ: 'd', һ: 'h', ӏ: 'l', ԛ: 'q', ԝ: 'w',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w',
};

/** The text as it reads: compatibility forms folded, invisible characters (soft hyphens, zero-width) dropped, look-alikes made Latin. */
export function skeleton(text: string): string {
  return [...text.normalize('NFKC').replace(/\p{Cf}/gu, '')].map((c) => {
    const lower = c.toLowerCase();
    const latin = LOOK_ALIKES[lower];
    return latin === undefined ? c : c === lower ? latin : latin.toUpperCase();
  }).join('');
}

/**
 * Moderates user-written text before it is stored or reaches a prompt: flagged → false, and
 * when the moderator cannot decide, 503 (fails closed: nothing is stored). Never logs the text.
 */
export async function passesModeration(moderator: Moderator, log: Logger, texts: readonly string[]): Promise<{ ok: boolean; categories: string[] }> {
  try {
    // The moderator also reads what disguised text spells (a soft-hyphenated or Cyrillic word).
    const disguised = texts.map(skeleton).filter((t, i) => t !== texts[i]);
    const verdict = await moderator.check([...texts, ...disguised]);
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
