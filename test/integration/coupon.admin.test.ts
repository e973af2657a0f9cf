import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices } from '../support/booking-fixtures.js';
import { createEventOnSale, type EventFixture } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { book } from './cancellation.fixtures.js';

/** Staff CRUD of coupons under /api/admin/coupons: validation, usage counts, organizer scoping. */
describe(`coupon admin API (${databaseKind})`, () => {
  let t: TestApp;
  let event: EventFixture;
  let otherEvent: EventFixture;
  let staffX: TestUser;
  let staffY: TestUser;
  let admin: TestUser;
  let customer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.deps.database.db;
    event = await createEventOnSale(db);
    otherEvent = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 5_000, B: 3_000 });
    staffX = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    staffY = await createTestUser(t, { role: 'staff', organizerId: otherEvent.organizerId });
    admin = await createTestUser(t, { role: 'admin' });
    customer = await createTestUser(t);
  });
  afterAll(async () => t?.close());

  const create = (user: TestUser | undefined, body: Record<string, unknown>) =>
    api(t, 'POST', '/api/admin/coupons', {
      ...(user ? { user } : {}),
      body: { organizerId: event.organizerId, ...body },
    });

  it('creates, reads, lists, changes and deletes a coupon', async () => {
    const created = await create(staffX, {
      code: 'Welcome10',
      kind: 'percent',
      value: 10,
      minOrder: 1_000,
      maxRedemptions: 100,
      perUserMax: 2,
      validTo: '2099-01-01T00:00:00Z',
      scope: { eventIds: [event.eventId], categories: ['A'] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      organizerId: event.organizerId,
      code: 'Welcome10',
      kind: 'percent',
      value: 10,
      minOrder: 1_000,
      validFrom: null,
      validTo: '2099-01-01T00:00:00.000Z',
      maxRedemptions: 100,
      perUserMax: 2,
      scope: { eventIds: [event.eventId], routeIds: [], categories: ['A'] },
      active: true,
      usage: { redemptions: 0, remaining: 100, active: 0, returned: 0 },
    });
    const id = created.body.id as string;
    expect(id).toMatch(/^cpn_/);
    expect((await api(t, 'GET', `/api/admin/coupons/${id}`, { user: staffX })).body.code).toBe('Welcome10');

    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/coupons/${id}`,
      headers: staffX.headers,
      payload: { value: 15, validTo: null, scope: { categories: ['A', 'B'] } },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ value: 15, validTo: null, scope: { eventIds: [], categories: ['A', 'B'] } });

    const list = await api(t, 'GET', '/api/admin/coupons', { user: staffX });
    expect(list.body.map((c: { id: string }) => c.id)).toContain(id);
    const deleted = await api(t, 'DELETE', `/api/admin/coupons/${id}`, { user: staffX });
    expect(deleted.status).toBe(204);
    expect((await api(t, 'GET', `/api/admin/coupons/${id}`, { user: staffX })).status).toBe(404);
  });

  it('refuses bad input with 4xx codes', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ code: 'BIG', kind: 'percent', value: 101 }, 400, 'request.invalid'],
      [{ code: 'ZERO', kind: 'fixed', value: 0 }, 400, 'request.invalid'],
      [{ code: 'x', kind: 'fixed', value: 5 }, 400, 'request.invalid'],
      [{ code: 'EXTRA', kind: 'fixed', value: 5, surprise: true }, 400, 'request.invalid'],
      [{ code: 'SCOPE', kind: 'fixed', value: 5, scope: { eventIds: [otherEvent.eventId] } }, 400, 'request.invalid'],
      [{ code: 'SCOPE2', kind: 'fixed', value: 5, scope: { unknown: [] } }, 400, 'request.invalid'],
      [
        { code: 'WINDOW', kind: 'fixed', value: 5, validFrom: '2030-01-02T00:00:00Z', validTo: '2030-01-01T00:00:00Z' },
        400,
        'request.invalid',
      ],
      [{ code: 'NODATE', kind: 'fixed', value: 5, validTo: 'tomorrow' }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await create(staffX, body);
      expect([reply.status, reply.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await create(staffX, { code: 'TWICE', kind: 'fixed', value: 5 })).status).toBe(201);
    const duplicate = await create(staffX, { code: 'twice', kind: 'fixed', value: 7 });
    expect([duplicate.status, duplicate.body.error?.code]).toEqual([409, 'coupon.code_taken']);
  });

  it('keeps a redeemed coupon: delete answers 409, deactivate instead; the cap cannot go below usage', async () => {
    const created = await create(staffX, { code: 'USED', kind: 'fixed', value: 500, maxRedemptions: 5 });
    const id = created.body.id as string;
    await book(t, customer, { eventId: event.eventId, seatIds: [event.seatIds[0]!], couponCode: 'used' });
    await book(t, customer, { eventId: event.eventId, seatIds: [event.seatIds[1]!], couponCode: 'USED' });
    const usage = await api(t, 'GET', `/api/admin/coupons/${id}`, { user: staffX });
    expect(usage.body.usage).toEqual({ redemptions: 2, remaining: 3, active: 2, returned: 0 });
    const deleted = await api(t, 'DELETE', `/api/admin/coupons/${id}`, { user: staffX });
    expect([deleted.status, deleted.body.error?.code]).toEqual([409, 'coupon.redeemed']);
    const lowerCap = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/coupons/${id}`,
      headers: staffX.headers,
      payload: { maxRedemptions: 1 },
    });
    expect([lowerCap.statusCode, lowerCap.json().error.code]).toEqual([409, 'coupon.redeemed']);
    const deactivated = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/coupons/${id}`,
      headers: staffX.headers,
      payload: { active: false },
    });
    expect(deactivated.json()).toMatchObject({ active: false });
    const refused = await api(t, 'POST', '/api/bookings', {
      user: customer,
      body: { eventId: event.eventId, seatIds: [event.seatIds[2]!], couponCode: 'USED' },
    });
    expect(refused.body.error?.code).toBe('coupon.expired');
    const inactive = await api(t, 'GET', '/api/admin/coupons?active=false', { user: staffX });
    expect(inactive.body.map((c: { id: string }) => c.id)).toEqual([id]);
  });

  it("shows staff only their organizer's coupons; others answer 404; customers 403; anonymous 401", async () => {
    const created = await create(staffX, { code: 'MINE', kind: 'fixed', value: 5 });
    const id = created.body.id as string;
    expect((await api(t, 'GET', `/api/admin/coupons/${id}`, { user: staffY })).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/admin/coupons/${id}`, { user: staffY })).status).toBe(404);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/coupons/${id}`,
      headers: staffY.headers,
      payload: { value: 1 },
    });
    expect(patch.statusCode).toBe(404);
    expect((await create(staffY, { code: 'THEIRS', kind: 'fixed', value: 5 })).status).toBe(404);
    const listY = await api(t, 'GET', `/api/admin/coupons?organizerId=${event.organizerId}`, { user: staffY });
    expect(listY.body).toEqual([]);
    const listAdmin = await api(t, 'GET', '/api/admin/coupons', { user: admin });
    expect(listAdmin.body.map((c: { id: string }) => c.id)).toContain(id);
    expect((await api(t, 'GET', `/api/admin/coupons/${id}`, { user: admin })).status).toBe(200);
    expect((await api(t, 'GET', '/api/admin/coupons', { user: customer })).status).toBe(403);
    expect((await api(t, 'GET', '/api/admin/coupons')).status).toBe(401);
  });
});
