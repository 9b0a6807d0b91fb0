import { ModerationUnavailable, type Moderator } from './moderator.js';

export interface OpenAiModeratorOptions {
  apiKey: string;
  baseUrl: string;
  model?: string;
  timeoutMs?: number;
}

interface ModerationResponse {
  results?: { flagged?: boolean; categories?: Record<string, boolean> }[];
}

/**
 * `POST {base}/moderations` (https://platform.openai.com/docs/api-reference/moderations).
 * Fails closed: an error or a malformed answer throws ModerationUnavailable, so nothing
 * unchecked is stored.
 */
export function createOpenAiModerator(opts: OpenAiModeratorOptions): Moderator {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/moderations`;
  return {
    kind: 'openai',
    async check(texts) {
      let body: ModerationResponse;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey}` },
          body: JSON.stringify({ model: opts.model ?? 'omni-moderation-latest', input: texts }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
        });
        if (!res.ok) throw new ModerationUnavailable(`moderation endpoint answered ${res.status}`);
        body = (await res.json()) as ModerationResponse;
      } catch (err) {
        if (err instanceof ModerationUnavailable) throw err;
        throw new ModerationUnavailable(`moderation request failed: ${(err as Error).name}`);
      }
      const results = body.results;
      if (!Array.isArray(results) || results.length !== texts.length) {
        throw new ModerationUnavailable('moderation endpoint gave no result per input');
      }
      const categories = new Set<string>();
      let flagged = false;
      for (const r of results) {
        if (r.flagged) flagged = true;
        for (const [name, hit] of Object.entries(r.categories ?? {})) if (hit) categories.add(name);
      }
      return { flagged, categories: [...categories].sort() };
    },
  };
}
