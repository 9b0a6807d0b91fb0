import type { ServiceModule } from '../service.js';
import { liveKitWebhookRoutes } from './livekit.js';
import { startRedelivery } from './redelivery.js';
import { stripeWebhookRoutes } from './stripe.js';

/** Webhook service (port 8003): Stripe and LiveKit event receivers. */
export const webhookService: ServiceModule = {
  name: 'webhooks',
  title: 'MindBot Webhooks',
  port: (c) => c.WEBHOOK_PORT,
  routes: (platform) => [stripeWebhookRoutes(platform), liveKitWebhookRoutes(platform)],
  workers: (platform) => [startRedelivery(platform)],
};
