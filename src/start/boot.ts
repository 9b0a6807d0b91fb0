import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import type { App } from '../http/app.js';
import type { Logger } from '../logger.js';
import type { Platform } from '../platform.js';
import { createPlatform } from './platform.js';
import { resolveSecrets } from '../secrets.js';
import { SERVICES } from '../services/index.js';
import { buildServiceApp, type Worker } from '../services/service.js';
import { ensureAdminFromConfig } from './first-admin.js';
import { buildGatewayApp } from './gateway.js';

export interface RunningApp {
  name: string;
  port: number;
  app: App;
}

export interface Booted {
  platform: Platform;
  apps: RunningApp[];
  workers: Worker[];
}

/** Opens the database, applies migrations and builds the apps for the chosen services. */
export async function boot(config: Config, log: Logger, db?: Database): Promise<Booted> {
  const database = db ?? (await openDatabase(config, (message) => log.warn(message)));
  const migrated = await migrate(database);
  if (migrated.versions.length > 0 || migrated.functions.length > 0) log.info(migrated, 'migrations applied');
  await ensureAdminFromConfig(database, config, log);
  const secrets = await resolveSecrets(config);
  const platform = await createPlatform({ config, db: database, log, secrets });

  const chosen = SERVICES.filter((s) => config.services.includes(s.name));
  const apps: RunningApp[] = [];
  for (const service of chosen) {
    apps.push({ name: service.name, port: service.port(config), app: await buildServiceApp(platform, service) });
  }
  if (config.services.includes('gateway')) {
    // The whole public API on one origin: the guide's clients call relative paths.
    apps.push({ name: 'gateway', port: config.GATEWAY_PORT, app: await buildGatewayApp(platform) });
  }
  // The gateway serves every service's routes, so it runs their background work too.
  const working = config.services.includes('gateway') ? SERVICES : chosen;
  const workers = working.flatMap((s) => s.workers?.(platform) ?? []);
  return { platform, apps, workers };
}
