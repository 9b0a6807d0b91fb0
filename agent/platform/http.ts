import { type AgentSessionInfo, type CallReport, type EndReason, type EndResult, PlatformError, type PlatformClient } from './types.js';

export interface HttpPlatformOptions {
  /** The gateway or Persona API origin, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  agentKey: string;
  /** Per request; the agent must not hang on a slow platform. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The contract's routes over HTTP, authenticated with `X-Agent-Key`. */
export function createHttpPlatformClient(opts: HttpPlatformOptions): PlatformClient {
  const doFetch = opts.fetch ?? fetch;
  const base = opts.baseUrl.replace(/\/+$/, '');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await doFetch(`${base}${path}`, {
      method,
      headers: {
        'x-agent-key': opts.agentKey,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    const text = await res.text();
    const json: unknown = text === '' ? {} : JSON.parse(text);
    if (!res.ok) {
      const code = (json as { code?: unknown }).code;
      throw new PlatformError(res.status, typeof code === 'string' ? code : 'unknown');
    }
    return json as T;
  };
  const session = (id: string) => `/agent/sessions/${encodeURIComponent(id)}`;
  return {
    getSession: (id) => call<AgentSessionInfo>('GET', session(id)),
    joined: (id) => call<AgentSessionInfo>('POST', `${session(id)}/joined`, {}),
    end: (id, reason: EndReason) => call<EndResult>('POST', `${session(id)}/end`, { reason }),
    report: (id, report: CallReport) => call<{ stored: boolean }>('POST', `${session(id)}/report`, report),
    putMemory: (id, summary) => call<{ stored: boolean }>('PUT', `${session(id)}/memory`, { summary }),
  };
}
