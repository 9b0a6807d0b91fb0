import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMindBotClient, type MindBotClient } from '../clients/typescript/src/index.js';
import type { App } from '../src/http/app.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let app: App;
let client: MindBotClient;
let token: string | undefined;

beforeAll(async () => {
  ({ platform, app } = await openGateway());
  await app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  client = createMindBotClient({ baseUrl, accessToken: () => token });
});
afterAll(() => closeGateway(platform, app));

describe('the typed client (clients/typescript) over HTTP', () => {
  it('walks the guide: register → buy → activate → persona session → end → history', async () => {
    const registered = await client.POST('/auth/register', {
      body: { email: 'client-flow@example.com', password: 'a long enough password', full_name: 'Client Flow' },
    });
    expect(registered.response.status).toBe(201);
    token = registered.data!.access_token;

    const pricing = await client.GET('/time/pricing');
    const pack = pricing.data!.pricing_tiers.find((t) => t.id === 'starter_1h')!;
    expect(pack).toBeDefined();

    const bought = await client.POST('/time/purchase', {
      body: { package_id: pack.id, payment_method_id: 'pm_card_visa' },
      params: { header: { 'Idempotency-Key': 'client-flow-purchase' } },
    });
    expect(bought.error).toBeUndefined();
    const code = bought.data!.activation_code;
    await platform.payments.flush(); // the simulated provider's payment_intent.succeeded

    const activated = await client.POST('/time/activate', { body: { activation_code: code } });
    expect(activated.data!.time_card).toMatchObject({ id: bought.data!.time_card_id, remaining_minutes: pack.total_minutes });

    const started = await client.POST('/personas/{slug}/session', {
      params: { path: { slug: 'zen-master' } },
      body: { quality_preference: 'high' },
    });
    expect(started.data).toMatchObject({ session_started: true, persona: { slug: 'zen-master' } });
    const sessionId = started.data!.session_id;

    const again = await client.POST('/personas/{slug}/session', { params: { path: { slug: 'pixel' } }, body: {} });
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ code: 'session_live' });

    const ended = await client.POST('/time/session/end', { body: { session_id: sessionId } });
    expect(ended.data).toMatchObject({ session_id: sessionId });

    const history = await client.GET('/time/sessions');
    expect(history.data!.sessions.map((s) => s.session_id)).toContain(sessionId);
  });

  it('reads errors as { detail, code }', async () => {
    token = undefined;
    const res = await client.GET('/time/balance');
    expect(res.response.status).toBe(401);
    expect(res.error).toMatchObject({ code: 'unauthenticated', detail: expect.any(String) });
  });
});
