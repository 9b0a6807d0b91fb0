import type { stt as sttNs, VAD } from '@livekit/agents';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import type { AgentConfig } from './config.js';
import type { AgentSessionInfo, Quality } from './platform/types.js';

/** A key the OpenAI client requires even when a local OpenAI-compatible server ignores it. */
const apiKey = (c: AgentConfig) => c.OPENAI_API_KEY ?? 'no-key';

export function buildLlm(c: AgentConfig): openai.LLM {
  return new openai.LLM({ model: c.AGENT_LLM_MODEL, baseURL: c.OPENAI_API_BASE, apiKey: apiKey(c) });
}

/** The TTS model for a session's quality (configurable: a fast model, the standard one, HD). */
export function ttsModelFor(c: AgentConfig, quality: Quality): string {
  return { low: c.AGENT_TTS_MODEL_LOW, standard: c.AGENT_TTS_MODEL_STANDARD, high: c.AGENT_TTS_MODEL_HIGH }[quality];
}

/** OpenAI's gpt-* speech models take speaking instructions; tts-1 and tts-1-hd do not. */
export function acceptsInstructions(model: string): boolean {
  return model.startsWith('gpt-');
}

/**
 * The quality a call's voice uses: the session's, raised to `high` (the premium TTS model)
 * when the user has the persona's `priority_voice` now; `low` stays a user's own choice.
 */
export function ttsQualityFor(info: AgentSessionInfo): Quality {
  const q = info.persona.quality;
  return q === 'standard' && info.persona.premium_features.includes('priority_voice') ? 'high' : q;
}

export function buildTts(c: AgentConfig, info: AgentSessionInfo): openai.TTS {
  const model = ttsModelFor(c, ttsQualityFor(info));
  return new openai.TTS({
    model,
    voice: info.persona.voice.tts as openai.TTSVoices,
    baseURL: c.OPENAI_API_BASE,
    apiKey: apiKey(c),
    ...(acceptsInstructions(model) ? { instructions: `Speak in a ${info.persona.voice.style} voice.` } : {}),
  });
}

/** Deepgram when a key is set; OpenAI's transcription (segmented by the VAD) otherwise. */
export function buildStt(c: AgentConfig): { stt: sttNs.STT; model: string } {
  if (c.DEEPGRAM_API_KEY) {
    return { stt: new deepgram.STT({ apiKey: c.DEEPGRAM_API_KEY, model: c.DEEPGRAM_MODEL as deepgram.STTModels, baseUrl: c.DEEPGRAM_API_BASE }), model: c.DEEPGRAM_MODEL };
  }
  return { stt: new openai.STT({ model: c.AGENT_STT_MODEL, baseURL: c.OPENAI_API_BASE, apiKey: apiKey(c), useRealtime: false }), model: c.AGENT_STT_MODEL };
}

/** One non-streaming chat completion (for tools that transform text, and the memory summary). */
export function completer(c: AgentConfig): (system: string, user: string) => Promise<string> {
  return async (system, user) => {
    const res = await fetch(`${c.OPENAI_API_BASE.replace(/\/+$/, '')}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey(c)}` },
      body: JSON.stringify({ model: c.AGENT_LLM_MODEL, messages: [{ role: 'system', content: system }, { role: 'user', content: user }] }),
      signal: AbortSignal.timeout(20_000),
    });
    if (!res.ok) throw new Error(`completion failed: ${res.status}`);
    const body = (await res.json()) as { choices?: { message?: { content?: string } }[] };
    return body.choices?.[0]?.message?.content?.trim() ?? '';
  };
}

export type { VAD };
