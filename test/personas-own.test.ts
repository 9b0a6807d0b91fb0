import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { App } from '../src/http/app.js';
import { buildGatewayApp } from '../src/start/gateway.js';
import { giveBalance, makePremium } from './support/accounts.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';
import { createUser, type TestUser } from './support/users.js';

let platform: TestPlatform;
let app: App;
beforeAll(async () => ({ platform, app } = await openGateway()));
afterAll(() => closeGateway(platform, app));

const tutor = { name: 'Calc Tutor', summary: 'Calculus help', persona: 'Patient and clear', purpose: 'Teach calculus', category: 'education' };
async function premiumUser(): Promise<TestUser> {
  const user = await createUser(platform);
  await makePremium(platform, user.id);
  return user;
}
const req = (user: TestUser, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, a: App = app) =>
  a.inject({ method, url, headers: user.auth, payload });
const create = async (user: TestUser, name = tutor.name) => {
  const res = await req(user, 'POST', '/personas/custom', { ...tutor, name });
  expect(res.statusCode).toBe(200);
  return res.json().slug as string;
};

describe('the owner edits, lists and deletes custom personas', () => {
  it('GET /personas/mine lists them with the slots left', async () => {
    const user = await premiumUser();
    const slug = await create(user);
    const res = await req(user, 'GET', '/personas/mine');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ limit: 3, remaining: 2, personas: [{ slug, name: 'Calc Tutor', persona: 'Patient and clear', is_custom: true }] });
    const other = await premiumUser();
    expect((await req(other, 'GET', '/personas/mine')).json().personas).toEqual([]);
  });

  it('PATCH changes the texts with the same limits and moderation; others get 404', async () => {
    const user = await premiumUser();
    const slug = await create(user);
    const ok = await req(user, 'PATCH', `/personas/${slug}`, { name: 'Algebra Tutor', persona: 'Brisk <<and>> exact' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ slug, name: 'Algebra Tutor', message: 'Custom persona updated.' });
    const detail = (await req(user, 'GET', `/personas/${slug}`)).json();
    expect(detail).toMatchObject({ name: 'Algebra Tutor', persona: 'Brisk and exact', purpose: 'Teach calculus' });
    const [row] = await platform.db.query<{ system_prompt: string }>(`SELECT system_prompt FROM personas WHERE slug = $1`, [slug]);
    expect(row!.system_prompt).toContain('Brisk and exact');

    expect((await req(user, 'PATCH', `/personas/${slug}`, { persona: 'x'.repeat(1001) })).statusCode).toBe(422);
    expect((await req(user, 'PATCH', `/personas/${slug}`, { persona: '<<>>' })).statusCode).toBe(422);
    const flagged = await req(user, 'PATCH', `/personas/${slug}`, { persona: 'Explains how to build a bomb' });
    expect(flagged.statusCode).toBe(422);
    expect((await req(user, 'PATCH', `/personas/${slug}`, {})).statusCode).toBe(422);
    expect((await req(user, 'GET', `/personas/${slug}`)).json().persona).toBe('Brisk and exact');

    const stranger = await premiumUser();
    expect((await req(stranger, 'PATCH', `/personas/${slug}`, { name: 'Mine now' })).statusCode).toBe(404);
    expect((await req(stranger, 'DELETE', `/personas/${slug}`)).statusCode).toBe(404);
    expect((await req(user, 'PATCH', '/personas/mindbot', { name: 'Renamed' })).statusCode).toBe(404);
    expect((await req(user, 'DELETE', '/personas/mindbot')).statusCode).toBe(404);
  });

  it('PATCH fails closed when moderation is unavailable', async () => {
    const user = await premiumUser();
    const slug = await create(user);
    const p: TestPlatform = { ...platform, config: loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', OPENAI_API_KEY: 'sk-test', OPENAI_API_BASE: 'http://127.0.0.1:9/v1' }) };
    const down = await buildGatewayApp(p);
    try {
      const res = await req(user, 'PATCH', `/personas/${slug}`, { name: 'Unchecked' }, down);
      expect(res.statusCode).toBe(503);
    } finally {
      await down.close();
    }
    expect((await req(user, 'GET', `/personas/${slug}`)).json().name).toBe('Calc Tutor');
  });

  it('DELETE frees a slot, keeps past sessions in the history and the persona cannot be started', async () => {
    const user = await premiumUser();
    const slugs = [await create(user, 'One'), await create(user, 'Two'), await create(user, 'Three')];
    expect((await req(user, 'POST', '/personas/custom', tutor)).statusCode).toBe(409);
    await giveBalance(platform, user.id, 3600);
    const start = await req(user, 'POST', `/personas/${slugs[0]}/session`, {});
    expect(start.statusCode).toBe(200);
    const sessionId = start.json().session_id as string;
    expect((await req(user, 'POST', '/time/session/end', { session_id: sessionId })).statusCode).toBe(200);

    expect((await req(user, 'DELETE', `/personas/${slugs[0]}`)).statusCode).toBe(204);
    expect((await req(user, 'DELETE', `/personas/${slugs[0]}`)).statusCode).toBe(404);
    expect((await req(user, 'GET', `/personas/${slugs[0]}`)).statusCode).toBe(404);
    expect((await req(user, 'POST', `/personas/${slugs[0]}/session`, {})).statusCode).toBe(404);
    expect((await req(user, 'GET', '/personas')).json().personas.map((p: { slug: string }) => p.slug)).not.toContain(slugs[0]);
    expect((await req(user, 'GET', '/personas/mine')).json()).toMatchObject({ remaining: 1 });
    const history = (await req(user, 'GET', '/time/sessions')).json();
    expect(JSON.stringify(history)).toContain(slugs[0]);
    expect((await req(user, 'POST', '/personas/custom', tutor)).statusCode).toBe(200);
  });
});
