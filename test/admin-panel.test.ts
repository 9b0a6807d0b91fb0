import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { PANEL_DIST } from '../src/services/admin/panel.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, buildAdminTestApp, buildGatewayApp } from './support/admin.js';
import { SCENARIO, seedScenario } from './support/admin-scenario.js';
import { onPostgres } from './support/database.js';
import { createTestPlatform, type TestPlatform } from './support/platform.js';

/** Screenshots of every page, kept after the run (gitignored). */
const ARTIFACTS = path.resolve('.test-artifacts/admin-ui', onPostgres ? 'postgres' : 'pglite');
const CHROMIUM = '/usr/bin/chromium';

let platform: TestPlatform;
let gateway: App;
let admin: App;
let browser: Browser;
let page: Page;
let base = '';
const pageErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(`${PANEL_DIST}index.html`)) throw new Error('The admin panel is not built: run npm run build:admin-ui (npm test does).');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does).`);
  await mkdir(ARTIFACTS, { recursive: true });
  platform = await createTestPlatform();
  gateway = await buildGatewayApp(platform);
  ({ app: admin } = await buildAdminTestApp(platform, { targets: async () => [{ name: 'admin', url: base }] }));
  await seedScenario(platform, gateway);
  await admin.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(admin.server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Every failed request but the deliberate wrong password.
  page.on('response', (res) => {
    if (res.status() >= 400 && !res.url().endsWith('/auth/login')) pageErrors.push(`${res.status()} ${res.url()}`);
  });
});

afterAll(async () => {
  await browser?.close();
  await platform?.payments.flush();
  await admin?.close();
  await gateway?.close();
  await platform?.db.close();
});

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
const nav = async (label: string) => {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: label, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: label }).waitFor();
};
const stat = (id: string) => page.getByTestId(id).locator('.stat-value');

describe('the admin panel in a browser', () => {
  it('serves hashed, immutable, compressed assets and index.html for every page', async () => {
    const html = await fetch(`${base}/users`, { headers: { 'accept-encoding': 'br' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    const asset = /\/assets\/[^"]+\.js/.exec(await html.text())![0];
    const js = await fetch(`${base}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-encoding')).toBe('br');
    expect((await fetch(`${base}/assets/gone-1234.js`)).status).toBe(404);
  });

  it('signs in as the admin, shows the scenario\'s figures, grants minutes, deactivates a coupon; every page renders', async () => {
    await page.goto(base);
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/password/i);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();

    // Overview over the scenario's four days.
    await page.getByLabel('From').fill(SCENARIO.from);
    await page.getByLabel('To').fill(SCENARIO.to);
    await expect.poll(() => stat('stat-revenue').textContent()).toBe('$5.00');
    expect(await stat('stat-users').textContent()).toBe('3');
    expect(await stat('stat-subscriptions').textContent()).toBe('1');
    expect(await stat('stat-sessions').textContent()).toBe('1');
    expect(await stat('stat-minutes-sold').textContent()).toBe('60');
    expect(await stat('stat-minutes-consumed').textContent()).toBe('5');
    expect(await stat('stat-minutes-granted').textContent()).toBe('10');
    expect(await stat('stat-minutes-expired').textContent()).toBe('5');
    expect(await page.locator('.chart canvas').count()).toBe(3);
    await shot('overview');

    // Find a user and grant minutes.
    await nav('Users');
    await page.getByLabel('Search users').fill('bob');
    await page.getByRole('link', { name: 'bob@example.com' }).click();
    await page.getByRole('heading', { level: 1, name: 'Bob Stone' }).waitFor();
    expect(await stat('user-balance').textContent()).toBe('10 min');
    await page.getByRole('button', { name: 'Grant minutes' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Minutes').fill('15');
    await dialog.getByLabel(/Reason/).fill('support goodwill');
    await dialog.getByRole('button', { name: 'Grant' }).click();
    await expect.poll(() => stat('user-balance').textContent()).toBe('25 min');
    await shot('user-detail');
    await nav('Users');
    await shot('users');

    // Deactivate a coupon, confirming in the dialog.
    await nav('Money');
    const row = page.getByTestId('coupon-WELCOME25');
    await row.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog').getByLabel(/Reason/).fill('campaign over');
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await expect.poll(() => row.textContent()).toContain('inactive');
    await shot('money');

    for (const [label, name] of [['Sessions', 'sessions'], ['Personas', 'personas'], ['Webhooks', 'webhooks'], ['System', 'system'], ['Audit log', 'audit']] as const) {
      await nav(label);
      if (label === 'Sessions') await page.getByRole('tab', { name: 'Recent' }).click();
      await page.waitForLoadState('networkidle');
      await shot(name);
    }
    expect(await page.getByRole('cell', { name: 'coupon.deactivate' }).count()).toBe(1);
    expect(await page.getByRole('cell', { name: 'user.grant' }).count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
