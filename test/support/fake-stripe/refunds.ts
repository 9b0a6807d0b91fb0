import type { FakeStripeRoutes } from './server.js';

/** POST /v1/refunds: records the refund as Stripe would answer it (the charge.refunded event is the test's to send). */
export const refundRoutes: FakeStripeRoutes = [
  {
    method: 'POST',
    path: '/v1/refunds',
    handler: (req, fake) => {
      const refund = {
        id: fake.id('re'),
        object: 'refund',
        amount: Number(req.body.amount),
        payment_intent: req.body.payment_intent,
        metadata: req.body.metadata ?? {},
        status: 'succeeded',
      };
      fake.objects.set(refund.id, refund);
      return { body: refund };
    },
  },
];
