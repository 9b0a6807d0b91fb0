import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parseProviderPrices, type ProviderPrices } from './provider-prices.js';

/**
 * Every environment variable MindBot reads, validated once at start.
 * `.env.example` documents each of them; `loadConfig` is the only reader of process.env.
 */
const Port = Type.Integer({ minimum: 0, maximum: 65535 });
const Optional = (s: ReturnType<typeof Type.String>) => Type.Optional(s);

export const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1' }),
  AUTH_PORT: Type.Integer({ ...Port, default: 8000 }),
  TIME_PORT: Type.Integer({ ...Port, default: 8001 }),
  ADMIN_PORT: Type.Integer({ ...Port, default: 8002 }),
  WEBHOOK_PORT: Type.Integer({ ...Port, default: 8003 }),
  PERSONA_PORT: Type.Integer({ ...Port, default: 8004 }),
  MONETIZATION_PORT: Type.Integer({ ...Port, default: 8005 }),
  GATEWAY_PORT: Type.Integer({ ...Port, default: 8080 }),
  MINDBOT_SERVICES: Type.String({ default: 'all' }),
  MINDBOT_DATA_DIR: Type.String({ default: './.mindbot' }),
  /** Where migrated PGlite templates are kept (src/db/pglite-data-dir.ts); default node_modules/.cache/mindbot-pglite. */
  MINDBOT_PGLITE_TEMPLATES: Optional(Type.String({ minLength: 1 })),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),

  /**
   * On SIGTERM, how long connections already accepted may still send a request and get its
   * answer (503 while closing) before what is left is closed (src/http/drain.ts).
   */
  SHUTDOWN_DRAIN_MS: Type.Integer({ minimum: 0, maximum: 10_000, default: 500 }),

  DATABASE_URL: Optional(Type.String({ minLength: 1 })),
  DATABASE_POOL_MAX: Type.Integer({ minimum: 1, default: 10 }),
  DATABASE_CONNECT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 5000 }),
  DATABASE_STATEMENT_TIMEOUT_MS: Type.Integer({ minimum: 100, default: 10000 }),
  DATABASE_SSL: Type.Boolean({ default: false }),
  DATABASE_PREPARED_STATEMENTS: Type.Boolean({ default: true }),
  REDIS_URL: Optional(Type.String({ minLength: 1 })),
  /**
   * Proxies whose X-Forwarded-For is believed (client IPs for rate limits): a hop count
   * ("1") or comma-separated addresses/CIDRs ("10.0.0.0/8,127.0.0.1"). Unset: none.
   */
  TRUST_PROXY: Optional(Type.String({ minLength: 1 })),
  /** Production: the bearer token /metrics requires (without it /metrics is off). */
  METRICS_TOKEN: Optional(Type.String({ minLength: 16 })),
  /** Production: serve /docs and /openapi.json (off unless set). */
  DOCS_ENABLED: Type.Boolean({ default: false }),

  JWT_ISSUER: Type.String({ default: 'mindbot-auth' }),
  JWT_AUDIENCE: Type.String({ default: 'mindbot-api' }),
  ACCESS_TOKEN_TTL_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 60 }),
  REFRESH_TOKEN_TTL_DAYS: Type.Integer({ minimum: 1, maximum: 365, default: 30 }),
  /** Requests per minute one IP may make to each of register, login and refresh. */
  AUTH_RATE_LIMIT_PER_MINUTE: Type.Integer({ minimum: 1, default: 30 }),
  /** JSON array of private JWKs (EdDSA or ES256, each with a kid); the first signs, all verify. */
  JWT_PRIVATE_JWKS: Optional(Type.String({ minLength: 2 })),
  /** When set, services verify access tokens against this JWKS instead of local keys. */
  AUTH_JWKS_URL: Optional(Type.String({ minLength: 1 })),

  LIVEKIT_URL: Type.String({ default: 'ws://127.0.0.1:7880' }),
  LIVEKIT_API_KEY: Optional(Type.String({ minLength: 1 })),
  /** At least 32 characters; livekit-server --dev's own pair (devkey / secret) is accepted outside production. */
  LIVEKIT_API_SECRET: Optional(Type.String({ minLength: 1 })),
  LIVEKIT_TOKEN_TTL_MINUTES: Type.Integer({ minimum: 1, maximum: 1440, default: 60 }),
  LIVEKIT_AGENT_NAME: Type.String({ default: 'mindbot-voice-agent' }),

  STRIPE_SECRET_KEY: Optional(Type.String({ minLength: 1 })),
  STRIPE_WEBHOOK_SECRET: Optional(Type.String({ minLength: 1 })),
  /** pk_… handed to browsers by GET /config for Stripe.js (only with STRIPE_SECRET_KEY). */
  STRIPE_PUBLISHABLE_KEY: Optional(Type.String({ minLength: 1 })),
  STRIPE_API_BASE: Optional(Type.String({ minLength: 1 })),
  SIMULATED_PAYMENT_DELAY_MS: Type.Integer({ minimum: 0, default: 0 }),
  PENDING_PAYMENT_TTL_HOURS: Type.Integer({ minimum: 1, maximum: 24 * 30, default: 24 }),

  OPENAI_API_KEY: Optional(Type.String({ minLength: 1 })),
  OPENAI_API_BASE: Type.String({ default: 'https://api.openai.com/v1' }),

  /** Where the API is reached from outside; by default the gateway on HOST:GATEWAY_PORT. */
  PUBLIC_BASE_URL: Optional(Type.String({ minLength: 1 })),
  /** Browser origins allowed to call the API (comma-separated, or *); unset: local dev servers outside production, none in it. */
  CORS_ORIGINS: Optional(Type.String()),
  BASE_HOURLY_PRICE_CENTS: Type.Integer({ minimum: 0, default: 1000 }),
  MAX_ACTIVE_SESSIONS_PER_USER: Type.Integer({ minimum: 1, default: 1 }),
  AD_REWARDS_PER_DAY: Type.Integer({ minimum: 0, default: 5 }),
  /**
   * AdMob's SSV verifier keys (the JSON of https://www.gstatic.com/admob/reward/verifier-keys.json):
   * ad rewards need the network's signed callback on GET /ads/ssv. Unset: a simulated ad
   * network confirms views (outside production; production then rewards no views).
   */
  ADMOB_SSV_KEYS: Optional(Type.String({ minLength: 2 })),
  /** Per-minute saving on ad-supported persona sessions for free users who accept ads. */
  AD_SUPPORTED_DISCOUNT_PERCENT: Type.Integer({ minimum: 0, maximum: 100, default: 50 }),

  /** The voice agent's credential (header X-Agent-Key on /agent/*). */
  AGENT_API_KEY: Optional(Type.String({ minLength: 32 })),
  /** Keep the transcripts agents report (dropped otherwise). */
  AGENT_STORE_TRANSCRIPTS: Type.Boolean({ default: false }),
  /** A persona session that nobody joins within this many seconds is ended, unbilled. */
  SESSION_NO_SHOW_SECONDS: Type.Integer({ minimum: 10, maximum: 3600, default: 120 }),
  /** JSON: model prices in micro-dollars (see src/provider-prices.ts); provider cost per session. */
  PROVIDER_PRICES: Optional(Type.String({ minLength: 2 })),

  /** The first administrator: created (with the password) or promoted at every start. */
  MINDBOT_ADMIN_EMAIL: Optional(Type.String({ minLength: 3, maxLength: 254 })),
  MINDBOT_ADMIN_PASSWORD: Optional(Type.String({ minLength: 8, maxLength: 128 })),

  /** Outgoing mail (smtp[s]://user:pass@host:port); required in production, a development mailbox otherwise. */
  SMTP_URL: Optional(Type.String({ minLength: 1 })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'MindBot <no-reply@mindbot.local>' }),
  /** Where the links in emails point: the client app's origin. */
  APP_URL: Optional(Type.String({ minLength: 1 })),
  /** Time card purchases and subscriptions need a confirmed email. */
  REQUIRE_VERIFIED_EMAIL_FOR_PURCHASE: Type.Boolean({ default: false }),
});

