/**
 * Regenerates the typed client in clients/typescript from the gateway's OpenAPI document:
 * clients/typescript/openapi.json (the document) and src/schema.d.ts (openapi-typescript).
 * `npm run client:generate` writes them; test/client-current.test.ts fails when they are stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { loadConfig } from '../src/config.js';
import { openPglite, wrapPglite } from '../src/db/pglite.js';
import { createLogger } from '../src/logger.js';
import { generateSecrets } from '../src/secrets.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { createPlatform } from '../src/start/platform.js';

export const CLIENT_DIR = fileURLToPath(new URL('../clients/typescript/', import.meta.url));
export const DOCUMENT_FILE = `${CLIENT_DIR}openapi.json`;
export const SCHEMA_FILE = `${CLIENT_DIR}src/schema.d.ts`;

/** The document as the client is generated from it (the test's default configuration). */
export const renderDocument = (doc: unknown): string => `${JSON.stringify(doc, null, 2)}\n`;

export async function renderSchema(doc: unknown): Promise<string> {
  const ast = await openapiTS(structuredClone(doc) as never, { alphabetize: true, defaultNonNullable: false });
  return COMMENT_HEADER + astToString(ast);
}

/** The gateway's document, from an app that is built but never listens (no migrations needed). */
export async function gatewayDocument(): Promise<unknown> {
  const pg = await openPglite(undefined);
  const db = wrapPglite(pg);
  const platform = await createPlatform({
    config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent' }),
    db,
    log: createLogger('silent'),
    secrets: await generateSecrets(),
  });
  const app = await buildGatewayApp(platform);
  await app.ready();
  const doc = structuredClone(app.swagger());
  await app.close();
  await db.close();
  return doc;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const doc = await gatewayDocument();
  writeFileSync(DOCUMENT_FILE, renderDocument(doc));
  writeFileSync(SCHEMA_FILE, await renderSchema(doc));
  console.log('clients/typescript/openapi.json and src/schema.d.ts written.');
  process.exit(0);
}
