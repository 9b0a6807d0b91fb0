import type { ServiceModule } from '../service.js';
import { catalogueRoutes } from './catalogue-routes.js';
import { agentRoutes } from './agent-routes.js';
import { memberRoutes } from './member-routes.js';
import { settingsRoutes } from './settings-routes.js';

/**
 * Persona API (port 8004): catalogue, custom personas, persona sessions, ratings, a user's
 * preferences and memory per persona, and the voice agent's routes (`/agent/*`, its own key).
 */
export const personaService: ServiceModule = {
  name: 'personas',
  title: 'MindBot Persona API',
  port: (c) => c.PERSONA_PORT,
  routes: (platform) => [catalogueRoutes(platform), memberRoutes(platform), settingsRoutes(platform), agentRoutes(platform)],
};
