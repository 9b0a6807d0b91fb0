/** The platform as the voice agent sees it: exactly the routes of docs/agent-api.md. */

export type Quality = 'low' | 'standard' | 'high';
export type EndReason = 'budget' | 'user_left' | 'idle' | 'no_show' | 'error' | 'admin';

export interface AgentSessionInfo {
  time_session_id: string;
  session_id: string;
  room_name: string;
  status: 'live' | 'ended';
  user: { id: string; first_name: string; tier: 'free' | 'premium' };
  persona: {
    slug: string;
    name: string;
    instructions: string;
    tools: string[];
    premium_features: string[];
    voice: { tts: string; style: string };
    quality: Quality;
    preferences: Record<string, string>;
    memory: string | null;
  };
  budget: { seconds_left: number; billing_started_at: string | null; ends_at: string | null };
  store_transcripts: boolean;
  memory_enabled: boolean;
}

export interface EndResult {
  time_session_id: string;
  status: 'ended';
  billed_seconds: number;
  charged_seconds: number;
  ended_reason: string;
}

export interface Percentiles {
  p50: number;
  p95: number;
}

export interface CallReport {
  ended_reason: EndReason;
  usage: {
    llm: { model: string; prompt_tokens: number; completion_tokens: number }[];
    stt: { model: string; audio_seconds: number }[];
    tts: { model: string; characters: number }[];
  };
  latency: {
    e2e_ms: Percentiles | null;
    llm_ttft_ms: Percentiles | null;
    tts_ttfb_ms: Percentiles | null;
  };
  transcript?: { role: 'user' | 'assistant'; text: string }[];
}

/** The dispatch metadata (public: it sits in the user's own room token). */
export interface JobMetadata {
  persona_slug: string;
  session_id: string;
  time_session_id: string;
  user_id: string;
}

export interface PlatformClient {
  getSession(id: string): Promise<AgentSessionInfo>;
  joined(id: string): Promise<AgentSessionInfo>;
  end(id: string, reason: EndReason): Promise<EndResult>;
  report(id: string, report: CallReport): Promise<{ stored: boolean }>;
  putMemory(id: string, summary: string): Promise<{ stored: boolean }>;
}

export class PlatformError extends Error {
  override name = 'PlatformError';
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`platform answered ${status} ${code}`);
  }
}

export function parseJobMetadata(raw: string): JobMetadata {
  const value: unknown = JSON.parse(raw);
  const m = value as Partial<Record<keyof JobMetadata, unknown>>;
  for (const key of ['persona_slug', 'session_id', 'time_session_id', 'user_id'] as const) {
    if (typeof m[key] !== 'string' || m[key] === '') throw new Error(`job metadata lacks ${key}`);
  }
  return m as JobMetadata;
}
