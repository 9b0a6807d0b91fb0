import type { FastifyPluginAsync } from 'fastify';
import type { Config, ServiceName } from '../config.js';
import { createApp, type App } from '../http/app.js';
import type { Platform } from '../platform.js';

/** A background job a service runs while it is up (sweepers, expiry). */
export interface Worker {
  stop(): Promise<void>;
}

/** What the start-up layer needs to know of a service. */
export interface ServiceModule {
  name: Exclude<ServiceName, 'gateway'>;
  title: string;
  port(config: Config): number;
  /** The service's route plugins; the gateway mounts them too. */
  routes(platform: Platform): FastifyPluginAsync[];
  /** Routes served on this service's own port only, never through the gateway (the admin panel). */
  portRoutes?(platform: Platform): FastifyPluginAsync[];
  /** Background jobs started once per process that runs this service. */
  workers?(platform: Platform): Worker[];
}

export function buildServiceApp(platform: Platform, service: ServiceModule): Promise<App> {
  return createApp(platform, { name: service.name, title: service.title, routes: [...service.routes(platform), ...(service.portRoutes?.(platform) ?? [])] });
}
