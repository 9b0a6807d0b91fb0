import type { Redis } from 'ioredis';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { AccessTokens } from './http/access-tokens.js';
import type { LiveKitRooms } from './integrations/livekit/rooms.js';
import type { LiveKitTokens } from './integrations/livekit/tokens.js';
import type { Mailer } from './integrations/mail/mailer.js';
import type { PaymentProvider } from './integrations/payments/provider.js';
import type { Logger } from './logger.js';
import type { Secrets } from './secrets.js';

/**
 * Everything a service needs from the outside world, built once (src/start/platform.ts)
 * and passed in. A type only: this module imports nothing but types, so every layer may
 * depend on it without a circle. Tests build it with a cloned database, a manual clock and
 * local fakes.
 */
export interface Platform {
  readonly config: Config;
  readonly db: Database;
  readonly clock: Clock;
  readonly log: Logger;
  readonly secrets: Secrets;
  readonly accessTokens: AccessTokens;
  readonly livekit: LiveKitTokens;
  /** LiveKit's room service (closing a call from the server side). */
  readonly rooms: LiveKitRooms;
  /** Stripe when STRIPE_SECRET_KEY is set, the simulated provider otherwise; callers cannot tell. */
  readonly payments: PaymentProvider;
  /** SMTP when SMTP_URL is set, the development mailbox otherwise. */
  readonly mailer: Mailer;
  /** Shared rate-limit store across instances, when REDIS_URL is set. */
  readonly redis?: Redis;
}
