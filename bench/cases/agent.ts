import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import * as silero from '@livekit/agents-plugin-silero';
import { type VAD, voice } from '@livekit/agents';
import { percentiles } from '../../agent/call/usage.js';
import { startCall } from '../../agent/session.js';
import { CapturingAudioOutput, PacedAudioInput } from '../../agent/testing/audio-io.js';
import { FakeDeepgram } from '../../agent/testing/fake-deepgram.js';
import { FakeOpenAI } from '../../agent/testing/fake-openai.js';
import { FakePlatform, sessionInfo } from '../../agent/testing/fake-platform.js';
import { quietLog, until } from '../../agent/testing/harness.js';
import { canSynthesizeSpeech, speak } from '../../agent/testing/speech.js';

/**
 * `npm run bench -- agent`: the latency the voice agent itself adds between the end of the
 * user's speech and its first audio frame, with zero-latency fakes (LLM, TTS and STT answer
 * at once), and the CPU and memory per concurrent session in one worker process.
 * Target: p50 ≤ the end-of-utterance delay + 150 ms; sessions held with p95 added < 250 ms.
 */
const ENDPOINTING_MS = Number(process.env.AGENT_ENDPOINTING_DELAY_MS ?? 500);
const PREEMPTIVE = (process.env.AGENT_PREEMPTIVE_GENERATION ?? 'llm_tts') as 'off' | 'llm' | 'llm_tts';
const TURNS = Number(process.env.BENCH_AGENT_TURNS ?? 4);
const LEVELS = (process.env.BENCH_AGENT_SESSIONS ?? '1,4,8').split(',').map(Number);

/** Where a reply's time goes, per turn: the framework's own metrics. */
interface Breakdown {
  eou: number[];
  transcription: number[];
  llmTtft: number[];
  ttsTtfb: number[];
  /** The VAD reporting the end of speech, after the speech really ended. */
  vadEnd: number[];
  /** From the VAD's end of speech to the first audio frame out: the agent's own path. */
  afterVad: number[];
}

async function oneSession(utterance: Int16Array, vad: VAD, fake: FakeOpenAI, e2e: number[], b: Breakdown): Promise<void> {
  const dg = await new FakeDeepgram(Array.from({ length: TURNS }, () => 'Tell me something about the ocean.')).start();
  const platform = new FakePlatform(sessionInfo({ budget: { seconds_left: 3600 } }));
  const input = new PacedAudioInput();
  const output = new CapturingAudioOutput();
  let speechEndSeen = 0;
  const info = await platform.joined(platform.info.time_session_id);
  const { session, call } = await startCall({
    platform,
    info,
    parts: {
      llm: new openai.LLM({ model: 'gpt-4.1-mini', baseURL: fake.baseURL, apiKey: 'bench' }),
      stt: new deepgram.STT({ apiKey: 'bench', baseUrl: dg.url, model: 'nova-3' }),
      tts: new openai.TTS({ baseURL: fake.baseURL, apiKey: 'bench', model: 'gpt-4o-mini-tts', voice: 'alloy' }),
      vad,
      models: { llm: 'gpt-4.1-mini', stt: 'nova-3', tts: 'gpt-4o-mini-tts' },
    },
    timing: { warningSeconds: 1, idleSeconds: 3600, pollSeconds: 3600 },
    endpointingDelayMs: ENDPOINTING_MS,
    preemptive: PREEMPTIVE,
    log: quietLog,
    complete: async () => '',
    beforeStart: (s) => {
      s.input.audio = input;
      s.output.audio = output;
      s.on(voice.AgentSessionEventTypes.UserStateChanged, (ev) => {
        if (ev.oldState === 'speaking') speechEndSeen = Date.now();
      });
      s.on(voice.AgentSessionEventTypes.MetricsCollected, (ev) => {
        const m = ev.metrics;
        if (m.type === 'eou_metrics') {
          b.eou.push(m.endOfUtteranceDelayMs);
          b.transcription.push(m.transcriptionDelayMs);
        } else if (m.type === 'llm_metrics' && m.ttftMs > 0) b.llmTtft.push(m.ttftMs);
        else if (m.type === 'tts_metrics' && m.ttfbMs > 0) b.ttsTtfb.push(m.ttfbMs);
      });
    },
  });
  try {
    await until(() => output.segments.length >= 1 && session.agentState === 'listening', 30_000, 'greeting');
    for (let t = 0; t < TURNS; t++) {
      const before = output.segments.length;
      speechEndSeen = 0;
      await input.say(utterance);
      await until(() => output.segments.length > before, 30_000, 'reply');
      const first = output.segments[before]!.firstFrameAt;
      e2e.push(first - input.lastSpeechEndedAt);
      // Under load the reply can start before the VAD reports the end of speech: only seen ends count.
      if (speechEndSeen >= input.lastSpeechEndedAt && speechEndSeen <= first) {
        b.vadEnd.push(speechEndSeen - input.lastSpeechEndedAt);
        b.afterVad.push(first - speechEndSeen);
      }
      await until(() => session.agentState === 'listening', 30_000, 'listening');
      await new Promise((r) => setTimeout(r, 300));
    }
  } finally {
    call.dispose();
    await input.close();
    await session.close().catch(() => {});
    await dg.close();
  }
}

