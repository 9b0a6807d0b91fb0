import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPlatformClient } from '../agent/platform/http.js';
import { FakeOpenAI, lastMessage, lastUserText, systemText } from '../agent/testing/fake-openai.js';
import { quietLog } from '../agent/testing/harness.js';
import { startCall } from '../agent/session.js';
import * as openai from '@livekit/agents-plugin-openai';
import type { App } from '../src/http/app.js';
import { giveBalance } from './support/accounts.js';
import { startPersonaCall } from './support/agent.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser } from './support/users.js';

let platform: TestPlatform;
let app: App;
let llm: FakeOpenAI;

beforeAll(async () => {
  ({ platform, app } = await openGateway());
  llm = await new FakeOpenAI({
    chat: (req) => {
      if (lastMessage(req)?.role === 'tool') return { text: 'You have plenty of time.' };
      if (lastUserText(req).includes('time')) return { toolCalls: [{ name: 'check_time_balance', args: {} }] };
      return { text: 'Hello Ada!' };
    },
  }).start();
});
afterAll(async () => {
  await llm?.close();
  await closeGateway(platform, app);
});

/** The worker's HTTP client, its requests served by the platform's own app (no port). */
const injectFetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = new URL(String(input));
  const res = await app.inject({
    method: (init?.method ?? 'GET') as 'GET',
    url: url.pathname + url.search,
    headers: init?.headers as Record<string, string>,
    ...(init?.body ? { payload: String(init.body) } : {}),
  });
  return new Response(res.body, { status: res.statusCode, headers: { 'content-type': String(res.headers['content-type'] ?? 'application/json') } });
}) as typeof fetch;

describe('the worker against the platform (docs/agent-api.md)', () => {
  it('a text call: instructions from the platform, the live balance through the tool, the end and the report stored', async () => {
    const user = await createUser(platform, { fullName: 'Ada Lovelace' });
    await giveBalance(platform, user.id, 3600);
    const { timeSessionId } = await startPersonaCall(app, user, 'professor-oak-tutor');
    const client = createHttpPlatformClient({ baseUrl: 'http://platform.test', agentKey: platform.secrets.agentApiKey, fetch: injectFetch });

    const info = await client.joined(timeSessionId);
    expect(info.budget.billing_started_at).not.toBeNull();
    const { session, call } = await startCall({
      platform: client,
      info,
      parts: { llm: new openai.LLM({ model: 'gpt-4.1-mini', baseURL: llm.baseURL, apiKey: 'test' }), models: { llm: 'gpt-4.1-mini', stt: 'none', tts: 'none' } },
      timing: { warningSeconds: 1, idleSeconds: 600, pollSeconds: 600 },
      endpointingDelayMs: 100,
      log: quietLog,
      complete: async () => '',
    });
    try {
      await session.waitForIdle();
      expect(systemText(llm.chats[0]!)).toContain('Professor Oak');
      expect(systemText(llm.chats[0]!)).toContain('Ada');
      const run = session.run({ userInput: 'how much time do I have?' });
      await run.wait();
      run.expect.nextEvent().isFunctionCall({ name: 'check_time_balance' });
      const out = JSON.parse(run.expect.nextEvent().isFunctionCallOutput().event().item.output) as { seconds_left: number };
      expect(out.seconds_left).toBeGreaterThan(60);

      expect(await call.end('user_left')).toBe('user_left');
      expect(call.endResult).toMatchObject({ time_session_id: timeSessionId, status: 'ended', ended_reason: 'user_left' });
      await call.finish('user_left');
    } finally {
      call.dispose();
      await session.close();
    }
    const listed = await app.inject({ method: 'GET', url: '/time/sessions', headers: user.auth });
    const entry = listed.json().sessions.find((s: { id: string }) => s.id === timeSessionId);
    expect(entry.ended_reason).toBe('user_left');
    expect(entry.usage.llm[0]).toMatchObject({ model: 'gpt-4.1-mini', prompt_tokens: 300, completion_tokens: 30 });
  });
});
