import { Type } from '@sinclair/typebox';
import { publicRoutes, type RoutePlugin } from '../../http/routes.js';
import { Nullable } from '../../http/schemas.js';
import type { Platform } from '../../platform.js';

export const ClientConfigResponse = Type.Object(
  {
    payments: Type.Object({
      mode: Type.Union([Type.Literal('stripe'), Type.Literal('simulated')], {
        description: 'stripe: confirm client_secret with Stripe.js and the publishable key; simulated: nothing to confirm, the server completes the payment itself',
      }),
      stripe_publishable_key: Nullable(Type.String()),
      simulated_test_cards: Type.Object({
        succeeds: Type.String(),
        declines: Type.String(),
      }, { description: 'payment_method_id values the simulated provider (and Stripe test mode) answers as a card would' }),
    }),
    livekit: Type.Object({ url: Type.String({ description: 'Where LiveKit clients connect (also in every token answer)' }) }),
    public_base_url: Type.String(),
    billing: Type.Object({
      base_hourly_price_cents: Type.Integer(),
      max_active_sessions_per_user: Type.Integer(),
    }),
  },
  { title: 'ClientConfig' },
);

/** What a frontend needs to know before its first call: how payments are confirmed and where LiveKit is. */
export function configRoutes(platform: Platform): RoutePlugin {
  return publicRoutes(async (app) => {
    const { config } = platform;
    app.get(
      '/config',
      {
        schema: {
          tags: ['auth'],
          summary: 'Public client configuration: payment mode (stripe with its publishable key, or simulated), LiveKit URL',
          response: { 200: ClientConfigResponse },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=300');
        const stripe = platform.payments.kind === 'stripe';
        return {
          payments: {
            mode: platform.payments.kind,
            stripe_publishable_key: stripe ? (config.STRIPE_PUBLISHABLE_KEY ?? null) : null,
            simulated_test_cards: { succeeds: 'pm_card_visa', declines: 'pm_card_chargeDeclined' },
          },
          livekit: { url: config.LIVEKIT_URL },
          public_base_url: config.PUBLIC_BASE_URL,
          billing: {
            base_hourly_price_cents: config.BASE_HOURLY_PRICE_CENTS,
            max_active_sessions_per_user: config.MAX_ACTIVE_SESSIONS_PER_USER,
          },
        };
      },
    );
  });
}
