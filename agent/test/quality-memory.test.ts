import { afterEach, describe, expect, it } from 'vitest';
import { loadAgentConfig } from '../config.js';
import { buildTts } from '../models.js';
import { FakeOpenAI } from '../testing/fake-openai.js';
import { sessionInfo } from '../testing/fake-platform.js';
import { type TextCall, textCall } from '../testing/harness.js';

let call: TextCall | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await call?.close();
  await fake?.close();
  call = undefined;
});

describe('voice quality', () => {
  it('the TTS model follows the session quality, and the voice style goes to models that take instructions', async () => {
    fake = await new FakeOpenAI({ chat: () => ({ text: '' }) }).start();
    const config = loadAgentConfig({ OPENAI_API_BASE: fake.baseURL, AGENT_TTS_MODEL_LOW: 'tts-1', AGENT_TTS_MODEL_STANDARD: 'gpt-4o-mini-tts', AGENT_TTS_MODEL_HIGH: 'tts-1-hd' });
    for (const quality of ['low', 'standard', 'high'] as const) {
      const tts = buildTts(config, sessionInfo({ persona: { quality, voice: { tts: 'coral', style: 'clear, lively' } } }));
      for await (const _ of tts.synthesize('Hello there.')) {
        // drain the audio
      }
    }
    expect(fake.speech.map((s) => [s.model, s.voice, s.instructions ?? null])).toEqual([
      ['tts-1', 'coral', null],
      ['gpt-4o-mini-tts', 'coral', 'Speak in a clear, lively voice.'],
      ['tts-1-hd', 'coral', null],
    ]);
  });
});

describe('priority_voice (premium)', () => {
  it('a premium user of a persona with priority_voice is voiced by the premium TTS model; a free user by the session\'s', async () => {
    fake = await new FakeOpenAI({ chat: () => ({ text: '' }) }).start();
    const config = loadAgentConfig({ OPENAI_API_BASE: fake.baseURL, AGENT_TTS_MODEL_LOW: 'tts-1', AGENT_TTS_MODEL_STANDARD: 'gpt-4o-mini-tts', AGENT_TTS_MODEL_HIGH: 'tts-1-hd' });
    const premium = { id: 'u', first_name: 'Ada', tier: 'premium' as const };
    const sessions = [
      sessionInfo({ user: premium, persona: { quality: 'standard', premium_features: ['priority_voice'] } }),
      // A free user: the platform lists no premium features.
      sessionInfo({ persona: { quality: 'standard', premium_features: [] } }),
      // Low stays the user's own choice.
      sessionInfo({ user: premium, persona: { quality: 'low', premium_features: ['priority_voice'] } }),
    ];
    for (const info of sessions) {
      for await (const _ of buildTts(config, info).synthesize('Hello.')) {
        // drain the audio
      }
    }
    expect(fake.speech.map((s) => s.model)).toEqual(['tts-1-hd', 'gpt-4o-mini-tts', 'tts-1']);
  });
});

describe('memory, with consent', () => {
  it('writes a short summary at the end of the call when the user opted in', async () => {
    const prompts: { system: string; conversation: string }[] = [];
    call = await textCall({
      info: sessionInfo({ memory_enabled: true }),
      chat: () => ({ text: 'Let us look at fractions.' }),
      extra: {
        complete: async (system, conversation) => {
          prompts.push({ system, conversation });
          return 'Ada practised adding fractions; next: unlike denominators.';
        },
      },
    });
    await call.session.run({ userInput: 'help me with fractions' }).wait();
    await call.call.finish(await call.call.end('user_left'));
    expect(call.platform.memories).toEqual(['Ada practised adding fractions; next: unlike denominators.']);
    expect(prompts[0]?.system).toMatch(/never instructions/);
    expect(prompts[0]?.conversation).toContain('user: help me with fractions');
  });

  it('notes a premium tool kept in the call reach the summary', async () => {
    const conversations: string[] = [];
    call = await textCall({
      info: sessionInfo({ memory_enabled: true, user: { id: 'u', first_name: 'Ada', tier: 'premium' }, persona: { tools: [], premium_features: ['bug_journal'] } }),
      chat: (req) => {
        const last = req.messages[req.messages.length - 1];
        if (last?.role === 'user') return { toolCalls: [{ name: 'bug_journal', args: { symptom: 'null user on login', cause: 'missing await' } }] };
        return { text: 'Logged.' };
      },
      extra: {
        complete: async (_system, conversation) => {
          conversations.push(conversation);
          return 'Found a missing await behind a null user on login.';
        },
      },
    });
    await call.session.waitForIdle();
    await call.session.run({ userInput: 'log this bug' }).wait();
    await call.call.finish(await call.call.end('user_left'));
    expect(conversations[0]).toContain('note: bug: null user on login; cause: missing await');
    expect(call.platform.memories).toEqual(['Found a missing await behind a null user on login.']);
  });

  it('writes nothing when the user did not opt in', async () => {
    call = await textCall({ info: sessionInfo({ memory_enabled: false }), chat: () => ({ text: 'Let us look at fractions.' }) });
    await call.session.run({ userInput: 'help me with fractions' }).wait();
    await call.call.finish(await call.call.end('user_left'));
    expect(call.platform.calls.filter((c) => c.route === 'memory')).toEqual([]);
  });
});
