import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCUMENT_FILE, renderDocument, renderSchema, SCHEMA_FILE } from '../scripts/generate-client.js';
import type { App } from '../src/http/app.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

describe('clients/typescript', () => {
  it('is generated from the gateway\'s document as it is now (npm run client:generate)', async () => {
    await app.ready();
    const doc = structuredClone(app.swagger());
    expect(readFileSync(DOCUMENT_FILE, 'utf8')).toBe(renderDocument(doc));
    expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(await renderSchema(doc));
  });
});
