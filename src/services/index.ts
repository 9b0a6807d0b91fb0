import type { ServiceModule } from './service.js';
import { adminService } from './admin/index.js';
import { authService } from './auth/index.js';
import { monetizationService } from './monetization/index.js';
import { personaService } from './personas/index.js';
import { timeService } from './time/index.js';
import { webhookService } from './webhooks/index.js';

/** Every service of the architecture, in port order. */
export const SERVICES: readonly ServiceModule[] = [
  authService,
  timeService,
  adminService,
  webhookService,
  personaService,
  monetizationService,
];
