export { startFakeStripe, decodeForm, type FakeStripe, type FakeStripeRoutes, type FakeRoute, type FakeRequest } from './server.js';
export { paymentIntentRoutes } from './payment-intents.js';
export { refundRoutes } from './refunds.js';
export { signedEvent, deliverEvent, type SignedEvent } from './events.js';
