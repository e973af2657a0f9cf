import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';
import { createEventOnSale, createTrip, gridLayout, type EventFixture, type TripFixture } from '../support/fixtures.js';

const SESSION = 'session-aaaaaaaaaaaaaaaa';
const OTHER = 'session-bbbbbbbbbbbbbbbb';

describe.each(availableHoldStores())('holds API (%s hold store)', (holdStore) => {
  let t: TestApp;
  let event: EventFixture;
  let trip: TripFixture;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    event = await createEventOnSale(t.deps.database.db, {
      layout: gridLayout(4, 5, { gaAreas: [{ name: 'Standing', category: 'GA', capacity: 5 }] }),
    });
    trip = await createTrip(t.deps.database.db, { stopCount: 5 });
  });
  afterAll(async () => t?.close());

  const hold = (body: object, session = SESSION) =>
    t.app.inject({ method: 'POST', url: '/api/holds', payload: body, headers: { 'x-session-id': session } });

  it('holds free seats and refuses them to the next buyer with 409 listing the seats', async () => {
    const first = await hold({ eventId: event.eventId, seatIds: [event.seatIds[0], event.seatIds[1]] });
    expect(first.statusCode).toBe(201);
    const body = first.json();
    expect(body.token).toMatch(/^hold_/);
    expect(body.owner).toBe(SESSION);
    expect(body.seats).toHaveLength(2);
    expect(body.expiresInSeconds).toBeGreaterThan(590);

    const second = await hold({ eventId: event.eventId, seatIds: [event.seatIds[1], event.seatIds[2]] }, OTHER);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('inventory.seat_unavailable');
    expect(second.json().error.details.seatIds).toEqual([event.seatIds[1]]);

    // all or nothing: seat 2 was not held by the failed request
    const third = await hold({ eventId: event.eventId, seatIds: [event.seatIds[2]] }, OTHER);
    expect(third.statusCode).toBe(201);
  });

  it('lets only the owner read, extend once and release a hold', async () => {
    const created = (await hold({ eventId: event.eventId, seatIds: [event.seatIds[5]] })).json();
    const url = `/api/holds/${created.token}`;
    expect((await t.app.inject({ method: 'GET', url, headers: { 'x-session-id': OTHER } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url, headers: { 'x-session-id': SESSION } })).statusCode).toBe(200);

    const extended = await t.app.inject({ method: 'POST', url: `${url}/extend`, headers: { 'x-session-id': SESSION } });
    expect(extended.statusCode).toBe(200);
    expect(extended.json().extended).toBe(true);
    expect(extended.json().canExtend).toBe(false);
    const again = await t.app.inject({ method: 'POST', url: `${url}/extend`, headers: { 'x-session-id': SESSION } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('hold.extension_used');

    expect((await t.app.inject({ method: 'DELETE', url, headers: { 'x-session-id': OTHER } })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url, headers: { 'x-session-id': SESSION } })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url, headers: { 'x-session-id': SESSION } })).statusCode).toBe(404);
    // released seats are free at once
    expect((await hold({ eventId: event.eventId, seatIds: [event.seatIds[5]] }, OTHER)).statusCode).toBe(201);
  });

  it('holds general-admission quantities up to capacity', async () => {
    const area = event.gaAreaIds[0]!;
    expect((await hold({ eventId: event.eventId, ga: [{ areaId: area, quantity: 3 }] })).statusCode).toBe(201);
    const tooMany = await hold({ eventId: event.eventId, ga: [{ areaId: area, quantity: 3 }] }, OTHER);
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error.code).toBe('inventory.area_unavailable');
    expect(tooMany.json().error.details.areas).toEqual([{ areaId: area, requested: 3, available: 2 }]);
    expect((await hold({ eventId: event.eventId, ga: [{ areaId: area, quantity: 2 }] }, OTHER)).statusCode).toBe(201);
  });

  it('sells a trip seat again on a segment that only touches the held one', async () => {
    const [s0, s1, s2, s3, s4] = trip.stopIds;
    const seat = trip.seatIds[0];
    expect((await hold({ tripId: trip.tripId, from: s0, to: s2, seatIds: [seat] })).statusCode).toBe(201);
    const later = await hold({ tripId: trip.tripId, from: s2, to: s4, seatIds: [seat] }, OTHER);
    expect(later.statusCode).toBe(201);
    expect(later.json().segment).toEqual({ fromIndex: 2, toIndex: 4 });
    expect(later.json().from).toBe(s2);
    const overlapping = await hold({ tripId: trip.tripId, from: s1, to: s3, seatIds: [seat] }, OTHER);
    expect(overlapping.statusCode).toBe(409);
    const backwards = await hold({ tripId: trip.tripId, from: s3, to: s1, seatIds: [seat] });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('inventory.segment_invalid');
  });

  it('rejects bad hold requests with 4xx and changes nothing', async () => {
    const cases: [object, number, string][] = [
      [{}, 400, 'request.invalid'],
      [{ eventId: event.eventId, tripId: trip.tripId, seatIds: [event.seatIds[9]] }, 400, 'request.invalid'],
      [{ eventId: event.eventId, seatIds: [] }, 400, 'request.invalid'],
      [{ eventId: event.eventId, seatIds: ['st_doesnotexist'] }, 400, 'inventory.seat_unknown'],
      [{ eventId: 'evt_nope00000000', seatIds: [event.seatIds[9]] }, 404, 'resource.not_found'],
      [{ eventId: event.eventId, seatIds: [event.seatIds[9], event.seatIds[9]] }, 400, 'request.invalid'],
      [{ eventId: event.eventId, seatIds: event.seatIds.slice(0, 11) }, 400, 'inventory.too_many_seats'],
      [{ eventId: event.eventId, seatIds: [event.seatIds[9]], price: 0 }, 400, 'request.invalid'],
      [{ eventId: event.eventId, seatIds: 'st_x' }, 400, 'request.invalid'],
      [{ eventId: event.eventId, ga: [{ areaId: event.gaAreaIds[0], quantity: -1 }] }, 400, 'request.invalid'],
      [{ eventId: event.eventId, ga: [{ areaId: event.gaAreaIds[0], quantity: 1e12 }] }, 400, 'request.invalid'],
      [{ tripId: trip.tripId, seatIds: [trip.seatIds[3]] }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const response = await hold(body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/holds',
      payload: '{"eventId": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('request.malformed_json');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/api/holds',
      payload: JSON.stringify({ eventId: event.eventId, seatIds: ['x'.repeat(2 * 1024 * 1024)] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('request.too_large');
    // seat 9 is still free after all of that
    expect((await hold({ eventId: event.eventId, seatIds: [event.seatIds[9]] })).statusCode).toBe(201);
  });

  it('answers unknown tokens and routes with 404 in the error shape', async () => {
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/holds/hold_00000000000000000000000000',
      headers: { 'x-session-id': SESSION },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('hold.not_found');
    const route = await t.app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(route.statusCode).toBe(404);
    expect(route.json().error.code).toBe('route.not_found');
  });
});
