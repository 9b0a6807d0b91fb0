import { one } from '../../db/database.js';
import { requireAgent } from '../../http/agent-key.js';
import { ErrorResponse, errorResponses } from '../../http/schemas.js';
import { guardedRoutes, type RoutePlugin } from '../../http/routes.js';
import { createModerator } from '../../integrations/moderation/index.js';
import type { Platform } from '../../platform.js';
import { endById, startBilling } from '../time/session-billing.js';
import { storeReport } from './agent-report.js';
import { AgentSessionResponse, EndBody, EndResponse, MemoryBody, ReportBody, SessionIdParams, StoredResponse } from './agent-schemas.js';
import { agentSessionView, sessionNotFound } from './agent-session.js';
import { storeMemory } from './memory.js';

const agentSecurity = [{ agentKey: [] }];
const tags = ['agent'];
/** A report may carry a transcript: more room than the API's usual 64 KiB. */
const REPORT_BODY_LIMIT = 2 * 1024 * 1024;

interface PersonaSessionRef {
  id: string;
  user_id: string;
  persona_slug: string;
}

/**
 * The voice agent's routes (`/agent/*`, docs/agent-api.md), in a scope of their own that only
 * the agent's key opens: it reads a session, says when the conversation began, ends it
 * through the Time service's one idempotent end, reports usage, and writes memory.
 */
export function agentRoutes(platform: Platform): RoutePlugin {
  const moderator = createModerator(platform.config);
  const personaSession = async (id: string): Promise<PersonaSessionRef> => {
    const ref = await one<PersonaSessionRef>(
      platform.db,
      `SELECT time_session_id AS id, user_id, persona_slug FROM persona_sessions WHERE time_session_id = $1`,
      [id],
    );
    if (!ref) throw sessionNotFound();
    return ref;
  };

  return guardedRoutes(requireAgent(platform), async (app) => {
    const errors = errorResponses(401, 404, 422);

    app.get(
      '/agent/sessions/:id',
      {
        schema: {
          tags, summary: 'A persona session as the voice agent needs it', security: agentSecurity,
          params: SessionIdParams, response: { 200: AgentSessionResponse, ...errors },
        },
      },
      async (request) => agentSessionView(platform, request.params.id),
    );

    app.post(
      '/agent/sessions/:id/joined',
      {
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          tags, summary: 'The user and the agent are both in the room: billing starts now (idempotent)', security: agentSecurity,
          params: SessionIdParams, response: { 200: AgentSessionResponse, ...errors },
        },
      },
      async (request) => {
        const ref = await personaSession(request.params.id);
        const now = platform.clock.now();
        await platform.db.query(
          `UPDATE persona_sessions SET user_joined_at = COALESCE(user_joined_at, $2), agent_joined_at = COALESCE(agent_joined_at, $2)
            WHERE time_session_id = $1`,
          [ref.id, now],
        );
        await startBilling(platform, ref.id);
        return agentSessionView(platform, ref.id);
      },
    );

    app.post(
      '/agent/sessions/:id/end',
      {
        schema: {
          tags, summary: 'End the session through the Time service\'s one idempotent end', security: agentSecurity,
          params: SessionIdParams, body: EndBody, response: { 200: EndResponse, ...errors },
        },
      },
      async (request) => {
        const ref = await personaSession(request.params.id);
        await endById(platform, ref.id, request.body.reason);
        const row = await one<{ billed_seconds: number; charged_seconds: number; end_reason: string }>(
          platform.db,
          `SELECT billed_seconds, charged_seconds, end_reason FROM time_sessions WHERE id = $1 AND status = 'completed'`,
          [ref.id],
        );
        if (!row) throw new Error(`time session ${ref.id} is not completed after its end`);
        return {
          time_session_id: ref.id,
          status: 'ended' as const,
          billed_seconds: row.billed_seconds,
          charged_seconds: row.charged_seconds,
          ended_reason: row.end_reason,
        };
      },
    );

    app.post(
      '/agent/sessions/:id/report',
      {
        bodyLimit: REPORT_BODY_LIMIT,
        schema: {
          tags, summary: 'The call\'s end reason, model usage and latency (stored once per session)', security: agentSecurity,
          params: SessionIdParams, body: ReportBody, response: { 200: StoredResponse, ...errors, 413: ErrorResponse },
        },
      },
      async (request) => {
        const ref = await personaSession(request.params.id);
        return { stored: await storeReport(platform, ref.id, request.body) };
      },
    );

    app.put(
      '/agent/sessions/:id/memory',
      {
        schema: {
          tags, summary: 'The call\'s summary for the next call with this persona (only with the user\'s consent)', security: agentSecurity,
          params: SessionIdParams, body: MemoryBody, response: { 200: StoredResponse, ...errors, 503: ErrorResponse },
        },
      },
      async (request) => {
        const ref = await personaSession(request.params.id);
        return storeMemory(platform, moderator, { id: ref.id, userId: ref.user_id, slug: ref.persona_slug }, request.body.summary);
      },
    );
  });
}
