import createClient, { type Client, type ClientOptions, type Middleware } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };
/** The body of every 4xx/5xx answer: `detail` to show, `code` to branch on (docs/errors.md). */
export type ApiError = components['schemas']['Error'];
export type MindBotClient = Client<paths>;

export interface MindBotClientOptions extends ClientOptions {
  /** The gateway's origin, e.g. http://127.0.0.1:8080 (empty for the page's own origin). */
  baseUrl?: string;
  /** The access token to send as `Authorization: Bearer …`; called before every request. */
  accessToken?: () => string | null | undefined;
}

/**
 * A typed client for the whole API: `client.POST('/time/purchase', { body: { package_id } })`
 * returns `{ data }` (typed by the route's 2xx schema) or `{ error }` (an ApiError).
 */
export function createMindBotClient(options: MindBotClientOptions = {}): MindBotClient {
  const { accessToken, ...rest } = options;
  const client = createClient<paths>(rest);
  if (accessToken) {
    const auth: Middleware = {
      onRequest({ request }) {
        const token = accessToken();
        if (token && !request.headers.has('authorization')) request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
  }
  return client;
}
