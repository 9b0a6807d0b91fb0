import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Config } from './config.js';

/** Secrets the platform signs and verifies with. */
export interface Secrets {
  /** Private JWKs; the first signs access tokens, all of them verify. */
  jwtPrivateJwks: JWK[];
  livekitApiKey: string;
  livekitApiSecret: string;
  stripeWebhookSecret: string;
  /** The voice agent's credential (X-Agent-Key); the worker reads the same key. */
  agentApiKey: string;
}

export async function generateSigningJwk(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg: 'EdDSA', use: 'sig', kid: await calculateJwkThumbprint(jwk) };
}

export async function generateSecrets(): Promise<Secrets> {
  return {
    jwtPrivateJwks: [await generateSigningJwk()],
    livekitApiKey: `API${randomBytes(6).toString('hex')}`,
    livekitApiSecret: randomBytes(32).toString('base64url'),
    stripeWebhookSecret: `whsec_${randomBytes(24).toString('base64url')}`,
    agentApiKey: `agk_${randomBytes(32).toString('base64url')}`,
  };
}

/**
 * Secrets from the environment; in development, any not given are generated once and
 * kept in `<data dir>/secrets.json` (mode 0600) so tokens survive restarts.
 * Production never reaches the generation step: config validation requires them.
 */
export async function resolveSecrets(config: Config, opts: { persist: boolean } = { persist: true }): Promise<Secrets> {
  const file = path.resolve(config.MINDBOT_DATA_DIR, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (opts.persist) {
    stored = await readFile(file, 'utf8').then((t) => JSON.parse(t) as Partial<Secrets>, () => ({}));
  }
  const generated = await generateSecrets();
  const fromEnv: Partial<Secrets> = {
    jwtPrivateJwks: config.JWT_PRIVATE_JWKS ? parseJwks(config.JWT_PRIVATE_JWKS) : undefined,
    livekitApiKey: config.LIVEKIT_API_KEY,
    livekitApiSecret: config.LIVEKIT_API_SECRET,
    stripeWebhookSecret: config.STRIPE_WEBHOOK_SECRET,
    agentApiKey: config.AGENT_API_KEY,
  };
  const pick = <K extends keyof Secrets>(k: K): Secrets[K] => fromEnv[k] ?? stored[k] ?? generated[k];
  const secrets: Secrets = {
    jwtPrivateJwks: pick('jwtPrivateJwks'),
    livekitApiKey: pick('livekitApiKey'),
    livekitApiSecret: pick('livekitApiSecret'),
    stripeWebhookSecret: pick('stripeWebhookSecret'),
    agentApiKey: pick('agentApiKey'),
  };
  if (opts.persist && !config.isProduction) {
    const toStore: Partial<Secrets> = { ...stored };
    for (const k of Object.keys(secrets) as (keyof Secrets)[]) {
      if (fromEnv[k] === undefined) (toStore as Record<string, unknown>)[k] = secrets[k];
    }
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(toStore, null, 2), { mode: 0o600 });
  }
  return secrets;
}

function parseJwks(text: string): JWK[] {
  const parsed = JSON.parse(text) as unknown;
  const keys = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'object' && k && 'kid' in k && 'd' in k)) {
    throw new Error('JWT_PRIVATE_JWKS must be a JSON array (or {keys: [...]}) of private JWKs, each with a kid');
  }
  return keys as JWK[];
}
