import { voice } from '@livekit/agents';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import * as silero from '@livekit/agents-plugin-silero';
import { afterAll, describe, expect, it } from 'vitest';
import { CapturingAudioOutput, PacedAudioInput } from '../testing/audio-io.js';
import { FakeDeepgram } from '../testing/fake-deepgram.js';
import { type ChatRequest, lastUserText, systemText } from '../testing/fake-openai.js';
import { sessionInfo } from '../testing/fake-platform.js';
import { type TextCall, textCall, until } from '../testing/harness.js';
import { canSynthesizeSpeech, speak } from '../testing/speech.js';

const LONG_ANSWER =
  'An atom is the smallest unit of an element. At its centre sits a nucleus of protons and neutrons. ' +
  'Electrons move around the nucleus in shells. The number of protons decides which element it is. ' +
  'Atoms join together to make molecules, like water.';

function chat(req: ChatRequest) {
  if (/time for this call is up/.test(systemText(req))) return { text: 'Our time is up. Goodbye, Ada!' };
  const user = lastUserText(req).toLowerCase();
  if (user.includes('wait')) return { text: 'Of course, go ahead.' };
  if (user.includes('atom')) return { text: LONG_ANSWER };
  return { text: 'Hello Ada, welcome to class!' };
}

describe.skipIf(!canSynthesizeSpeech())('the whole voice loop (espeak-ng speech, Silero VAD, Deepgram and OpenAI fakes)', () => {
  let call: TextCall | undefined;
  let dg: FakeDeepgram | undefined;
  const input = new PacedAudioInput();
  const output = new CapturingAudioOutput();
  afterAll(async () => {
    await input.close();
    await call?.close();
    await dg?.close();
  });

  it('hears the user, answers aloud, stops when interrupted, and ends at the budget', { timeout: 90_000 }, async () => {
    const question = speak('Professor, what is an atom?');
    const interruption = speak('Wait, stop, I have a question about that.');
    dg = await new FakeDeepgram(['Professor, what is an atom?', 'Wait, stop, I have a question about that.']).start();
    const vad = await silero.VAD.load();
    const ended: string[] = [];
    const interrupted: string[] = [];
    call = await textCall({
      info: sessionInfo({ budget: { seconds_left: 16 } }),
      timing: { warningSeconds: 1, idleSeconds: 600 },
      chat,
      parts: (fake) => ({
        vad,
        stt: new deepgram.STT({ apiKey: 'dg-test', baseUrl: dg!.url, model: 'nova-3' }),
        tts: new openai.TTS({ baseURL: fake.baseURL, apiKey: 'test', model: 'gpt-4o-mini-tts', voice: 'onyx', instructions: 'Speak in a warm professorial tone voice.' }),
      }),
      extra: {
        beforeStart: (session) => {
          session.input.audio = input;
          session.output.audio = output;
          session.on(voice.AgentSessionEventTypes.ConversationItemAdded, (ev) => {
            if (ev.item.type === 'message' && ev.item.role === 'assistant' && ev.item.interrupted) interrupted.push(ev.item.textContent ?? '');
          });
        },
        onEnded: (reason) => void ended.push(reason),
      },
    });
    (call.openai as unknown as { opts: { speechMsPerChar: number } }).opts.speechMsPerChar = 40;

    // The persona greets first, aloud.
    await until(() => output.segments.length >= 1 && call!.session.agentState === 'listening', 20_000, 'the greeting');

    // The user asks; the answer is heard.
    await input.say(question);
    await until(() => output.segments.length >= 2, 20_000, 'the spoken answer');
    expect(output.segments[1]!.firstFrameAt).toBeGreaterThan(input.lastSpeechEndedAt);

    // The user talks over the long answer: the agent stops speaking.
    await new Promise((r) => setTimeout(r, 800));
    await input.say(interruption);
    await until(() => interrupted.length > 0, 20_000, 'the barge-in');
    expect(output.cleared).toBeGreaterThan(0);
    const answer = output.segments[1]!;
    expect(answer.interrupted).toBe(true);

    // The call ends at the budget, with a goodbye.
    await until(() => ended.length > 0, 30_000, 'the end of the budget');
    expect(call.platform.endReasons).toEqual(['budget']);
    expect(call.openai.speech.some((s) => s.input.includes('Goodbye, Ada'))).toBe(true);

    // STT went through the Deepgram plugin, speech through the persona's voice.
    expect(dg.connections[0]?.url).toMatch(/^\/v1\/listen\?.*model=nova-3/);
    expect(dg.connections[0]?.auth).toBe('Token dg-test');
    expect(new Set(call.openai.speech.map((s) => `${s.model}/${s.voice}`))).toEqual(new Set(['gpt-4o-mini-tts/onyx']));

    await call.call.finish('budget');
    const report = call.platform.reports[0]!;
    expect(report.usage.stt[0]?.model).toBe('nova-3');
    expect(report.usage.stt[0]?.audio_seconds).toBeGreaterThan(1);
    // Each text is spoken (and counted) once, not twice.
    const spoken = call.openai.speech.reduce((n, s) => n + s.input.length, 0);
    expect(report.usage.tts[0]?.characters).toBeLessThanOrEqual(spoken);
    expect(report.usage.tts[0]?.characters).toBeGreaterThan(spoken / 2);
    expect(report.latency.e2e_ms).not.toBeNull();
  });
});
