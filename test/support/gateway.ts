import type { App } from '../../src/http/app.js';
import { buildGatewayApp } from '../../src/start/gateway.js';
import { createTestPlatform, type TestPlatform } from './platform.js';

/**
 * A fresh platform and the gateway app over it (the whole public API, as port 8080
 * serves it): `beforeAll(async () => ({ platform, app } = await openGateway()))`.
 */
export async function openGateway(env?: Record<string, string>): Promise<{ platform: TestPlatform; app: App }> {
  const platform = await createTestPlatform(env);
  return { platform, app: await buildGatewayApp(platform) };
}

/** Lets simulated webhook deliveries land, then closes the app and the database. */
export async function closeGateway(platform: TestPlatform | undefined, app: App | undefined): Promise<void> {
  await platform?.payments.flush();
  await app?.close();
  await platform?.db.close();
}
