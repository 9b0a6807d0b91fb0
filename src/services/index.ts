import type { ServiceModule } from './service.js';
import { createAdminService } from './admin/index.js';
import { serviceTargets } from './admin/system.js';
import { accountsExtensions } from './accounts/index.js';
import { createAuthService } from './auth/index.js';
import { sessionRoutes } from './auth/session-routes.js';
import { monetizationService } from './monetization/index.js';
import { personaService } from './personas/index.js';
import { timeService } from './time/index.js';
import { webhookService } from './webhooks/index.js';

/** The admin panel looks at every service (at its configured port) and signs in through Auth's routes. */
const adminService = createAdminService({
  targets: (platform) => async () => serviceTargets(platform.config, SERVICES),
  signInRoutes: (platform) => sessionRoutes(platform),
});

/** Auth with the accounts layer's routes and registration hook. */
const authService = createAuthService(accountsExtensions);

/** Every service of the architecture, in port order. */
export const SERVICES: readonly ServiceModule[] = [
  authService,
  timeService,
  adminService,
  webhookService,
  personaService,
  monetizationService,
];
