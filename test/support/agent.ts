import type { App } from '../../src/http/app.js';
import type { Platform } from '../../src/platform.js';
import type { TestUser } from './users.js';

/** The voice agent's side of the contract, as the worker calls it (X-Agent-Key). */
export function agentClient(app: App, platform: Platform, key = platform.secrets.agentApiKey) {
  const headers = { 'x-agent-key': key };
  return {
    get: (id: string) => app.inject({ method: 'GET', url: `/agent/sessions/${id}`, headers }),
    joined: (id: string) => app.inject({ method: 'POST', url: `/agent/sessions/${id}/joined`, headers, payload: {} }),
    end: (id: string, reason = 'user_left') => app.inject({ method: 'POST', url: `/agent/sessions/${id}/end`, headers, payload: { reason } }),
    report: (id: string, body: Record<string, unknown>) => app.inject({ method: 'POST', url: `/agent/sessions/${id}/report`, headers, payload: body }),
    memory: (id: string, summary: string) => app.inject({ method: 'PUT', url: `/agent/sessions/${id}/memory`, headers, payload: { summary } }),
  };
}

/** Starts a persona session over the public API; returns its body and its time_session_id (from the dispatch metadata). */
export async function startPersonaCall(app: App, user: TestUser, slug: string, payload: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: `/personas/${slug}/session`, headers: user.auth, payload });
  if (res.statusCode !== 200) throw new Error(`session start ${res.statusCode}: ${res.body}`);
  return startPersonaCallFrom(res);
}

/** A session start's body and its time_session_id (from the dispatch metadata in the room token). */
/** What a persona session start answers, as the agent tests read it. */
export interface PersonaSessionStart {
  session_id: string;
  room_name: string;
  livekit_token: string;
  premium_features_available: string[];
  quality: string;
  quality_downgraded: boolean;
}

export function startPersonaCallFrom(res: { json(): unknown }) {
  const body = res.json() as PersonaSessionStart;
  const jwt = JSON.parse(Buffer.from(String(body.livekit_token).split('.')[1]!, 'base64url').toString());
  const meta = JSON.parse(jwt.roomConfig.agents[0].metadata);
  return { body, timeSessionId: meta.time_session_id as string };
}