export type Env = Static<typeof EnvSchema>;

export interface Config extends Omit<Env, 'PUBLIC_BASE_URL' | 'APP_URL'> {
  /** PUBLIC_BASE_URL, or the gateway's own address. */
  readonly PUBLIC_BASE_URL: string;
  /** APP_URL, or the gateway's own address. */
  readonly APP_URL: string;
  readonly isProduction: boolean;
  readonly services: readonly ServiceName[];
  /** PROVIDER_PRICES parsed; null when not configured. */
  readonly providerPrices: ProviderPrices | null;
  /** Accepted but worth a line in the log at start (e.g. LiveKit's public dev credentials). */
  readonly warnings: readonly string[];
  /** TRUST_PROXY parsed for Fastify: a hop count, a list of addresses/CIDRs, or false. */
  readonly trustProxy: number | string[] | false;
}

export const SERVICE_NAMES = ['auth', 'time', 'admin', 'webhooks', 'personas', 'monetization', 'gateway'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Secrets production must be given; development generates them once into the data dir. */
export const PRODUCTION_SECRETS = [
  'DATABASE_URL',
  'JWT_PRIVATE_JWKS',
  'LIVEKIT_API_KEY',
  'LIVEKIT_API_SECRET',
  'STRIPE_WEBHOOK_SECRET',
  'AGENT_API_KEY',
] as const;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const BOOLEAN_KEYS = new Set(['DATABASE_SSL', 'DATABASE_PREPARED_STATEMENTS', 'AGENT_STORE_TRANSCRIPTS', 'REQUIRE_VERIFIED_EMAIL_FOR_PURCHASE', 'DOCS_ENABLED']);

/** Validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(EnvSchema.properties)) {
    const value = source[key];
    if (value === undefined || value === '') continue;
    raw[key] = BOOLEAN_KEYS.has(key) ? value === 'true' || value === '1' : value;
  }
  const converted = Value.Convert(EnvSchema, Value.Default(EnvSchema, raw));
  const problems = [...Value.Errors(EnvSchema, converted)].map((e) => `${e.path.slice(1)}: ${e.message}`);
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  const env = converted as Env;

  const isProduction = env.NODE_ENV === 'production';
  const livekitDevPair = !isProduction && env.LIVEKIT_API_KEY === 'devkey' && env.LIVEKIT_API_SECRET === 'secret';
  if (env.LIVEKIT_API_SECRET !== undefined && env.LIVEKIT_API_SECRET.length < 32 && !livekitDevPair) {
    throw new ConfigError('Invalid configuration: LIVEKIT_API_SECRET: must be at least 32 characters (livekit-server --dev\'s devkey/secret is accepted outside production)');
  }
  const warnings: string[] = [];
  if (livekitDevPair) {
    warnings.push("LIVEKIT_API_KEY/LIVEKIT_API_SECRET are livekit-server --dev's public devkey/secret: fine for a local LiveKit, refused in production.");
  }
  if (isProduction) {
    const missing = PRODUCTION_SECRETS.filter((k) => !env[k]);
    if (missing.length > 0) {
      throw new ConfigError(`Missing required secrets for production: ${missing.join(', ')}`);
    }
    if (!env.STRIPE_SECRET_KEY) {
      throw new ConfigError('Missing required secrets for production: STRIPE_SECRET_KEY');
    }
    if (!env.SMTP_URL) throw new ConfigError('Missing required secrets for production: SMTP_URL (outgoing mail)');
  }
  let providerPrices: ProviderPrices | null = null;
  try {
    if (env.PROVIDER_PRICES) providerPrices = parseProviderPrices(env.PROVIDER_PRICES);
  } catch (err) {
    throw new ConfigError(`Invalid configuration: ${(err as Error).message}`);
  }
  const trustProxy = parseTrustProxy(env.TRUST_PROXY);
  const gateway = localUrl(env.HOST, env.GATEWAY_PORT);
  return Object.freeze({
    ...env,
    PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? gateway,
    APP_URL: env.APP_URL ?? gateway,
    isProduction,
    services: parseServices(env.MINDBOT_SERVICES),
    providerPrices,
    warnings,
    trustProxy,
  });
}

/** The address on this machine of a port the platform listens on at HOST (a wildcard HOST is reached on the loopback). */
export function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** A hop count or addresses/CIDRs; never "trust everyone", which lets any client pick its IP. */
function parseTrustProxy(value: string | undefined): number | string[] | false {
  if (value === undefined) return false;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) === 0 ? false : Number(v);
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a) || a === '0.0.0.0/0' || a === '::/0');
  if (list.length === 0 || bad.length > 0) {
    throw new ConfigError(`Invalid configuration: TRUST_PROXY: give a hop count or proxy addresses/CIDRs, not ${bad.join(', ') || 'an empty list'} (trusting every address lets clients forge X-Forwarded-For)`);
  }
  return list;
}

function parseServices(list: string): ServiceName[] {
  if (list.trim() === 'all') return [...SERVICE_NAMES];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SERVICE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    throw new ConfigError(`MINDBOT_SERVICES names unknown services: ${unknown.join(', ')} (known: ${SERVICE_NAMES.join(', ')})`);
  }
  return names as ServiceName[];
}
