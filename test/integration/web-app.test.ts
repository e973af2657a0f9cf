import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_APP_CONTENT_SECURITY_POLICY } from '../../src/http/web-app.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The server serves the built web app at `/`: its files, index.html for any page of the browser router
 * (deep links survive a reload), never for the server's own paths; a strict CSP on the app's page.
 * A stand-in build is written here so the test does not depend on `vite build` having run.
 */
describe('serving the web app', () => {
  let t: TestApp;
  let root: string;
  const INDEX =
    '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head></html>';

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-webroot-'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, 'index.html'), INDEX);
    fs.writeFileSync(path.join(root, 'assets', 'index-abc123.js'), 'console.log("app");');
    fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await createTestApp({ webRoot: root });
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string, accept = 'text/html') => t.app.inject({ method: 'GET', url, headers: { accept } });

  it('answers the home page and every client-side route with index.html under a strict CSP', async () => {
    for (const url of ['/', '/events', '/events/evt_abc?x=1', '/trips/trp_1/seats', '/bookings/ord_1', '/console/x']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toBe(INDEX);
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toBe(WEB_APP_CONTENT_SECURITY_POLICY);
    }
    const csp = WEB_APP_CONTENT_SECURITY_POLICY;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });

  it('serves built files, hashed assets cached for a year', async () => {
    const asset = await get('/assets/index-abc123.js', '*/*');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect(asset.body).toContain('console.log');
    const icon = await get('/favicon.svg', '*/*');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
  });

  it('never answers the server’s own paths or missing files with the app', async () => {
    for (const url of ['/api/nope', '/api', '/pay/unknown/x', '/assets/missing.js', '/missing.png']) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code).toBe('route.not_found');
    }
    expect((await get('/healthz', 'application/json')).json()).toEqual({ status: 'ok' });
    const docs = await get('/api/docs/');
    // Swagger UI keeps its own policy (it needs inline scripts); the app's is never weakened for it.
    expect(docs.headers['content-security-policy']).not.toBe(WEB_APP_CONTENT_SECURITY_POLICY);
  });
});
