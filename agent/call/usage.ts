import type { metrics } from '@livekit/agents';
import type { CallReport, Percentiles } from '../platform/types.js';

/** Nearest-rank percentiles, rounded to whole milliseconds; null without samples. */
export function percentiles(samples: readonly number[]): Percentiles | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
  return { p50: Math.round(at(0.5)), p95: Math.round(at(0.95)) };
}

/**
 * Collects a call's usage and latency from the session's metrics events.
 *
 * TTS: a non-streaming TTS (OpenAI's) runs behind the framework's stream adapter, which
 * reports every text twice: once whole (`streamed: true`) and once per sentence
 * (`streamed: false`). Per model, the per-sentence figures are counted when there are any,
 * the streamed ones otherwise (a streaming TTS reports only those).
 */
export class UsageCollector {
  private readonly llm = new Map<string, { prompt_tokens: number; completion_tokens: number }>();
  private readonly stt = new Map<string, number>();
  private readonly tts = new Map<string, { streamed: number; sentences: number }>();
  private readonly ttft: number[] = [];
  private readonly ttfb: number[] = [];
  private readonly e2e: number[] = [];

  constructor(private readonly models: { llm: string; stt: string; tts: string }) {}

  onMetrics(m: metrics.AgentMetrics): void {
    switch (m.type) {
      case 'llm_metrics': {
        const model = m.metadata?.modelName || this.models.llm;
        const u = this.llm.get(model) ?? { prompt_tokens: 0, completion_tokens: 0 };
        u.prompt_tokens += m.promptTokens;
        u.completion_tokens += m.completionTokens;
        this.llm.set(model, u);
        if (!m.cancelled && m.ttftMs >= 0) this.ttft.push(m.ttftMs);
        break;
      }
      case 'stt_metrics': {
        const model = m.metadata?.modelName || this.models.stt;
        this.stt.set(model, (this.stt.get(model) ?? 0) + m.audioDurationMs / 1000);
        break;
      }
      case 'tts_metrics': {
        const model = m.metadata?.modelName || this.models.tts;
        const u = this.tts.get(model) ?? { streamed: 0, sentences: 0 };
        if (m.streamed) u.streamed += m.charactersCount;
        else {
          u.sentences += m.charactersCount;
          if (!m.cancelled && m.ttfbMs >= 0) this.ttfb.push(m.ttfbMs);
        }
        this.tts.set(model, u);
        break;
      }
      default:
        break;
    }
  }

  /** The assistant message's `metrics.e2eLatency` (seconds from the user's end of speech to audio). */
  onE2eLatency(seconds: number | undefined): void {
    if (seconds !== undefined && Number.isFinite(seconds) && seconds >= 0) this.e2e.push(seconds * 1000);
  }

  report(): Omit<CallReport, 'ended_reason' | 'transcript'> {
    return {
      usage: {
        llm: [...this.llm].map(([model, u]) => ({ model, ...u })),
        stt: [...this.stt].map(([model, s]) => ({ model, audio_seconds: Math.round(s * 10) / 10 })),
        tts: [...this.tts].map(([model, u]) => ({ model, characters: u.sentences > 0 ? u.sentences : u.streamed })),
      },
      latency: { e2e_ms: percentiles(this.e2e), llm_ttft_ms: percentiles(this.ttft), tts_ttfb_ms: percentiles(this.ttfb) },
    };
  }
}
