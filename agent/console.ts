import { initializeLogger, voice } from '@livekit/agents';
import { decodeJwt } from 'jose';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import pino from 'pino';
import { createLogger } from '../src/logger.js';
import { type AgentConfig, AgentConfigError, requireForConsole } from './config.js';
import { buildLlm, completer } from './models.js';
import { createHttpPlatformClient } from './platform/http.js';
import { parseJobMetadata, type PlatformClient } from './platform/types.js';
import { startCall, timingOf } from './session.js';
import type { CallParts } from './session.js';

export interface ConsoleIo {
  input: Readable;
  output: Writable;
  /** The public API (login, persona session). */
  fetch?: typeof fetch;
  platform?: PlatformClient;
  parts?: CallParts;
}

/**
 * `npm run agent -- console <slug>`: a persona in the terminal, through the same agent
 * (instructions, tools, clock) and billed as a real session. Each input line is a user turn;
 * each reply is one `persona> ` line; end of input ends the session and prints its cost.
 */
export async function runConsole(config: AgentConfig, args: string[], io: ConsoleIo = { input: process.stdin, output: process.stdout }): Promise<number> {
  const slug = args[0];
  const err = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL, pino.destination(2));
  if (!slug) {
    process.stderr.write('usage: npm run agent -- console <persona-slug>\n');
    return 2;
  }
  try {
    requireForConsole(config);
  } catch (e) {
    if (e instanceof AgentConfigError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  // The framework's logger writes to stdout, which here belongs to the conversation.
  initializeLogger({ pretty: false, level: 'silent' });
  const doFetch = io.fetch ?? fetch;
  const api = config.MINDBOT_API_URL.replace(/\/+$/, '');
  const say = (line: string) => io.output.write(`${line}\n`);

  const token = await accessToken(config, api, doFetch);
  const started = await doFetch(`${api}/personas/${encodeURIComponent(slug)}/session`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!started.ok) {
    const body = (await started.json().catch(() => ({}))) as { detail?: string };
    process.stderr.write(`Could not start a session with ${slug}: ${body.detail ?? started.status}\n`);
    return 1;
  }
  const { livekit_token } = (await started.json()) as { livekit_token: string };
  const claims = decodeJwt(livekit_token) as { roomConfig?: { agents?: { metadata?: string }[] } };
  const meta = parseJobMetadata(claims.roomConfig?.agents?.[0]?.metadata ?? '');

  const platform = io.platform ?? createHttpPlatformClient({ baseUrl: api, agentKey: config.agentApiKey ?? '' });
  const info = await platform.joined(meta.time_session_id);
  const log = { info: () => {}, warn: (f: Record<string, unknown>, m: string) => err.warn(f, m) };
  const rl = createInterface({ input: io.input, terminal: false });
  const { session, call } = await startCall({
    platform,
    info,
    parts: io.parts ?? { llm: buildLlm(config), models: { llm: config.AGENT_LLM_MODEL, stt: 'none', tts: 'none' } },
    timing: timingOf(config),
    endpointingDelayMs: config.AGENT_ENDPOINTING_DELAY_MS,
    log,
    complete: completer(config),
    onEnded: () => rl.close(),
  });
  session.on(voice.AgentSessionEventTypes.ConversationItemAdded, (ev) => {
    const item = ev.item;
    if (item.type === 'message' && item.role === 'assistant' && item.textContent) say(`persona> ${item.textContent.replace(/\s*\n\s*/g, ' ')}`);
  });

  for await (const line of rl) {
    const text = line.trim();
    if (text === '') continue;
    if (call.ended !== undefined) break;
    try {
      await session.run({ userInput: text }).wait();
    } catch (e) {
      err.warn({ err: (e as Error).name }, 'turn failed');
    }
  }
  const reason = await call.end('user_left');
  await call.finish(reason);
  await session.close().catch(() => {});
  const ended = call.endResult;
  if (ended) say(`Session ended (${ended.ended_reason}): ${formatSeconds(ended.billed_seconds)} talked, ${formatSeconds(ended.charged_seconds)} of balance charged.`);
  return 0;
}

async function accessToken(config: AgentConfig, api: string, doFetch: typeof fetch): Promise<string> {
  if (config.MINDBOT_ACCESS_TOKEN) return config.MINDBOT_ACCESS_TOKEN;
  if (!config.MINDBOT_EMAIL || !config.MINDBOT_PASSWORD) {
    throw new AgentConfigError('The console needs MINDBOT_ACCESS_TOKEN, or MINDBOT_EMAIL and MINDBOT_PASSWORD');
  }
  const res = await doFetch(`${api}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: config.MINDBOT_EMAIL, password: config.MINDBOT_PASSWORD }),
  });
  if (!res.ok) throw new AgentConfigError(`Signing in failed (${res.status}): check MINDBOT_EMAIL and MINDBOT_PASSWORD`);
  return ((await res.json()) as { access_token: string }).access_token;
}

function formatSeconds(s: number): string {
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}
