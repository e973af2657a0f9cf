import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, type Json } from '../support/booking-fixtures.js';
import { createOrganizer } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * Managing organizer webhooks: the secret is shown once, URLs must be https:// to a public address (an
 * organizer cannot make Boxoffice call into its own network), and each organizer's staff see only theirs.
 */
describe(`webhook endpoints (${databaseKind})`, () => {
  let t: TestApp;
  let staffX: TestUser;
  let staffY: TestUser;
  let orgX: string;
  let orgY: string;

  beforeAll(async () => {
    t = await createTestApp();
    orgX = await createOrganizer(t.deps.database.db);
    orgY = await createOrganizer(t.deps.database.db);
    staffX = await createTestUser(t, { role: 'staff', organizerId: orgX });
    staffY = await createTestUser(t, { role: 'staff', organizerId: orgY });
  });
  afterAll(async () => t?.close());

  const create = (user: TestUser, body: Json) => api(t, 'POST', '/api/admin/webhooks', { user, body });

  it('refuses URLs that are not https:// to a public address, and unknown events, changing nothing', async () => {
    for (const url of [
      'http://93.184.216.34/hook',
      'https://127.0.0.1/hook',
      'https://localhost/hook',
      'https://10.1.2.3/hook',
      'https://192.168.0.10/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://user:secret@93.184.216.34/hook',
      'ftp://93.184.216.34/hook',
      'not a url at all',
    ]) {
      const reply = await create(staffX, { organizerId: orgX, url, events: ['order.confirmed'] });
      expect([reply.status, reply.body.error?.code], url).toEqual([400, 'webhook.url_invalid']);
    }
    for (const events of [[], ['order.exploded'], ['order.confirmed', 'order.confirmed']]) {
      const reply = await create(staffX, { organizerId: orgX, url: 'https://93.184.216.34/hook', events });
      expect([reply.status, reply.body.error?.code]).toEqual([400, 'request.invalid']);
    }
    const unknownField = await create(staffX, {
      organizerId: orgX,
      url: 'https://93.184.216.34/hook',
      events: ['order.confirmed'],
      secret: 'mine',
    });
    expect(unknownField.status).toBe(400);
    expect((await api(t, 'GET', '/api/admin/webhooks', { user: staffX })).body).toEqual([]);
  });

  it('shows the secret once, keeps each organizer’s endpoints to its staff, and updates, rotates and deletes', async () => {
    const created = await create(staffX, {
      organizerId: orgX,
      url: 'https://93.184.216.34/boxoffice',
      events: ['order.confirmed', 'order.refunded'],
      description: 'Accounting',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ organizerId: orgX, active: true, description: 'Accounting' });
    const secret = created.body.secret as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{32}$/);
    const id = created.body.id as string;
    expect(id).toMatch(/^whk_/);

    const read = await api(t, 'GET', `/api/admin/webhooks/${id}`, { user: staffX });
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty('secret');
    expect((await api(t, 'GET', '/api/admin/webhooks', { user: staffX })).body).toHaveLength(1);
    expect((await api(t, 'GET', '/api/admin/webhooks', { user: staffY })).body).toEqual([]);
    expect((await api(t, 'GET', `/api/admin/webhooks?organizerId=${orgX}`, { user: staffY })).body).toEqual([]);
    expect((await api(t, 'GET', `/api/admin/webhooks/${id}`, { user: staffY })).status).toBe(404);
    expect(
      (await create(staffY, { organizerId: orgX, url: 'https://93.184.216.34/x', events: ['order.confirmed'] })).status,
    ).toBe(404);

    const paused = await api(t, 'PATCH', `/api/admin/webhooks/${id}`, {
      user: staffX,
      body: { active: false, events: ['trip.delayed', 'trip.cancelled'] },
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ active: false, events: ['trip.delayed', 'trip.cancelled'] });
    const badUrl = await api(t, 'PATCH', `/api/admin/webhooks/${id}`, {
      user: staffX,
      body: { url: 'https://10.0.0.1/' },
    });
    expect(badUrl.body.error?.code).toBe('webhook.url_invalid');
    expect((await api(t, 'GET', `/api/admin/webhooks/${id}`, { user: staffX })).body.url).toBe(
      'https://93.184.216.34/boxoffice',
    );
    expect((await api(t, 'PATCH', `/api/admin/webhooks/${id}`, { user: staffY, body: { active: true } })).status).toBe(
      404,
    );

    const rotated = await api(t, 'POST', `/api/admin/webhooks/${id}/rotate-secret`, { user: staffX });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(secret);
    const stored = await t.deps.database.db
      .selectFrom('webhook_endpoints')
      .select('secret')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(stored.secret).toBe(rotated.body.secret);

    expect((await api(t, 'GET', `/api/admin/webhooks/${id}/deliveries`, { user: staffX })).body).toEqual([]);
    expect((await api(t, 'DELETE', `/api/admin/webhooks/${id}`, { user: staffY })).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/admin/webhooks/${id}`, { user: staffX })).status).toBe(204);
    expect((await api(t, 'GET', `/api/admin/webhooks/${id}`, { user: staffX })).status).toBe(404);
  });
});
