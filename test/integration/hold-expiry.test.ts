import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventOnSale, createTrip } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

/**
 * A hold past its TTL frees its seats for the next buyer at once: availability ignores it without waiting
 * for the sweeper (which this test app never starts), and the sweeper only tidies up afterwards.
 */
const FIRST = 'session-first-buyer-0001';
const NEXT = 'session-next-buyer-00002';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(availableHoldStores())('hold expiry (%s hold store)', (holdStore) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ holdStore });
  });
  afterAll(async () => t?.close());

  const post = (body: object, session: string) =>
    t.app.inject({ method: 'POST', url: '/api/holds', payload: body, headers: { 'x-session-id': session } });

  it('frees the seats of an expired event hold and trip segment for the next buyer at once', async () => {
    const db = t.deps.database.db;
    // Three seconds, so the four requests below fit in the hold's life even on a busy machine.
    const event = await createEventOnSale(db, { holdTtlSeconds: 3 });
    const trip = await createTrip(db, { stopCount: 6, holdTtlSeconds: 3 });
    const eventSeats = [event.seatIds[0], event.seatIds[1]];
    const tripHold = { tripId: trip.tripId, from: trip.stopIds[1], to: trip.stopIds[4], seatIds: [trip.seatIds[0]] };

    const first = await post({ eventId: event.eventId, seatIds: eventSeats }, FIRST);
    expect(first.statusCode).toBe(201);
    expect(first.json().expiresInSeconds).toBeGreaterThanOrEqual(2);
    expect(first.json().expiresInSeconds).toBeLessThanOrEqual(3);
    const firstTrip = await post(tripHold, FIRST);
    expect(firstTrip.statusCode).toBe(201);
    expect((await post({ eventId: event.eventId, seatIds: eventSeats }, NEXT)).statusCode).toBe(409);
    expect((await post({ ...tripHold, from: trip.stopIds[3], to: trip.stopIds[5] }, NEXT)).statusCode).toBe(409);

    await sleep(Date.parse(firstTrip.json().expiresAt) - Date.now() + 200);

    const firstUrl = `/api/holds/${first.json().token}`;
    expect((await t.app.inject({ method: 'GET', url: firstUrl, headers: { 'x-session-id': FIRST } })).statusCode).toBe(
      404,
    );
    const extend = await t.app.inject({
      method: 'POST',
      url: `${firstUrl}/extend`,
      headers: { 'x-session-id': FIRST },
    });
    expect(extend.statusCode).toBe(404);
    const next = await post({ eventId: event.eventId, seatIds: eventSeats }, NEXT);
    expect(next.statusCode).toBe(201);
    expect((await post({ ...tripHold, from: trip.stopIds[3], to: trip.stopIds[5] }, NEXT)).statusCode).toBe(201);
    const held = await t.deps.holdStore.occupancy({ kind: 'event', id: event.eventId }, { from: 0, to: 1 });
    expect([...held.heldSeatIds].sort()).toEqual([...eventSeats].sort());

    // Only now does the sweeper run: it finds the two expired holds and nothing else.
    expect(await t.deps.holdStore.sweepExpired()).toBe(2);
    expect(await t.deps.holdStore.sweepExpired()).toBe(0);
    const stillHeld = await t.app.inject({
      method: 'GET',
      url: `/api/holds/${next.json().token}`,
      headers: { 'x-session-id': NEXT },
    });
    expect(stillHeld.statusCode).toBe(200);
  });
});
