import { currentUser } from '../../http/authenticate.js';
import { ErrorResponse, bearerSecurity } from '../../http/schemas.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import type { Platform } from '../../platform.js';
import { checkCoupon, couponMessage, normalizeCode } from '../coupons/coupons.js';
import { CouponParams, CouponQuery, CouponResponse } from './schemas.js';

/** Guessing codes costs requests: a few per minute per user. */
export const COUPON_CHECKS_PER_MINUTE = 10;

export function couponRoutes(platform: Platform): RoutePlugin {
  return signedInRoutes(platform, async (app) => {
    app.get(
      '/coupons/validate/:code',
      {
        schema: {
          tags: ['coupons'],
          summary: 'Whether a coupon code applies for this user, and the discount on an amount (cents)',
          security: bearerSecurity,
          params: CouponParams,
          querystring: CouponQuery,
          response: { 200: CouponResponse, 401: ErrorResponse, 422: ErrorResponse, 429: ErrorResponse },
        },
        config: {
          rateLimit: {
            max: COUPON_CHECKS_PER_MINUTE,
            timeWindow: 60_000,
            keyGenerator: (r) => `coupons:${r.user?.id ?? r.ip}`,
          },
        },
      },
      async (request) => {
        const userId = currentUser(request).id;
        const amount = request.query.amount;
        const result = await checkCoupon(platform.db, request.params.code, userId, platform.clock.now(), amount);
        const code = normalizeCode(request.params.code);
        if (!result.valid) return { valid: false, code, reason: result.reason, message: result.message };
        const c = result.coupon;
        return {
          valid: true,
          code: c.code,
          percent_off: c.percentOff,
          amount_off_cents: c.amountOffCents,
          description: c.description,
          valid_until: c.validUntil ? c.validUntil.toISOString().slice(0, 10) : null,
          ...(amount !== undefined && result.discountCents !== null
            ? { discount_cents: result.discountCents, final_amount_cents: amount - result.discountCents }
            : {}),
          message: couponMessage(c),
        };
      },
    );
  });
}
