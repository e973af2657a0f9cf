import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, type EventFixture } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/** Staff CRUD of refund policies under /api/admin/refund-policies: rule validation and organizer scoping. */
describe(`refund policy admin API (${databaseKind})`, () => {
  let t: TestApp;
  let event: EventFixture;
  let staffX: TestUser;
  let staffY: TestUser;
  let customer: TestUser;

  const rules = [
    { minHoursBefore: 48, feePercent: 0, feeFlat: 500 },
    { minHoursBefore: 12, feePercent: 25, feeFlat: 0 },
    { minHoursBefore: 4, feePercent: 50, feeFlat: 0, feeMode: 'max', feeFlatByCategory: { SL: 12_000 } },
  ];

  beforeAll(async () => {
    t = await createTestApp();
    event = await createEventOnSale(t.deps.database.db);
    const other = await createEventOnSale(t.deps.database.db);
    staffX = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    staffY = await createTestUser(t, { role: 'staff', organizerId: other.organizerId });
    customer = await createTestUser(t);
  });
  afterAll(async () => t?.close());

  const create = (user: TestUser, body: Record<string, unknown>) =>
    api(t, 'POST', '/api/admin/refund-policies', {
      user,
      body: { organizerId: event.organizerId, name: 'P', ...body },
    });

  it('creates an organizer default and an event override, lists, changes and deletes them', async () => {
    const organizerPolicy = await create(staffX, { scopeKind: 'organizer', rules, minFee: 1_000 });
    expect(organizerPolicy.status).toBe(201);
    expect(organizerPolicy.body).toMatchObject({
      scopeKind: 'organizer',
      scopeId: event.organizerId,
      rules,
      minFee: 1_000,
    });
    const override = await create(staffX, { scopeKind: 'event', scopeId: event.eventId, rules: [] });
    expect(override.status).toBe(201);
    const again = await create(staffX, { scopeKind: 'event', scopeId: event.eventId, rules: [] });
    expect([again.status, again.body.error?.code]).toEqual([409, 'refund_policy.exists']);

    const list = await api(t, 'GET', '/api/admin/refund-policies', { user: staffX });
    expect(list.body).toHaveLength(2);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/refund-policies/${override.body.id}`,
      headers: staffX.headers,
      payload: { rules: [{ minHoursBefore: 24, feePercent: 9.9, feeFlat: 0 }], name: 'Override' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Override',
      rules: [{ minHoursBefore: 24, feePercent: 9.9, feeFlat: 0 }],
    });
    expect((await api(t, 'DELETE', `/api/admin/refund-policies/${override.body.id}`, { user: staffX })).status).toBe(
      204,
    );
    expect((await api(t, 'GET', `/api/admin/refund-policies/${override.body.id}`, { user: staffX })).status).toBe(404);

    const trip = await createTrip(t.deps.database.db);
    const staffT = await createTestUser(t, { role: 'staff', organizerId: trip.organizerId });
    const route = await api(t, 'POST', '/api/admin/refund-policies', {
      user: staffT,
      body: { organizerId: trip.organizerId, name: 'Route', scopeKind: 'route', scopeId: trip.routeId, rules },
    });
    expect(route.status).toBe(201);
  });

  it('validates the rule table and the scope', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ scopeKind: 'event', scopeId: event.eventId, rules: [rules[1], rules[0]] }, 400, 'refund_policy.invalid'],
      [{ scopeKind: 'event', scopeId: event.eventId, rules: [rules[0], rules[0]] }, 400, 'refund_policy.invalid'],
      [
        { scopeKind: 'event', scopeId: event.eventId, rules: [{ minHoursBefore: 1, feePercent: 101, feeFlat: 0 }] },
        400,
        'request.invalid',
      ],
      [
        { scopeKind: 'event', scopeId: event.eventId, rules: [{ minHoursBefore: 1, feePercent: 10.123, feeFlat: 0 }] },
        400,
        'refund_policy.invalid',
      ],
      [
        { scopeKind: 'event', scopeId: event.eventId, rules: [{ minHoursBefore: 1, feePercent: 10, feeFlat: -1 }] },
        400,
        'request.invalid',
      ],
      [
        {
          scopeKind: 'event',
          scopeId: event.eventId,
          rules: [{ minHoursBefore: 1, feePercent: 10, feeFlat: 0, x: 1 }],
        },
        400,
        'request.invalid',
      ],
      [{ scopeKind: 'event', rules }, 400, 'refund_policy.invalid'],
      [{ scopeKind: 'event', scopeId: 'evt_missing', rules }, 404, 'resource.not_found'],
      [{ scopeKind: 'route', scopeId: event.eventId, rules }, 404, 'resource.not_found'],
      [{ scopeKind: 'event', scopeId: event.eventId, rules, minFee: -5 }, 400, 'request.invalid'],
      [{ scopeKind: 'event', scopeId: event.eventId, rules: Array(21).fill(rules[0]) }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const reply = await create(staffX, body);
      expect([reply.status, reply.body.error?.code], JSON.stringify(body)).toEqual([status, code]);
    }
  });

  it("scopes staff to their organizer's policies", async () => {
    const policy = await create(staffX, { scopeKind: 'event', scopeId: event.eventId, rules, name: 'Scoped' });
    expect(policy.status).toBe(201);
    expect((await api(t, 'GET', `/api/admin/refund-policies/${policy.body.id}`, { user: staffY })).status).toBe(404);
    expect((await api(t, 'DELETE', `/api/admin/refund-policies/${policy.body.id}`, { user: staffY })).status).toBe(404);
    expect((await create(staffY, { scopeKind: 'organizer', rules })).status).toBe(404);
    expect((await api(t, 'GET', '/api/admin/refund-policies', { user: staffY })).body).toEqual([]);
    expect((await api(t, 'GET', '/api/admin/refund-policies', { user: customer })).status).toBe(403);
    expect((await api(t, 'GET', '/api/admin/refund-policies')).status).toBe(401);
  });
});
