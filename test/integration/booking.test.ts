import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, holdSeats, setEventPrices, setFares, setOrganizerTerms } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, gridLayout } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

describe.each(availableHoldStores())('bookings (%s hold store)', (holdStore) => {
  let t: TestApp;
  let buyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    buyer = await createTestUser(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('prices one line per seat with the booking fee and tax rounded half up per line, and extends the hold', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { layout: gridLayout(2, 4) });
    await setEventPrices(db, event.eventId, { A: 10005, B: 5000 });
    await setOrganizerTerms(db, event.organizerId, { taxRateBp: 1250, feePerSeat: 250 });
    const session = 'session-pricing-0001';
    const seatA = event.seatIds[0]!; // row 1: category A
    const seatB = event.seatIds[4]!; // row 2: category B
    const token = await holdSeats(t, session, { eventId: event.eventId, seatIds: [seatA, seatB] });
    const before = await api(t, 'GET', `/api/holds/${token}`, { headers: { 'x-session-id': session } });

    const reply = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      headers: { 'x-session-id': session },
      body: { holdToken: token },
    });
    expect(reply.status).toBe(201);
    const order = reply.body;
    expect(order.code).toMatch(/^BX[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(order).toMatchObject({
      kind: 'event',
      eventId: event.eventId,
      // Shown in the venue's time zone, with the venue's name.
      timezone: 'Asia/Dhaka',
      place: 'Test Hall',
      status: 'pending_payment',
      paymentStatus: 'unpaid',
      refundStatus: 'none',
      currency: 'BDT',
      subtotal: 15005,
      bookingFee: 500,
      discount: 0,
      // A: (10005 + 250) × 12.5 % = 1281.875 → 1282; B: (5000 + 250) × 12.5 % = 656.25 → 656
      tax: 1938,
      total: 15005 + 500 + 1938,
      couponCode: null,
    });
    const byCategory = Object.fromEntries(order.lines.map((line: { category: string }) => [line.category, line]));
    expect(byCategory.A).toMatchObject({ seatId: seatA, price: 10005, fee: 250, discount: 0, tax: 1282, total: 11537 });
    expect(byCategory.B).toMatchObject({ seatId: seatB, price: 5000, fee: 250, discount: 0, tax: 656, total: 5906 });

    const after = await api(t, 'GET', `/api/holds/${token}`, { headers: { 'x-session-id': session } });
    expect(after.body.extended).toBe(true);
    expect(order.expiresAt).toBe(after.body.expiresAt);
    expect(Date.parse(after.body.expiresAt)).toBeGreaterThanOrEqual(Date.parse(before.body.expiresAt));
  });

  it('holds and books in one step, with one line per general-admission unit', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, {
      layout: gridLayout(2, 2, { gaAreas: [{ name: 'Standing', category: 'GA', capacity: 50 }] }),
    });
    await setEventPrices(db, event.eventId, { A: 1000, B: 800, GA: 300 });
    const reply = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: {
        eventId: event.eventId,
        seatIds: [event.seatIds[0]!],
        ga: [{ areaId: event.gaAreaIds[0]!, quantity: 3 }],
      },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.lines).toHaveLength(4);
    expect(
      reply.body.lines.filter((line: { areaId: string | null }) => line.areaId === event.gaAreaIds[0]),
    ).toHaveLength(3);
    expect(reply.body.subtotal).toBe(1000 + 3 * 300);
    // The hold made for the order belongs to the buyer: the seat is no longer free for anyone else.
    const rival = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-rival-00001' },
      body: { eventId: event.eventId, seatIds: [event.seatIds[0]!] },
    });
    expect(rival.status).toBe(409);
  });

  it('prices a trip by its segment: the origin–destination fare, else the sum of the legs', async () => {
    const db = t.deps.database.db;
    const trip = await createTrip(db, { stopCount: 4, seatRows: 2 });
    await setFares(db, trip.routeId, [
      { fromIndex: 0, toIndex: 1, seatClass: 'A', amount: 100 },
      { fromIndex: 1, toIndex: 2, seatClass: 'A', amount: 150 },
      { fromIndex: 2, toIndex: 3, seatClass: 'A', amount: 200 },
      { fromIndex: 0, toIndex: 3, seatClass: 'A', amount: 400 },
    ]);
    const [s0, s1, s2] = trip.seatIds as [string, string, string];
    const perLeg = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: {
        tripId: trip.tripId,
        from: trip.stopIds[1],
        to: trip.stopIds[3],
        seatIds: [s0, s1],
        passengers: [
          { seatId: s0, name: 'Rahim Uddin', age: 34, gender: 'male' },
          { seatId: s1, name: 'Karima Begum' },
        ],
      },
    });
    expect(perLeg.status).toBe(201);
    expect(perLeg.body).toMatchObject({
      kind: 'trip',
      tripId: trip.tripId,
      from: trip.stopIds[1],
      to: trip.stopIds[3],
      segment: { fromIndex: 1, toIndex: 3 },
      subtotal: 700,
      timezone: 'Asia/Dhaka',
      place: 'Stop 1 → Stop 3',
    });
    const passengers = perLeg.body.lines.map((line: { passenger: { name: string } }) => line.passenger.name).sort();
    expect(passengers).toEqual(['Karima Begum', 'Rahim Uddin']);
    const rahim = perLeg.body.lines.find((line: { seatId: string }) => line.seatId === s0);
    expect(rahim.passenger).toEqual({ name: 'Rahim Uddin', age: 34, gender: 'male' });
    expect(rahim.price).toBe(350);

    const direct = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: {
        tripId: trip.tripId,
        from: trip.stopIds[0],
        to: trip.stopIds[3],
        seatIds: [s2],
        passengers: [{ seatId: s2, name: 'Jamal' }],
      },
    });
    expect(direct.status).toBe(201);
    expect(direct.body.lines[0].price).toBe(400);

    // Row 2 is class B, which has no fare: it cannot be sold, and the hold made for it is given back.
    const seatB = trip.seatIds[4]!;
    const unpriced = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: {
        tripId: trip.tripId,
        from: trip.stopIds[0],
        to: trip.stopIds[1],
        seatIds: [seatB],
        passengers: [{ seatId: seatB, name: 'Nobody' }],
      },
    });
    expect(unpriced.status).toBe(409);
    expect(unpriced.body.error?.code).toBe('booking.price_unavailable');
    const again = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-after-unpriced' },
      body: { tripId: trip.tripId, from: trip.stopIds[0], to: trip.stopIds[1], seatIds: [seatB] },
    });
    expect(again.status).toBe(201);
  });

  it('requires exactly one named passenger per seat on trips, and none on events', async () => {
    const db = t.deps.database.db;
    const trip = await createTrip(db, { stopCount: 3, seatRows: 2 });
    await setFares(db, trip.routeId, [{ fromIndex: 0, toIndex: 2, seatClass: 'A', amount: 500 }]);
    const [s0, s1] = trip.seatIds as [string, string];
    const base = { tripId: trip.tripId, from: trip.stopIds[0], to: trip.stopIds[2], seatIds: [s0, s1] };

    const missing = await api(t, 'POST', '/api/bookings', { user: buyer, body: base });
    expect(missing.status).toBe(400);
    expect(missing.body.error?.code).toBe('booking.passengers_invalid');

    const oneShort = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { ...base, passengers: [{ seatId: s0, name: 'A' }] },
    });
    expect(oneShort.status).toBe(400);
    expect(oneShort.body.error?.details?.problems).toEqual([{ seatId: s1, message: 'needs a passenger with a name' }]);

    const blankName = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: {
        ...base,
        passengers: [
          { seatId: s0, name: 'A' },
          { seatId: s1, name: '   ' },
        ],
      },
    });
    expect(blankName.status).toBe(400);
    expect(blankName.body.error?.code).toBe('booking.passengers_invalid');

    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    const onEvent = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: {
        eventId: event.eventId,
        seatIds: [event.seatIds[0]!],
        passengers: [{ seatId: event.seatIds[0]!, name: 'X' }],
      },
    });
    expect(onEvent.status).toBe(400);
    expect(onEvent.body.error?.code).toBe('booking.passengers_invalid');

    // Nothing stayed held by the refused requests.
    const free = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-after-refusals' },
      body: { ...base },
    });
    expect(free.status).toBe(201);
  });

  it('books only holds of the caller: by user id or by the X-Session-Id that owns the hold', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    const other = await createTestUser(t);
    const token = await holdSeats(t, 'session-owner-000001', { eventId: event.eventId, seatIds: [event.seatIds[0]!] });

    const stranger = await api(t, 'POST', '/api/bookings', { user: other, body: { holdToken: token } });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error?.code).toBe('hold.not_found');
    const wrongSession = await api(t, 'POST', '/api/bookings', {
      user: other,
      headers: { 'x-session-id': 'session-someone-else' },
      body: { holdToken: token },
    });
    expect(wrongSession.status).toBe(404);
    // Another user's hold cannot be claimed by sending their user id as the session id.
    const victimHold = await api(t, 'POST', '/api/holds', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: [event.seatIds[5]!] },
    });
    expect(victimHold.body.owner).toBe(buyer.id);
    const impersonation = await api(t, 'POST', '/api/bookings', {
      user: other,
      headers: { 'x-session-id': buyer.id },
      body: { holdToken: victimHold.body.token },
    });
    expect(impersonation.status).toBe(404);
    const anonymous = await api(t, 'POST', '/api/bookings', {
      headers: { 'x-session-id': 'session-owner-000001' },
      body: { holdToken: token },
    });
    expect(anonymous.status).toBe(401);

    const owner = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      headers: { 'x-session-id': 'session-owner-000001' },
      body: { holdToken: token },
    });
    expect(owner.status).toBe(201);
    const twice = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      headers: { 'x-session-id': 'session-owner-000001' },
      body: { holdToken: token },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error?.code).toBe('booking.hold_already_booked');
  });

  it('shows an order to its buyer, its organizer’s staff and admins; to anyone else it does not exist', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    const created = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: [event.seatIds[1]!] },
    });
    expect(created.status).toBe(201);
    const url = `/api/bookings/${created.body.id}`;

    const other = await createTestUser(t);
    const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const otherEvent = await createEventOnSale(db);
    const otherStaff = await createTestUser(t, { role: 'staff', organizerId: otherEvent.organizerId });
    const admin = await createTestUser(t, { role: 'admin' });

    expect((await api(t, 'GET', url, { user: buyer })).body).toEqual(created.body);
    expect((await api(t, 'GET', url, { user: staff })).status).toBe(200);
    expect((await api(t, 'GET', url, { user: admin })).status).toBe(200);
    const hidden = await api(t, 'GET', url, { user: other });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error?.code).toBe('resource.not_found');
    expect((await api(t, 'GET', url, { user: otherStaff })).status).toBe(404);
    expect((await api(t, 'GET', url)).status).toBe(401);
    expect((await api(t, 'GET', '/api/bookings/ord_doesnotexist', { user: buyer })).status).toBe(404);
  });

  it('lists my orders as upcoming or past by the event start or the departure', async () => {
    const db = t.deps.database.db;
    const me = await createTestUser(t);
    const soon = await createEventOnSale(db);
    const later = await createEventOnSale(db);
    const gone = await createEventOnSale(db);
    for (const event of [soon, later, gone]) await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    await db
      .updateTable('events')
      .set({ starts_at: new Date(Date.now() + 2 * 86400_000) })
      .where('id', '=', soon.eventId)
      .execute();
    const ids: Record<string, string> = {};
    for (const [name, event] of Object.entries({ soon, later, gone })) {
      const reply = await api(t, 'POST', '/api/bookings', {
        user: me,
        body: { eventId: event.eventId, seatIds: [event.seatIds[0]!] },
      });
      expect(reply.status).toBe(201);
      ids[name] = reply.body.id;
    }
    await db
      .updateTable('events')
      .set({ starts_at: new Date(Date.now() - 86400_000) })
      .where('id', '=', gone.eventId)
      .execute();

    const upcoming = await api(t, 'GET', '/api/bookings?scope=upcoming', { user: me });
    expect(upcoming.body.items.map((order: { id: string }) => order.id)).toEqual([ids.soon, ids.later]);
    const past = await api(t, 'GET', '/api/bookings?scope=past', { user: me });
    expect(past.body.items.map((order: { id: string }) => order.id)).toEqual([ids.gone]);
    expect(past.body.items[0].lines).toHaveLength(1);
    const other = await createTestUser(t);
    expect((await api(t, 'GET', '/api/bookings', { user: other })).body.items).toEqual([]);
    expect((await api(t, 'GET', '/api/bookings?scope=soon', { user: me })).status).toBe(400);
  });

  it('answers a retried booking with the same Idempotency-Key from the first answer, booking once', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    const body = { eventId: event.eventId, seatIds: [event.seatIds[7]!] };
    const headers = { 'idempotency-key': 'book-once-0001' };
    const first = await api(t, 'POST', '/api/bookings', { user: buyer, headers, body });
    const retry = await api(t, 'POST', '/api/bookings', { user: buyer, headers, body });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    const other = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      headers,
      body: { ...body, seatIds: [event.seatIds[8]!] },
    });
    expect(other.status).toBe(422);
    expect(other.body.error?.code).toBe('idempotency.key_reused');
    const orders = await db.selectFrom('orders').select('id').where('inventory_id', '=', event.eventId).execute();
    expect(orders).toEqual([{ id: first.body.id }]);
  });

  it('refuses bad requests with 400 and stable codes', async () => {
    const bad = [
      { holdToken: 'hold_abcdefghijk', eventId: 'evt_x12' },
      { eventId: 'evt_x12', tripId: 'trp_x12', seatIds: [] },
      { tripId: 'trp_x12', seatIds: ['st_1'] },
      { eventId: 'evt_x12', from: 'stp_1', seatIds: ['st_1'] },
      { holdToken: 'hold_abcdefghijk', seatIds: ['st_1'] },
      { eventId: 'evt_x12', seatIds: ['st_1'], surprise: true },
      {},
    ];
    for (const body of bad) {
      const reply = await api(t, 'POST', '/api/bookings', { user: buyer, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error?.code).toBe('request.invalid');
    }
  });
});
