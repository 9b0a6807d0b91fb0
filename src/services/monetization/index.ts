import type { ServiceModule } from '../service.js';
import { adRoutes, adSsvRoutes } from './ad-routes.js';
import { couponRoutes } from './coupon-routes.js';
import { paymentRoutes } from './payment-routes.js';
import { planRoutes } from './plan-routes.js';
import { subscriptionRoutes } from './subscription-routes.js';
import { userRoutes } from './user-routes.js';

/** Monetization service (port 8005): plans, subscriptions, coupons, ads, user tier. */
export const monetizationService: ServiceModule = {
  name: 'monetization',
  title: 'MindBot Monetization',
  port: (c) => c.MONETIZATION_PORT,
  routes: (platform) => [
    planRoutes(platform),
    subscriptionRoutes(platform),
    adRoutes(platform),
    adSsvRoutes(platform),
    couponRoutes(platform),
    userRoutes(platform),
    paymentRoutes(platform),
  ],
};
