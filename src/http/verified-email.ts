import type { FastifyRequest } from 'fastify';
import { one } from '../db/database.js';
import type { Platform } from '../platform.js';
import { currentUser } from './authenticate.js';
import { AppError } from './errors.js';

/**
 * `preHandler` for the routes that take money (time card purchase, subscribe): with
 * REQUIRE_VERIFIED_EMAIL_FOR_PURCHASE on, an account whose email is not confirmed gets 403
 * `email_unverified` and nothing is created. Off (the default), it lets every request through.
 */
export function requireVerifiedEmailForPurchase(platform: Platform) {
  return async (request: FastifyRequest): Promise<void> => {
    if (!platform.config.REQUIRE_VERIFIED_EMAIL_FOR_PURCHASE) return;
    const row = await one<{ email_verified_at: Date | null }>(platform.db, 'SELECT email_verified_at FROM users WHERE id = $1', [currentUser(request).id]);
    if (!row?.email_verified_at) {
      throw new AppError('email_unverified', 'Confirm your email before paying: follow the link we sent you, or ask for a new one with POST /auth/resend-verification.');
    }
  };
}
