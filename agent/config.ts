import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/**
 * The voice agent's own configuration: every variable it reads, validated once.
 * `.env.example` documents each of them (section "Voice agent"). The worker never opens the
 * database, so none of the platform's database or payment settings appear here.
 */
const seconds = (fallback: number) => z.coerce.number().int().min(1).max(86_400).default(fallback);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const Env = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  MINDBOT_DATA_DIR: z.string().default('./.mindbot'),

  LIVEKIT_URL: optionalText,
  LIVEKIT_API_KEY: optionalText,
  LIVEKIT_API_SECRET: optionalText,
  LIVEKIT_AGENT_NAME: z.string().min(1).default('mindbot-voice-agent'),
  /** The worker's health HTTP port (the framework reads 0 as its default, 8081). */
  AGENT_PORT: z.coerce.number().int().min(1).max(65535).default(8081),
  /** Job processes kept warm (VAD loaded); the framework's default when unset (min(cores, 4)). */
  AGENT_IDLE_PROCESSES: z.coerce.number().int().min(1).max(64).optional(),

  /** Where the platform's `/agent/*` routes are (the gateway or the Persona API). */
  MINDBOT_API_URL: z.string().url().default('http://127.0.0.1:8080'),
  AGENT_API_KEY: optionalText,
  /** The console signs in as this user (or uses the access token). */
  MINDBOT_EMAIL: optionalText,
  MINDBOT_PASSWORD: optionalText,
  MINDBOT_ACCESS_TOKEN: optionalText,

  OPENAI_API_KEY: optionalText,
  OPENAI_API_BASE: z.string().url().default('https://api.openai.com/v1'),
  AGENT_LLM_MODEL: z.string().min(1).default('gpt-4.1-mini'),
  /** OpenAI transcription model, used when no Deepgram key is set. */
  AGENT_STT_MODEL: z.string().min(1).default('gpt-4o-mini-transcribe'),
  /** TTS model per session quality (`low | standard | high`). */
  AGENT_TTS_MODEL_LOW: z.string().min(1).default('tts-1'),
  AGENT_TTS_MODEL_STANDARD: z.string().min(1).default('gpt-4o-mini-tts'),
  AGENT_TTS_MODEL_HIGH: z.string().min(1).default('tts-1-hd'),

  DEEPGRAM_API_KEY: optionalText,
  DEEPGRAM_MODEL: z.string().min(1).default('nova-3'),
  DEEPGRAM_API_BASE: z.string().url().default('wss://api.deepgram.com'),

  AGENT_WARNING_SECONDS: seconds(120),
  AGENT_IDLE_SECONDS: seconds(120),
  SESSION_NO_SHOW_SECONDS: seconds(120),
  /** How often the live budget is re-read (it also is after every tool call). */
  AGENT_BUDGET_POLL_SECONDS: seconds(30),
  /** Silence after speech before the user's turn ends (the end-of-utterance delay). */
  AGENT_ENDPOINTING_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  /** Start the reply on the final transcript, before the turn is confirmed (`llm`), also its speech (`llm_tts`), or not. */
  AGENT_PREEMPTIVE_GENERATION: z.enum(['off', 'llm', 'llm_tts']).default('llm_tts'),
});

export type AgentEnv = z.infer<typeof Env>;

/** Every variable the agent reads (each documented in .env.example). */
export const AGENT_ENV_KEYS = Object.keys(Env.shape);

export interface AgentConfig extends AgentEnv {
  isProduction: boolean;
  /** The platform credential: env, or in development the platform's generated one. */
  agentApiKey: string | undefined;
}

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

/** Validates the environment; throws one AgentConfigError naming every bad variable. */
export function loadAgentConfig(source: NodeJS.ProcessEnv = process.env): AgentConfig {
  const parsed = Env.safeParse(stripEmpty(source));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AgentConfigError(`Invalid agent configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  const isProduction = env.NODE_ENV === 'production';
  const agentApiKey = env.AGENT_API_KEY ?? (isProduction ? undefined : readDevAgentKey(env.MINDBOT_DATA_DIR));
  return Object.freeze({ ...env, isProduction, agentApiKey });
}

/** An LLM credential: a key, or an OpenAI-compatible server of one's own that needs none. */
export function hasLlmCredential(c: AgentConfig): boolean {
  return c.OPENAI_API_KEY !== undefined || !c.OPENAI_API_BASE.startsWith('https://api.openai.com');
}

/** What the worker (rooms) needs; `console` needs only the LLM and the platform. */
export function requireForWorker(c: AgentConfig): void {
  const missing: string[] = [];
  if (!c.LIVEKIT_URL) missing.push('LIVEKIT_URL');
  if (!c.LIVEKIT_API_KEY) missing.push('LIVEKIT_API_KEY');
  if (!c.LIVEKIT_API_SECRET) missing.push('LIVEKIT_API_SECRET');
  missing.push(...commonMissing(c));
  if (missing.length > 0) throw new AgentConfigError(`The voice agent cannot start: missing ${missing.join(', ')}`);
  // `livekit-server --dev` uses devkey/secret; production secrets must be real ones.
  if (c.isProduction && (c.LIVEKIT_API_SECRET ?? '').length < 32) {
    throw new AgentConfigError('The voice agent cannot start: LIVEKIT_API_SECRET must be at least 32 characters in production');
  }
}

export function requireForConsole(c: AgentConfig): void {
  const missing = commonMissing(c);
  if (missing.length > 0) throw new AgentConfigError(`The console cannot start: missing ${missing.join(', ')}`);
}

function commonMissing(c: AgentConfig): string[] {
  const missing: string[] = [];
  if (!hasLlmCredential(c)) missing.push('OPENAI_API_KEY (or an OpenAI-compatible OPENAI_API_BASE)');
  if (!c.agentApiKey) missing.push('AGENT_API_KEY');
  return missing;
}

function stripEmpty(source: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(Env.shape)) {
    const v = source[key];
    if (v !== undefined && v !== '') out[key] = v;
  }
  return out;
}

/** Development only: the platform keeps the agent key it generated in its secrets file. */
function readDevAgentKey(dataDir: string): string | undefined {
  try {
    const stored = JSON.parse(readFileSync(path.resolve(dataDir, 'secrets.json'), 'utf8')) as { agentApiKey?: unknown };
    return typeof stored.agentApiKey === 'string' && stored.agentApiKey !== '' ? stored.agentApiKey : undefined;
  } catch {
    return undefined;
  }
}
