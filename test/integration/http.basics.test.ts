import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventOnSale, gridLayout, type EventFixture } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

describe('HTTP basics: docs, health, metrics, compression, admin key', () => {
  let t: TestApp;
  let event: EventFixture;

  beforeAll(async () => {
    t = await createTestApp();
    event = await createEventOnSale(t.deps.database.db, { layout: gridLayout(30, 30) });
  });
  afterAll(async () => t?.close());

  it('serves the OpenAPI document with the public, hold and admin routes, and Swagger UI', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    for (const path of ['/api/holds', '/api/holds/{token}', '/api/events', '/api/events/{id}/seats', '/api/trips']) {
      expect(Object.keys(document.paths)).toContain(path);
    }
    expect(Object.keys(document.paths).some((path) => path.startsWith('/api/admin/'))).toBe(true);
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
    expect(ui.headers['content-security-policy']).toContain("object-src 'none'");
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers health and readiness, and exposes hold metrics in Prometheus format', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', database: true, holdStore: { name: 'sql', ok: true } });

    await t.app.inject({
      method: 'POST',
      url: '/api/holds',
      payload: { eventId: event.eventId, seatIds: [event.seatIds[0]] },
      headers: { 'x-session-id': 'metrics-session-aaaaaaaa' },
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/holds',
      payload: { eventId: event.eventId, seatIds: [event.seatIds[0]] },
      headers: { 'x-session-id': 'metrics-session-bbbbbbbb' },
    });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/boxoffice_holds_created_total\{kind="event"\} 1/);
    expect(metrics.body).toMatch(/boxoffice_holds_conflicted_total\{kind="event"\} 1/);
    expect(metrics.body).toContain('boxoffice_holds_expired_total');
    expect(metrics.body).toContain('boxoffice_http_request_duration_seconds_bucket');
  });

  it('compresses a large seat map for clients that accept gzip', async () => {
    const plain = await t.app.inject({ method: 'GET', url: `/api/events/${event.eventId}/seats` });
    const zipped = await t.app.inject({
      method: 'GET',
      url: `/api/events/${event.eventId}/seats`,
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.rawPayload.length).toBeLessThan(plain.rawPayload.length / 4);
    expect(JSON.parse(gunzipSync(zipped.rawPayload).toString())).toEqual(plain.json());
  });

  it('guards admin routes with an access token and the one error shape', async () => {
    const missing = await t.app.inject({ method: 'GET', url: '/api/admin/organizers' });
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('auth.required');
    const wrong = await t.app.inject({
      method: 'GET',
      url: '/api/admin/organizers',
      headers: { authorization: 'Bearer not-a-token-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('auth.token_invalid');
    const right = await t.app.inject({
      method: 'GET',
      url: '/api/admin/organizers',
      headers: t.adminHeaders,
    });
    expect(right.statusCode).toBe(200);
  });
});
