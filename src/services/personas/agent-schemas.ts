import { Type, type Static } from '@sinclair/typebox';
import { Nullable, NullableTimestamp } from '../../http/schemas.js';
import { Voice } from './schemas.js';

/** The shapes of the voice agent ↔ platform contract (docs/agent-api.md). */

export const SessionIdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }) });

export const Quality = Type.Union(['low', 'standard', 'high'].map((q) => Type.Literal(q)));

export const AgentSessionResponse = Type.Object({
  time_session_id: Type.String(),
  session_id: Type.String(),
  room_name: Type.String(),
  status: Type.Union([Type.Literal('live'), Type.Literal('ended')]),
  user: Type.Object({ id: Type.String(), first_name: Type.String(), tier: Type.Union([Type.Literal('free'), Type.Literal('premium')]) }),
  persona: Type.Object({
    slug: Type.String(),
    name: Type.String(),
    instructions: Type.String({ description: 'The full system prompt; never shown to users' }),
    tools: Type.Array(Type.String()),
    premium_features: Type.Array(Type.String(), { description: 'Only those the user has now (empty for free users)' }),
    voice: Voice,
    quality: Quality,
    preferences: Type.Record(Type.String(), Type.String()),
    memory: Nullable(Type.String()),
  }),
  budget: Type.Object({
    seconds_left: Type.Integer({ minimum: 0, description: 'Wall-clock seconds the session may still run, from now' }),
    billing_started_at: NullableTimestamp,
    ends_at: NullableTimestamp,
  }),
  store_transcripts: Type.Boolean(),
  memory_enabled: Type.Boolean(),
});

export const END_REASONS = ['budget', 'user_left', 'idle', 'no_show', 'error', 'admin'] as const;
export const EndReason = Type.Union(END_REASONS.map((r) => Type.Literal(r)));
export type EndReason = (typeof END_REASONS)[number];

export const EndBody = Type.Object({ reason: EndReason });
export const EndResponse = Type.Object({
  time_session_id: Type.String(),
  status: Type.Literal('ended'),
  billed_seconds: Type.Integer({ minimum: 0 }),
  charged_seconds: Type.Integer({ minimum: 0 }),
  ended_reason: Type.String({ description: 'Why the session ended, as the path that ended it said' }),
});

const Model = Type.String({ minLength: 1, maxLength: 100 });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const Percentiles = Type.Union([Type.Object({ p50: Type.Number({ minimum: 0 }), p95: Type.Number({ minimum: 0 }) }), Type.Null()]);

export const Usage = Type.Object({
  llm: Type.Array(Type.Object({ model: Model, prompt_tokens: Count, completion_tokens: Count }), { maxItems: 50, default: [] }),
  stt: Type.Array(Type.Object({ model: Model, audio_seconds: Type.Number({ minimum: 0, maximum: 86_400 }) }), { maxItems: 50, default: [] }),
  tts: Type.Array(Type.Object({ model: Model, characters: Count }), { maxItems: 50, default: [] }),
});

export const Latency = Type.Object({
  e2e_ms: Type.Optional(Percentiles),
  llm_ttft_ms: Type.Optional(Percentiles),
  tts_ttfb_ms: Type.Optional(Percentiles),
});

export const ReportBody = Type.Object({
  ended_reason: EndReason,
  usage: Usage,
  latency: Type.Optional(Latency),
  transcript: Type.Optional(
    Type.Array(Type.Object({ role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]), text: Type.String({ maxLength: 10_000 }) }), { maxItems: 5_000 }),
  ),
});
export type ReportBody = Static<typeof ReportBody>;

export const StoredResponse = Type.Object({
  stored: Type.Boolean(),
  reason: Type.Optional(Type.String({ description: 'Why nothing was stored: memory_disabled, empty or flagged' })),
});

export const MemoryBody = Type.Object({ summary: Type.String({ maxLength: 1000 }) });
