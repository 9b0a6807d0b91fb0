import type { ServiceModule } from '../service.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { memberRoutes } from './member-routes.js';

/** Persona API (port 8004): catalogue, custom personas, persona sessions, ratings. */
export const personaService: ServiceModule = {
  name: 'personas',
  title: 'MindBot Persona API',
  port: (c) => c.PERSONA_PORT,
  routes: (platform) => [catalogueRoutes(platform), memberRoutes(platform)],
};
