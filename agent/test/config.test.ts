import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_ENV_KEYS, AgentConfigError, loadAgentConfig, requireForConsole, requireForWorker } from '../config.js';

const LIVEKIT = { LIVEKIT_URL: 'ws://127.0.0.1:7880', LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' };

describe('agent configuration', () => {
  it('.env.example documents every variable the agent reads', async () => {
    const example = await readFile(path.resolve(import.meta.dirname, '../../.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    expect(AGENT_ENV_KEYS.filter((k) => !documented.has(k))).toEqual([]);
  });

  it('preemptive generation is llm_tts unless set; anything but off | llm | llm_tts is refused', () => {
    expect(loadAgentConfig({}).AGENT_PREEMPTIVE_GENERATION).toBe('llm_tts');
    expect(loadAgentConfig({ AGENT_PREEMPTIVE_GENERATION: 'off' }).AGENT_PREEMPTIVE_GENERATION).toBe('off');
    expect(() => loadAgentConfig({ AGENT_PREEMPTIVE_GENERATION: 'always' })).toThrow(/AGENT_PREEMPTIVE_GENERATION/);
  });

  it('names everything the worker is missing in one message', () => {
    const c = loadAgentConfig({ MINDBOT_DATA_DIR: '/nonexistent' });
    expect(() => requireForWorker(c)).toThrow(
      new AgentConfigError('The voice agent cannot start: missing LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, OPENAI_API_KEY (or an OpenAI-compatible OPENAI_API_BASE), AGENT_API_KEY'),
    );
  });

  it("accepts livekit-server --dev's devkey/secret in development, not in production", () => {
    const env = { ...LIVEKIT, OPENAI_API_KEY: 'sk-test', AGENT_API_KEY: 'k'.repeat(32) };
    expect(() => requireForWorker(loadAgentConfig({ ...env, NODE_ENV: 'development' }))).not.toThrow();
    expect(() => requireForWorker(loadAgentConfig({ ...env, NODE_ENV: 'production' }))).toThrow(/LIVEKIT_API_SECRET must be at least 32/);
  });

  it('a local OpenAI-compatible server needs no key; the console needs no LiveKit', () => {
    const c = loadAgentConfig({ OPENAI_API_BASE: 'http://127.0.0.1:11434/v1', AGENT_API_KEY: 'k'.repeat(32) });
    expect(() => requireForConsole(c)).not.toThrow();
  });

  it('in development the agent key is read from the platform secrets file; never in production', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'agent-config-'));
    await writeFile(path.join(dir, 'secrets.json'), JSON.stringify({ agentApiKey: 'from-the-platform' }));
    expect(loadAgentConfig({ MINDBOT_DATA_DIR: dir }).agentApiKey).toBe('from-the-platform');
    expect(loadAgentConfig({ MINDBOT_DATA_DIR: dir, NODE_ENV: 'production' }).agentApiKey).toBeUndefined();
  });

  it('a bad value stops the start naming it', () => {
    expect(() => loadAgentConfig({ AGENT_IDLE_SECONDS: 'soon' })).toThrow(/AGENT_IDLE_SECONDS/);
  });
});
