import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Platform } from '../platform.js';
import type { TypedApp } from './app.js';
import { requireUser } from './authenticate.js';

/** A plugin of routes, registered by an app in its own encapsulated scope. */
export type RoutePlugin = FastifyPluginAsync;

/** Declares a scope's routes on its TypeBox-typed instance. */
export type DefineRoutes = (app: TypedApp) => Promise<void> | void;

/** A check every request of a scope passes before its handler (who is calling): async, or a callback hook. */
export type Guard = ((request: FastifyRequest) => Promise<void>) | onRequestHookHandler;

/** Routes anyone may call: the scope adds no check of its own. */
export function publicRoutes(define: DefineRoutes): RoutePlugin {
  return async (root) => define(root.withTypeProvider<TypeBoxTypeProvider>());
}

/** Routes whose every request passes `guard` first (an agent key, an administrator, an optional user). */
export function guardedRoutes(guard: Guard, define: DefineRoutes): RoutePlugin {
  return publicRoutes(async (app) => {
    app.addHook('onRequest', guard);
    await define(app);
  });
}

/** Routes for a signed-in user: a missing, bad or revoked access token is refused (401) before the handler. */
export function signedInRoutes(platform: Platform, define: DefineRoutes): RoutePlugin {
  return guardedRoutes(requireUser(platform), define);
}
