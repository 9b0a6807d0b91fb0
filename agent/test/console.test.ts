import * as openai from '@livekit/agents-plugin-openai';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLiveKitTokens } from '../../src/integrations/livekit/tokens.js';
import { loadAgentConfig } from '../config.js';
import { runConsole } from '../console.js';
import { FakeOpenAI, lastMessage, lastUserText } from '../testing/fake-openai.js';
import { FakePlatform, sessionInfo } from '../testing/fake-platform.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
});

/** The public API's two routes the console uses, answering as the platform does. */
function publicApi(timeSessionId: string) {
  const seen: string[] = [];
  const tokens = createLiveKitTokens({ url: 'ws://127.0.0.1:7880', apiKey: 'devkey', apiSecret: 's'.repeat(32), ttlMinutes: 60 });
  const doFetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push(`${init?.method ?? 'GET'} ${url.pathname}`);
    if (url.pathname === '/auth/login') {
      const body = JSON.parse(String(init?.body)) as { email: string; password: string };
      if (body.password !== 'correct horse') return new Response('{"detail":"no","code":"invalid_credentials"}', { status: 401 });
      return Response.json({ access_token: 'user-access-token' });
    }
    if (url.pathname === '/personas/professor-oak-tutor/session') {
      const metadata = JSON.stringify({ persona_slug: 'professor-oak-tutor', session_id: 'persona_x', time_session_id: timeSessionId, user_id: 'user-1' });
      const livekit_token = await tokens.roomToken({ identity: 'user-1', name: 'Ada', room: 'persona_x', agentDispatch: { agentName: 'mindbot-voice-agent', metadata } });
      return Response.json({ session_started: true, room_name: 'persona_x', livekit_token });
    }
    return new Response('{}', { status: 404 });
  }) as typeof fetch;
  return { doFetch, seen };
}

describe('npm run agent -- console <slug>', () => {
  it('signs in, starts the session, answers each line as "persona> ", and ends it on end of input with its cost', async () => {
    fake = await new FakeOpenAI({
      chat: (req) => {
        if (lastMessage(req)?.role === 'tool') return { text: 'You have about 29 minutes left.' };
        if (lastUserText(req).includes('time')) return { toolCalls: [{ name: 'check_time_balance', args: {} }] };
        if (lastUserText(req).includes('atom')) return { text: 'An atom is the smallest unit of matter.' };
        return { text: 'Hello Ada, I am Professor Oak.' };
      },
    }).start();
    const platform = new FakePlatform(sessionInfo());
    const api = publicApi(platform.info.time_session_id);
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d: Buffer) => (printed += d.toString()));
    const config = loadAgentConfig({ MINDBOT_API_URL: 'http://api.test', MINDBOT_EMAIL: 'ada@example.com', MINDBOT_PASSWORD: 'correct horse', OPENAI_API_KEY: 'test', AGENT_API_KEY: 'k'.repeat(32), LOG_LEVEL: 'silent' });
    const code = await runConsole(config, ['professor-oak-tutor'], {
      input: Readable.from(['what is an atom?\n', 'how much time do I have?\n']),
      output,
      fetch: api.doFetch,
      platform,
      parts: { llm: new openai.LLM({ model: 'gpt-4.1-mini', baseURL: fake.baseURL, apiKey: 'test' }), models: { llm: 'gpt-4.1-mini', stt: 'none', tts: 'none' } },
    });
    expect(code).toBe(0);
    expect(api.seen).toEqual(['POST /auth/login', 'POST /personas/professor-oak-tutor/session']);
    const lines = printed.trim().split('\n');
    expect(lines).toContain('persona> An atom is the smallest unit of matter.');
    expect(lines).toContain('persona> You have about 29 minutes left.');
    expect(lines.at(-1)).toMatch(/^Session ended \(user_left\): 1 min 0 s talked, 48 s of balance charged\.$/);
    expect(platform.calls.map((c) => c.route).filter((r) => r !== 'get')).toEqual(['joined', 'end', 'report']);
  });
});
