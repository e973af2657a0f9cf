import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { createEventOnSale, type EventFixture } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/** A logged-in buyer's holds belong to their account; nobody else can read, extend or release them. */
describe('hold ownership by account', () => {
  let t: TestApp;
  let event: EventFixture;
  let buyerA: TestUser;
  let buyerB: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    event = await createEventOnSale(t.deps.database.db);
    buyerA = await createTestUser(t);
    buyerB = await createTestUser(t);
  });
  afterAll(async () => t?.close());

  const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  };
  const hold = (seatIndex: number, headers: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: '/api/holds',
      headers,
      payload: { eventId: event.eventId, seatIds: [event.seatIds[seatIndex]] },
    });

  it('makes the user the owner, ignoring any X-Session-Id, and answers 404 to everyone else', async () => {
    const created = await hold(0, { ...buyerA.headers, 'x-session-id': 'some-browser-session-01' });
    expect(created.statusCode, created.body).toBe(201);
    const { token, owner } = created.json();
    expect(owner).toBe(buyerA.id);

    const url = `/api/holds/${token}`;
    expect((await t.app.inject({ method: 'GET', url, headers: buyerA.headers })).statusCode).toBe(200);
    // The session id sent at creation is not an owner.
    const bySession = await t.app.inject({
      method: 'GET',
      url,
      headers: { 'x-session-id': 'some-browser-session-01' },
    });
    expectError(bySession, 404, 'hold.not_found');
    expectError(await t.app.inject({ method: 'GET', url, headers: buyerB.headers }), 404, 'hold.not_found');
    expectError(
      await t.app.inject({ method: 'POST', url: `${url}/extend`, headers: buyerB.headers }),
      404,
      'hold.not_found',
    );
    expectError(await t.app.inject({ method: 'DELETE', url, headers: buyerB.headers }), 404, 'hold.not_found');
    const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    expectError(await t.app.inject({ method: 'GET', url, headers: staff.headers }), 404, 'hold.not_found');

    expect((await t.app.inject({ method: 'POST', url: `${url}/extend`, headers: buyerA.headers })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ method: 'DELETE', url, headers: buyerA.headers })).statusCode).toBe(204);
  });

  it('refuses an anonymous session id shaped like a user id, so nobody can pass for a user', async () => {
    const created = await hold(1, buyerA.headers);
    const { token } = created.json();
    const impostor = await t.app.inject({
      method: 'GET',
      url: `/api/holds/${token}`,
      headers: { 'x-session-id': buyerA.id },
    });
    expectError(impostor, 400, 'request.invalid');
    expectError(await hold(2, { 'x-session-id': `${buyerA.id}_x` }), 400, 'request.invalid');
  });

  it('keeps anonymous holds working by session, and tells an anonymous caller without one to send it', async () => {
    const created = await hold(3, { 'x-session-id': 'anonymous-session-0001' });
    expect(created.statusCode, created.body).toBe(201);
    const { token, owner } = created.json();
    expect(owner).toBe('anonymous-session-0001');
    const url = `/api/holds/${token}`;
    expect((await t.app.inject({ method: 'GET', url, headers: { 'x-session-id': owner } })).statusCode).toBe(200);
    expectError(await t.app.inject({ method: 'GET', url }), 400, 'request.invalid');
    // A logged-in user is not the anonymous session, even when sending its id.
    const asUser = await t.app.inject({ method: 'GET', url, headers: { ...buyerA.headers, 'x-session-id': owner } });
    expectError(asUser, 404, 'hold.not_found');
  });
});