export async function runAgentBench(): Promise<boolean> {
  if (!canSynthesizeSpeech()) {
    console.log('agent: espeak-ng and sox are needed (apt-get install espeak-ng sox)');
    return false;
  }
  console.log(`[agent] preemptive generation: ${PREEMPTIVE} (AGENT_PREEMPTIVE_GENERATION)`);
  const utterance = speak('Can you tell me something interesting about the ocean?');
  const vad = await silero.VAD.load();
  const fake = await new FakeOpenAI({ chat: () => ({ text: 'The ocean covers most of the planet.' }), speechMsPerChar: 10 }).start();
  // The VAD's own silence before it reports the end of speech is part of the configured delay.
  const eouDelay = Math.max(ENDPOINTING_MS, vad.minSilenceDuration ?? 0);
  let ok = true;
  let held = 0;
  try {
    for (const n of LEVELS) {
      const e2e: number[] = [];
      const b: Breakdown = { eou: [], transcription: [], llmTtft: [], ttsTtfb: [], vadEnd: [], afterVad: [] };
      const cpu = process.cpuUsage();
      const rss = process.memoryUsage().rss;
      const started = Date.now();
      await Promise.all(Array.from({ length: n }, () => oneSession(utterance, vad, fake, e2e, b)));
      const wall = Date.now() - started;
      const used = process.cpuUsage(cpu);
      const added = e2e.map((ms) => ms - eouDelay);
      const p = percentiles(e2e)!;
      const a = percentiles(added)!;
      const cpuPct = ((used.user + used.system) / 1000 / wall) * 100;
      const pass = n > 1 || p.p50 <= eouDelay + 150;
      if (a.p95 < 250) held = Math.max(held, n);
      ok &&= pass;
      console.log(`[agent] ${n} concurrent session${n === 1 ? '' : 's'}, ${e2e.length} turns`);
      console.log(`  end of speech → first audio: p50 ${p.p50} ms, p95 ${p.p95} ms (end-of-utterance delay ${eouDelay} ms; framework eou p50 ${percentiles(b.eou)?.p50 ?? '-'} ms)`);
      console.log(`  where it goes (p50): VAD end of speech ${percentiles(b.vadEnd)?.p50 ?? '-'} ms after the speech ended, then ${percentiles(b.afterVad)?.p50 ?? '-'} ms to the first audio frame`);
      console.log(`  framework metrics (p50): transcript ${percentiles(b.transcription)?.p50 ?? '-'} ms after speech end, LLM first token ${percentiles(b.llmTtft)?.p50 ?? '-'} ms, TTS first byte ${percentiles(b.ttsTtfb)?.p50 ?? '-'} ms`);
      console.log(`  added by the agent: p50 ${a.p50} ms, p95 ${a.p95} ms${n === 1 ? ` (target p50 ≤ 150) ${pass ? 'PASS' : 'MISS'}` : ''}`);
      console.log(`  CPU ${(cpuPct / n).toFixed(1)} % of a core per session, RSS +${((process.memoryUsage().rss - rss) / 1e6 / n).toFixed(0)} MB per session`);
    }
    console.log(`[agent] sessions held with p95 added < 250 ms: ${held} of the levels tried (${LEVELS.join(', ')})`);
  } finally {
    await fake.close();
  }
  return ok;
}
