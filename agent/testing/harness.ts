import { initializeLogger } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import type { CallTiming } from '../call/call.js';
import type { AgentSessionInfo } from '../platform/types.js';
import { type CallParts, type RunningCall, type StartCallOptions, startCall } from '../session.js';
import { type ChatReply, type ChatRequest, FakeOpenAI } from './fake-openai.js';
import { FakePlatform, sessionInfo } from './fake-platform.js';

initializeLogger({ pretty: false, level: 'silent' });

export const quietLog = { info: () => {}, warn: () => {} };

export interface TextCall extends RunningCall {
  platform: FakePlatform;
  openai: FakeOpenAI;
  close(): Promise<void>;
}

/**
 * A call in text (no room, no audio): the real openai plugin against the local fake, the
 * persona agent and its clock against the in-memory platform.
 */
export async function textCall(o: {
  info?: AgentSessionInfo;
  chat: (req: ChatRequest) => ChatReply;
  timing?: Partial<CallTiming>;
  parts?: (fake: FakeOpenAI) => Partial<CallParts>;
  extra?: Partial<StartCallOptions>;
}): Promise<TextCall> {
  const fake = await new FakeOpenAI({ chat: o.chat }).start();
  const platform = new FakePlatform(o.info ?? sessionInfo());
  const info = await platform.joined(platform.info.time_session_id);
  const llm = new openai.LLM({ model: 'gpt-4.1-mini', baseURL: fake.baseURL, apiKey: 'test' });
  const running = await startCall({
    platform,
    info,
    parts: { llm, models: { llm: 'gpt-4.1-mini', stt: 'nova-3', tts: 'gpt-4o-mini-tts' }, ...o.parts?.(fake) },
    timing: { warningSeconds: 120, idleSeconds: 600, pollSeconds: 600, ...o.timing },
    endpointingDelayMs: 100,
    log: quietLog,
    complete: async () => 'hola | OH-lah',
    random: () => 0.42,
    ...o.extra,
  });
  return {
    ...running,
    platform,
    openai: fake,
    close: async () => {
      running.call.dispose();
      await running.session.close().catch(() => {});
      await fake.close();
    },
  };
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
