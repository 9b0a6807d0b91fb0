import type { AuthExtensions } from '../auth/index.js';
import { accountRecoveryRoutes, sendVerification } from './routes.js';

/**
 * Accounts, served by Auth (port 8000): email verification, password recovery and change,
 * email change, export and deletion, the development mailbox (docs/accounts.md).
 */
export const accountsExtensions: AuthExtensions = {
  hooks: (platform) => ({ onRegistered: (user) => sendVerification(platform, user) }),
  routes: (platform) => [accountRecoveryRoutes(platform)],
};
