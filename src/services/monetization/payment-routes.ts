import { Type } from '@sinclair/typebox';
import { currentUser } from '../../http/authenticate.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import { bearerSecurity, errorResponses, Nullable, Timestamp } from '../../http/schemas.js';
import type { Platform } from '../../platform.js';
import { listPayments } from './payments.js';

const PaymentsResponse = Type.Object({
  payments: Type.Array(
    Type.Object({
      id: Type.String({ description: 'The payment intent (time cards) or invoice (subscriptions)' }),
      kind: Type.Union([Type.Literal('time_card'), Type.Literal('subscription')]),
      description: Type.String(),
      status: Type.Union(['pending', 'succeeded', 'failed', 'refunded', 'partially_refunded'].map((s) => Type.Literal(s))),
      amount_cents: Type.Integer(),
      refunded_cents: Type.Integer(),
      currency: Type.String(),
      created_at: Timestamp,
      receipt_url: Nullable(Type.String({ description: "Stripe's receipt: the charge's receipt (time cards) or the invoice's page at Stripe (subscriptions); null when Stripe gives none" })),
    }),
  ),
});

/** The signed-in user's payments. */
export function paymentRoutes(platform: Platform): RoutePlugin {
  return signedInRoutes(platform, async (app) => {
    app.get(
      '/payments',
      {
        schema: {
          tags: ['payments'],
          summary: 'Your payments: time cards and subscription invoices, with status, amount, refunds and receipt link',
          security: bearerSecurity,
          response: { 200: PaymentsResponse, ...errorResponses(401) },
        },
      },
      async (request) => ({ payments: await listPayments(platform.db, currentUser(request).id) }),
    );
  });
}
