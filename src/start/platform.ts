import { Redis } from 'ioredis';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { createLiveKitRooms } from '../integrations/livekit/rooms.js';
import { createLiveKitTokens } from '../integrations/livekit/tokens.js';
import { createMailer } from '../integrations/mail/mailer.js';
import { createPaymentProvider } from '../integrations/payments/index.js';
import type { Logger } from '../logger.js';
import type { Platform } from '../platform.js';
import type { Secrets } from '../secrets.js';
import { createAccessTokens } from '../services/auth/access-tokens.js';
import { handleStripeWebhook } from '../services/webhooks/stripe.js';

export interface PlatformParts {
  config: Config;
  db: Database;
  log: Logger;
  secrets: Secrets;
  clock?: Clock;
}

/** Builds the Platform: the one place that knows which implementation stands behind each part. */
export async function createPlatform(parts: PlatformParts): Promise<Platform> {
  const clock = parts.clock ?? systemClock;
  const { config, secrets } = parts;
  const accessTokens = await createAccessTokens({
    privateJwks: secrets.jwtPrivateJwks,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    ttlMinutes: config.ACCESS_TOKEN_TTL_MINUTES,
    clock,
    jwksUrl: config.AUTH_JWKS_URL,
  });
  const redis = config.REDIS_URL
    ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false })
    : undefined;
  redis?.on('error', (err) => parts.log.warn({ err: err.message }, 'redis error'));
  const livekit = createLiveKitTokens({
    url: config.LIVEKIT_URL,
    apiKey: secrets.livekitApiKey,
    apiSecret: secrets.livekitApiSecret,
    ttlMinutes: config.LIVEKIT_TOKEN_TTL_MINUTES,
  });
  const rooms = createLiveKitRooms({
    url: config.LIVEKIT_URL,
    apiKey: secrets.livekitApiKey,
    apiSecret: secrets.livekitApiSecret,
    serverConfigured: config.LIVEKIT_API_KEY !== undefined,
    log: parts.log,
  });
  // The simulated provider delivers its signed events to this platform's webhook handler.
  const payments = createPaymentProvider({
    config,
    webhookSecret: secrets.stripeWebhookSecret,
    clock,
    log: parts.log,
    deliver: (raw, signature) => handleStripeWebhook(platform, raw, signature),
    db: parts.db,
  });
  const mailer = createMailer({
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    log: parts.log,
    logLinks: config.NODE_ENV === 'development',
    now: () => clock.now(),
  });
  const platform: Platform = { config, db: parts.db, clock, log: parts.log, secrets, accessTokens, livekit, rooms, payments, mailer, redis };
  return platform;
}

/** Releases what the platform opened; simulated webhook deliveries in flight land first. */
export async function closePlatform(p: Platform): Promise<void> {
  await p.payments.flush();
  p.redis?.disconnect();
  await p.db.close();
}
