import { describe, expect, it } from 'vitest';
import { authService } from '../src/services/auth/index.js';
import { buildServiceApp } from '../src/services/service.js';
import { closeGateway, openGateway } from './support/gateway.js';

describe('GET /config', () => {
  it('tells a frontend without keys that payments are simulated, and where LiveKit is', async () => {
    const { platform, app } = await openGateway({ LIVEKIT_URL: 'ws://127.0.0.1:7880' });
    try {
      const res = await app.inject('/config');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        payments: { mode: 'simulated', stripe_publishable_key: null, simulated_test_cards: { succeeds: 'pm_card_visa', declines: 'pm_card_chargeDeclined' } },
        livekit: { url: 'ws://127.0.0.1:7880' },
      });
      const auth = await buildServiceApp(platform, authService);
      expect((await auth.inject('/config')).json()).toEqual(res.json());
      await auth.close();
    } finally {
      await closeGateway(platform, app);
    }
  });

  it('gives the Stripe publishable key (never the secret) when Stripe is configured', async () => {
    const { platform, app } = await openGateway({ STRIPE_SECRET_KEY: 'sk_test_secret123', STRIPE_PUBLISHABLE_KEY: 'pk_test_public123', STRIPE_WEBHOOK_SECRET: 'whsec_x' });
    try {
      const res = await app.inject('/config');
      expect(res.json().payments).toMatchObject({ mode: 'stripe', stripe_publishable_key: 'pk_test_public123' });
      expect(res.body).not.toContain('sk_test_secret123');
      expect(res.body).not.toContain('whsec_x');
    } finally {
      await closeGateway(platform, app);
    }
  });
});
