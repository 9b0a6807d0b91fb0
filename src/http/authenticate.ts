import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Platform } from '../platform.js';
import type { AccessClaims, VerifiedClaims } from './access-tokens.js';
import { forbidden, unauthenticated } from './errors.js';
import { requireGoodStandingCached } from './user-standing.js';
import { changesState, userWrites } from './user-writes.js';

export interface AuthUser {
  id: string;
  email: string;
  role: AccessClaims['role'];
}

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
  }
}

/**
 * `onRequest` hook for an encapsulated scope of routes that need a signed-in user.
 * Routes use it through `signedInRoutes` (src/http/routes.ts).
 */
export function requireUser(platform: Platform) {
  return async (request: FastifyRequest): Promise<void> => {
    const user = await userFromRequest(platform, request);
    if (changesState(request.method)) userWrites.mark(user.id, platform.clock.now().getTime());
    request.user = user;
  };
}

export function requireAdmin(platform: Platform) {
  return async (request: FastifyRequest): Promise<void> => {
    const user = await userFromRequest(platform, request);
    if (user.role !== 'admin') throw forbidden('This action needs an administrator account.', 'admin_required');
    request.user = user;
  };
}

/**
 * For public routes that answer differently to signed-in users; a bad token is still refused.
 * A callback hook: an anonymous request, the catalogue's usual caller, passes without a promise.
 */
export function optionalUser(platform: Platform): onRequestHookHandler {
  return (request, _reply, done) => {
    if (!request.headers.authorization) {
      request.user = null;
      done();
      return;
    }
    userFromRequest(platform, request).then((user) => {
      request.user = user;
      done();
    }, done);
  };
}

async function userFromRequest(platform: Platform, request: FastifyRequest): Promise<AuthUser> {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  if (!match?.[1]) throw unauthenticated();
  let claims: VerifiedClaims;
  try {
    claims = await platform.accessTokens.verify(match[1]);
  } catch {
    throw unauthenticated('Invalid or expired access token.');
  }
  const { role } = await requireGoodStandingCached(platform, claims.sub, claims.issuedAt);
  return { id: claims.sub, email: claims.email, role };
}

/** The signed-in user of a request inside a `requireUser` scope. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthenticated();
  return request.user;
}
