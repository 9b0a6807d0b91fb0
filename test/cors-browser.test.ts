import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import type { App } from '../src/http/app.js';
import { allowedOrigins, DEV_ORIGINS } from '../src/http/cors.js';
import { closeGateway, openGateway } from './support/gateway.js';
import type { TestPlatform } from './support/platform.js';

const CHROMIUM = '/usr/bin/chromium';

/** A static page on its own origin: what a frontend's dev server serves. */
async function pageServer(): Promise<{ origin: string; server: http.Server }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>frontend</title><p>frontend</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let platform: TestPlatform;
let app: App;
let api = '';
let allowed: { origin: string; server: http.Server };
let other: { origin: string; server: http.Server };
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (.ci/run does).`);
  allowed = await pageServer();
  other = await pageServer();
  ({ platform, app } = await openGateway({ CORS_ORIGINS: `${allowed.origin}, https://app.example.com` }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
});

afterAll(async () => {
  await browser?.close();
  allowed?.server.close();
  other?.server.close();
  await closeGateway(platform, app);
});

/** Registers and reads the profile from a page on `origin`: JSON bodies and a Bearer header, so both preflight. */
async function signUpFrom(origin: string) {
  const page = await browser.newPage();
  try {
    await page.goto(origin);
    return await page.evaluate(async (base) => {
      try {
        const res = await fetch(`${base}/auth/register`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: `cors-${Date.now()}@example.com`, password: 'a long enough password', full_name: 'Cors Page' }),
        });
        const body = await res.json();
        const me = await fetch(`${base}/auth/me`, { headers: { Authorization: `Bearer ${body.access_token}` } });
        const bad = await fetch(`${base}/auth/register`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
        return {
          status: res.status,
          meStatus: me.status,
          meEmail: (await me.json()).email as string,
          requestId: me.headers.get('x-request-id'),
          badStatus: bad.status,
          badCode: (await bad.json()).code as string,
        };
      } catch (err) {
        return { failed: String(err) };
      }
    }, api);
  } finally {
    await page.close();
  }
}

describe('CORS', () => {
  it('lets a page on an allowed origin register, call with a Bearer token and read error bodies and X-Request-Id', async () => {
    const result = await signUpFrom(allowed.origin);
    expect(result).toMatchObject({ status: 201, meStatus: 200, badStatus: 422, badCode: 'validation_failed' });
    expect(result.meEmail).toMatch(/^cors-\d+@example\.com$/);
    expect(result.requestId).toBeTruthy();
  });

  it('refuses a page on any other origin: the browser blocks the call', async () => {
    expect(await signUpFrom(other.origin)).toEqual({ failed: expect.stringContaining('Failed to fetch') });
  });

  it('answers preflights with the allowed origin, no credentials, and a cache lifetime', async () => {
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/auth/login',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-max-age']).toBe('600');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const stranger = await app.inject({
      method: 'OPTIONS',
      url: '/auth/login',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('adds no CORS headers to a request without an Origin (not from a page), only Vary: Origin', async () => {
    const plain = await app.inject({ url: '/health' });
    expect(Object.keys(plain.headers).filter((h) => h.startsWith('access-control-'))).toEqual([]);
    expect(plain.headers.vary).toContain('Origin');
    const fromPage = await app.inject({ url: '/health', headers: { origin: 'https://app.example.com' } });
    expect(fromPage.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(fromPage.headers['access-control-expose-headers']).toContain('X-Request-Id');
  });

  it('keeps Vary: Origin on the catalogue answers a shared cache may keep, beside Authorization', async () => {
    for (const headers of [{}, { origin: 'https://app.example.com' }]) {
      const res = await app.inject({ url: '/personas?limit=5', headers });
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toMatch(/public/);
      expect(String(res.headers.vary).split(/,\s*/).sort()).toEqual(['Authorization', 'Origin']);
    }
  });

  it('allows the local dev-server origins by default outside production, and no origin in production', () => {
    expect(allowedOrigins(loadConfig({}))).toEqual(DEV_ORIGINS);
    expect(DEV_ORIGINS).toEqual(expect.arrayContaining(['http://localhost:5173', 'http://localhost:3000', 'http://localhost:8080']));
    expect(allowedOrigins({ isProduction: true, CORS_ORIGINS: undefined })).toEqual([]);
    expect(allowedOrigins({ isProduction: true, CORS_ORIGINS: 'https://a.example/, https://b.example' })).toEqual(['https://a.example', 'https://b.example']);
    expect(allowedOrigins({ isProduction: false, CORS_ORIGINS: '*' })).toBe('*');
  });
});
