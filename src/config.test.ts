import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, PRODUCTION_SECRETS, SERVICE_NAMES } from './config.js';

const productionSecrets = {
  DATABASE_URL: 'postgres://db.example/mindbot',
  JWT_PRIVATE_JWKS: '[{"kid":"k","d":"x"}]',
  LIVEKIT_API_KEY: 'APIkey',
  LIVEKIT_API_SECRET: 's'.repeat(32),
  STRIPE_WEBHOOK_SECRET: 'whsec_x',
  STRIPE_SECRET_KEY: 'sk_live_x',
  AGENT_API_KEY: 'a'.repeat(32),
  SMTP_URL: 'smtp://mail.example:587',
};

describe('loadConfig', () => {
  it('fills every default from an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      NODE_ENV: 'development',
      AUTH_PORT: 8000,
      TIME_PORT: 8001,
      GATEWAY_PORT: 8080,
      ACCESS_TOKEN_TTL_MINUTES: 60,
      REFRESH_TOKEN_TTL_DAYS: 30,
      AUTH_RATE_LIMIT_PER_MINUTE: 30,
      LIVEKIT_TOKEN_TTL_MINUTES: 60,
      DATABASE_SSL: false,
      isProduction: false,
    });
    expect(c.services).toEqual([...SERVICE_NAMES]);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('points PUBLIC_BASE_URL and APP_URL at the gateway as configured, unless they are set', () => {
    expect(loadConfig({})).toMatchObject({ PUBLIC_BASE_URL: 'http://127.0.0.1:8080', APP_URL: 'http://127.0.0.1:8080' });
    expect(loadConfig({ GATEWAY_PORT: '9090', HOST: '0.0.0.0' })).toMatchObject({ PUBLIC_BASE_URL: 'http://127.0.0.1:9090', APP_URL: 'http://127.0.0.1:9090' });
    expect(loadConfig({ HOST: '::1', GATEWAY_PORT: '9090' }).PUBLIC_BASE_URL).toBe('http://[::1]:9090');
    const set = loadConfig({ GATEWAY_PORT: '9090', PUBLIC_BASE_URL: 'https://api.example.com', APP_URL: 'https://app.example.com' });
    expect(set).toMatchObject({ PUBLIC_BASE_URL: 'https://api.example.com', APP_URL: 'https://app.example.com' });
  });

  it('converts numbers and booleans from strings; empty strings count as unset', () => {
    const c = loadConfig({ AUTH_PORT: '9000', DATABASE_SSL: 'true', REFRESH_TOKEN_TTL_DAYS: '7', DATABASE_URL: '' });
    expect(c.AUTH_PORT).toBe(9000);
    expect(c.DATABASE_SSL).toBe(true);
    expect(c.REFRESH_TOKEN_TTL_DAYS).toBe(7);
    expect(c.DATABASE_URL).toBeUndefined();
  });

  it.each([['AUTH_PORT', 'eighty'], ['AUTH_PORT', '70000'], ['TIME_PORT', '-1'], ['ACCESS_TOKEN_TTL_MINUTES', '0']])(
    'a bad %s (%s) stops the start with a message naming it',
    (key, value) => {
      expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
      expect(() => loadConfig({ [key]: value })).toThrow(new RegExp(`Invalid configuration: .*${key}`));
    },
  );

  it('names every bad variable at once', () => {
    expect(() => loadConfig({ AUTH_PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/AUTH_PORT.*LOG_LEVEL|LOG_LEVEL.*AUTH_PORT/);
  });

  it('refuses a LiveKit secret shorter than 32 characters', () => {
    expect(() => loadConfig({ LIVEKIT_API_SECRET: 'short' })).toThrow(/LIVEKIT_API_SECRET/);
  });

  it("accepts livekit-server --dev's devkey/secret outside production only", () => {
    const dev = loadConfig({ LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' });
    expect(dev.LIVEKIT_API_SECRET).toBe('secret');
    expect(dev.warnings).toEqual([expect.stringMatching(/devkey\/secret.*refused in production/)]);
    expect(loadConfig({}).warnings).toEqual([]);
    expect(() => loadConfig({ LIVEKIT_API_KEY: 'other', LIVEKIT_API_SECRET: 'secret' })).toThrow(/LIVEKIT_API_SECRET/);
    expect(() => loadConfig({ ...productionSecrets, NODE_ENV: 'production', LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: 'secret' })).toThrow(/LIVEKIT_API_SECRET/);
  });

  it('production without secrets refuses to start, listing every missing one', () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Missing required secrets for production: /);
    for (const key of PRODUCTION_SECRETS) expect(message).toContain(key);
  });

  it('production names the one secret still missing, and starts with all of them', () => {
    const { LIVEKIT_API_KEY: _omitted, ...rest } = productionSecrets;
    expect(() => loadConfig({ NODE_ENV: 'production', ...rest })).toThrow('Missing required secrets for production: LIVEKIT_API_KEY');
    const { STRIPE_SECRET_KEY: _noStripe, ...withoutStripe } = productionSecrets;
    expect(() => loadConfig({ NODE_ENV: 'production', ...withoutStripe })).toThrow(/STRIPE_SECRET_KEY/);
    const { SMTP_URL: _noSmtp, ...withoutSmtp } = productionSecrets;
    expect(() => loadConfig({ NODE_ENV: 'production', ...withoutSmtp })).toThrow(/SMTP_URL/);
    expect(loadConfig({ NODE_ENV: 'production', ...productionSecrets }).isProduction).toBe(true);
  });

  it('the voice agent settings: a key of at least 32 characters, transcripts off and a 120 s no-show by default', () => {
    expect(loadConfig({})).toMatchObject({ AGENT_STORE_TRANSCRIPTS: false, SESSION_NO_SHOW_SECONDS: 120, providerPrices: null });
    expect(loadConfig({ AGENT_STORE_TRANSCRIPTS: 'true' }).AGENT_STORE_TRANSCRIPTS).toBe(true);
    expect(() => loadConfig({ AGENT_API_KEY: 'short' })).toThrow(/AGENT_API_KEY/);
    const { AGENT_API_KEY: _noKey, ...withoutKey } = productionSecrets;
    expect(() => loadConfig({ NODE_ENV: 'production', ...withoutKey })).toThrow('Missing required secrets for production: AGENT_API_KEY');
  });

  it('PROVIDER_PRICES is parsed once; a malformed one stops the start naming it', () => {
    const prices = { llm: { 'gpt-4.1-mini': { prompt_per_1m: 400000, completion_per_1m: 1600000 } }, stt: { 'nova-3': { per_minute: 4300 } } };
    expect(loadConfig({ PROVIDER_PRICES: JSON.stringify(prices) }).providerPrices).toEqual(prices);
    for (const bad of ['{not json', '{"llm": {"m": {"prompt_per_1m": 1.5, "completion_per_1m": 1}}}', '{"tts": {"m": {"per_1m_chars": -1}}}', '{"gpu": {}}']) {
      expect(() => loadConfig({ PROVIDER_PRICES: bad }), bad).toThrow(/Invalid configuration: PROVIDER_PRICES/);
    }
  });

  it('MINDBOT_SERVICES picks a subset, trimming spaces', () => {
    expect(loadConfig({ MINDBOT_SERVICES: 'auth, time' }).services).toEqual(['auth', 'time']);
    expect(loadConfig({ MINDBOT_SERVICES: 'gateway' }).services).toEqual(['gateway']);
  });

  it('MINDBOT_SERVICES with an unknown name stops the start, naming it and the known ones', () => {
    expect(() => loadConfig({ MINDBOT_SERVICES: 'auth,billing' })).toThrow(
      /MINDBOT_SERVICES names unknown services: billing \(known: auth, time/,
    );
  });

  it('TRUST_PROXY: off by default, a hop count or addresses, never every address', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', ...productionSecrets }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    for (const all of ['true', '*', '0.0.0.0/0', '::/0', 'loopback,true']) {
      expect(() => loadConfig({ TRUST_PROXY: all }), all).toThrow(/TRUST_PROXY/);
    }
  });
});
