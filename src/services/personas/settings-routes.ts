import { one } from '../../db/database.js';
import { currentUser } from '../../http/authenticate.js';
import { bearerSecurity, ErrorResponse } from '../../http/schemas.js';
import { signedInRoutes, type RoutePlugin } from '../../http/routes.js';
import { createModerator } from '../../integrations/moderation/index.js';
import type { Platform } from '../../platform.js';
import { findVisiblePersona } from './catalogue.js';
import { deleteMemory, readMemory } from './memory.js';
import { fieldsOf, readPreferences, writePreferences } from './preferences.js';
import { MemoryResponse, PreferencesBody, PreferencesResponse, SlugParams } from './schemas.js';

const tags = ['personas'];

/**
 * What a signed-in user tells a persona about themselves: their values for its customisable
 * fields, and what it remembers of them (written by the agent, with consent). Each user sees
 * and changes only their own; someone else's custom persona is 404 as everywhere.
 */
export function settingsRoutes(platform: Platform): RoutePlugin {
  const moderator = createModerator(platform.config);
  return signedInRoutes(platform, async (app) => {
    app.get(
      '/personas/:slug/preferences',
      {
        schema: {
          tags, summary: 'Your values for the persona\'s customisable fields', security: bearerSecurity,
          params: SlugParams, response: { 200: PreferencesResponse, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request) => {
        const userId = currentUser(request).id;
        const persona = await findVisiblePersona(platform.db, request.params.slug, userId);
        return { persona_slug: persona.slug, fields: fieldsOf(persona), preferences: await readPreferences(platform.db, userId, persona) };
      },
    );

    app.put(
      '/personas/:slug/preferences',
      {
        schema: {
          tags, summary: 'Set your values for the persona\'s customisable fields (validated, moderated)', security: bearerSecurity,
          params: SlugParams, body: PreferencesBody,
          response: { 200: PreferencesResponse, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse, 503: ErrorResponse },
        },
      },
      async (request) => {
        const userId = currentUser(request).id;
        const persona = await findVisiblePersona(platform.db, request.params.slug, userId);
        const preferences = await writePreferences(platform, moderator, userId, persona, request.body.preferences);
        return { persona_slug: persona.slug, fields: fieldsOf(persona), preferences };
      },
    );

    app.get(
      '/personas/:slug/memory',
      {
        schema: {
          tags, summary: 'What the persona remembers of you from earlier calls', security: bearerSecurity,
          params: SlugParams, response: { 200: MemoryResponse, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request) => {
        const userId = currentUser(request).id;
        const persona = await findVisiblePersona(platform.db, request.params.slug, userId);
        const memory = await readMemory(platform.db, userId, persona.slug);
        const consent = await one<{ memory_enabled: boolean }>(platform.db, `SELECT memory_enabled FROM users WHERE id = $1`, [userId]);
        return {
          persona_slug: persona.slug,
          memory_enabled: consent?.memory_enabled ?? false,
          summary: memory?.summary ?? null,
          updated_at: memory?.updated_at.toISOString() ?? null,
        };
      },
    );

    app.delete(
      '/personas/:slug/memory',
      {
        schema: {
          tags, summary: 'Forget what the persona remembers of you', security: bearerSecurity,
          params: SlugParams, response: { 204: { type: 'null', description: 'Forgotten' }, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
        },
      },
      async (request, reply) => {
        const userId = currentUser(request).id;
        const persona = await findVisiblePersona(platform.db, request.params.slug, userId);
        await deleteMemory(platform.db, userId, persona.slug);
        return reply.status(204).send();
      },
    );
  });
}
