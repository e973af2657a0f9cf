import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmPaidOrder } from '../../src/booking/order-confirmation.service.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, setFares, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, type EventFixture, type TripFixture } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

describe.each(availableHoldStores())('check-in (%s hold store)', (holdStore) => {
  let t: TestApp;
  let buyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    buyer = await createTestUser(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function ticketsOf(orderId: string): Promise<Json[]> {
    await confirmPaidOrder(t.deps, { orderId, paymentId: `pay_${orderId}` });
    const list = await api(t, 'GET', `/api/bookings/${orderId}/tickets`, { user: buyer });
    return list.body.items;
  }

  async function eventTickets(count: number): Promise<{ event: EventFixture; staff: TestUser; tickets: Json[] }> {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
    const reply = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: event.seatIds.slice(0, count) },
    });
    expect(reply.status).toBe(201);
    const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    return { event, staff, tickets: await ticketsOf(reply.body.id) };
  }

  const scan = (user: TestUser | undefined, body: object) =>
    api(t, 'POST', '/api/checkins', { ...(user ? { user } : {}), body });

  it('admits a ticket once; a second scan says when it was first used', async () => {
    const { event, staff, tickets } = await eventTickets(1);
    const code = tickets[0]!.code as string;
    const first = await scan(staff, { code, eventId: event.eventId });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ result: 'valid', ticket: { id: tickets[0]!.id, eventId: event.eventId } });
    expect(first.body.ticket.checkedInAt).toBe(first.body.checkedInAt);

    const second = await scan(staff, { code, eventId: event.eventId });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'checkin.already_used',
      details: { firstUsedAt: first.body.checkedInAt },
    });
    const shown = await api(t, 'GET', `/api/tickets/${tickets[0]!.id}`, { user: buyer });
    expect(shown.body.checkedInAt).toBe(first.body.checkedInAt);
    // A code typed by hand in lower case is the same code.
    expect((await scan(staff, { code: code.toLowerCase() })).body.error?.code).toBe('checkin.already_used');
  });

  it('admits exactly one of 20 concurrent scans of the same ticket', async () => {
    const { staff, tickets } = await eventTickets(1);
    const replies = await Promise.all(Array.from({ length: 20 }, () => scan(staff, { code: tickets[0]!.code })));
    expect(replies.filter((reply) => reply.status === 200)).toHaveLength(1);
    const refused = replies.filter((reply) => reply.status === 409);
    expect(refused).toHaveLength(19);
    const firstUsedAt = replies.find((reply) => reply.status === 200)!.body.checkedInAt;
    for (const reply of refused) {
      expect(reply.body.error).toMatchObject({ code: 'checkin.already_used', details: { firstUsedAt } });
    }
  });

  it('refuses cancelled tickets, tickets of another event, and answers like an unknown code for other organizers', async () => {
    const db = t.deps.database.db;
    const { event, staff, tickets } = await eventTickets(3);
    await db.updateTable('tickets').set({ status: 'cancelled' }).where('id', '=', tickets[0]!.id).execute();
    const cancelled = await scan(staff, { code: tickets[0]!.code, eventId: event.eventId });
    expect(cancelled.status).toBe(409);
    expect(cancelled.body.error?.code).toBe('checkin.ticket_cancelled');

    const sameOrganizerOtherEvent = await db
      .insertInto('events')
      .values({
        id: 'evt_otherevent01',
        organizer_id: event.organizerId,
        venue_id: event.venueId,
        layout_id: event.layoutId,
        series_key: `${event.organizerId}.other`,
        title: 'Other Show',
        starts_at: new Date(Date.now() + 86400_000),
        ends_at: new Date(Date.now() + 90000_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const wrongEvent = await scan(staff, { code: tickets[1]!.code, eventId: sameOrganizerOtherEvent.id });
    expect(wrongEvent.status).toBe(409);
    expect(wrongEvent.body.error).toMatchObject({ code: 'checkin.wrong_event', details: { eventId: event.eventId } });
    const tripScanner = await scan(staff, { code: tickets[1]!.code, tripId: 'trp_someother01' });
    expect(tripScanner.body.error?.code).toBe('checkin.wrong_trip');

    const otherOrganizer = await createEventOnSale(db);
    const otherStaff = await createTestUser(t, { role: 'staff', organizerId: otherOrganizer.organizerId });
    const foreign = await scan(otherStaff, { code: tickets[1]!.code });
    const unknown = await scan(otherStaff, { code: 'ZZZZZZZZZZZZZZZZZZZZZZZZZZ' });
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(foreign.body).toEqual(unknown.body);
    expect(foreign.body.error?.code).toBe('checkin.invalid');

    const customer = await scan(buyer, { code: tickets[1]!.code });
    expect(customer.status).toBe(403);
    expect((await scan(undefined, { code: tickets[1]!.code })).status).toBe(401);
    const admin = await createTestUser(t, { role: 'admin' });
    expect((await scan(admin, { code: tickets[1]!.code, eventId: event.eventId })).status).toBe(200);
    // None of the refused scans used the ticket up.
    expect((await scan(staff, { code: tickets[2]!.code })).status).toBe(200);
  });

  it('admits a trip ticket only on its trip and, at a stop, only within its segment', async () => {
    const db = t.deps.database.db;
    const trip: TripFixture = await createTrip(db, { stopCount: 5, seatRows: 2 });
    await setFares(db, trip.routeId, [{ fromIndex: 1, toIndex: 3, seatClass: 'A', amount: 700 }]);
    const [s0, s1] = trip.seatIds as [string, string];
    const reply = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: {
        tripId: trip.tripId,
        from: trip.stopIds[1],
        to: trip.stopIds[3],
        seatIds: [s0, s1],
        passengers: [
          { seatId: s0, name: 'Rahim' },
          { seatId: s1, name: 'Karim' },
        ],
      },
    });
    expect(reply.status).toBe(201);
    const tickets = await ticketsOf(reply.body.id);
    const staff = await createTestUser(t, { role: 'staff', organizerId: trip.organizerId });
    const [first, second] = tickets as [Json, Json];

    const otherTrip = await scan(staff, { code: first.code, tripId: 'trp_notthisone1' });
    expect(otherTrip.status).toBe(409);
    expect(otherTrip.body.error).toMatchObject({ code: 'checkin.wrong_trip', details: { tripId: trip.tripId } });
    const atEvent = await scan(staff, { code: first.code, eventId: 'evt_notthisone1' });
    expect(atEvent.body.error?.code).toBe('checkin.wrong_event');
    for (const stopIndex of [0, 3, 4]) {
      // Before the boarding stop, at the alighting stop, after it.
      const wrong = await scan(staff, { code: first.code, tripId: trip.tripId, stopId: trip.stopIds[stopIndex] });
      expect(wrong.status, `stop ${stopIndex}`).toBe(409);
      expect(wrong.body.error).toMatchObject({
        code: 'checkin.wrong_segment',
        details: { fromStopId: trip.stopIds[1], toStopId: trip.stopIds[3] },
      });
    }
    const notOnTrip = await scan(staff, { code: first.code, tripId: trip.tripId, stopId: 'stp_nowhere0001' });
    expect(notOnTrip.body.error?.code).toBe('checkin.wrong_segment');

    const boarding = await scan(staff, { code: first.code, tripId: trip.tripId, stopId: trip.stopIds[1] });
    expect(boarding.status).toBe(200);
    expect(boarding.body.ticket).toMatchObject({ tripId: trip.tripId, passengerName: expect.any(String) });
    const midway = await scan(staff, { code: second.code, tripId: trip.tripId, stopId: trip.stopIds[2] });
    expect(midway.status).toBe(200);
    expect((await scan(staff, { code: first.code, tripId: trip.tripId })).body.error?.code).toBe(
      'checkin.already_used',
    );
  });

  it('refuses malformed scans with 400', async () => {
    const { event, staff } = await eventTickets(1);
    for (const body of [
      {},
      { code: '' },
      { code: 'X', eventId: event.eventId, tripId: 'trp_abcdefgh' },
      { code: 'X', extra: 1 },
    ]) {
      const reply = await scan(staff, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error?.code).toBe('request.invalid');
    }
  });
});
