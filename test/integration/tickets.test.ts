import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmPaidOrder } from '../../src/booking/order-confirmation.service.js';
import { formatLocalTime } from '../../src/booking/ticket-print.js';
import { ticketQrPng } from '../../src/booking/ticket.service.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, setFares, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe.each(availableHoldStores())('tickets (%s hold store)', (holdStore) => {
  let t: TestApp;
  let buyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    buyer = await createTestUser(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function confirmedEventOrder(seatCount: number) {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
    const reply = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: event.seatIds.slice(0, seatCount) },
    });
    expect(reply.status).toBe(201);
    const pending = await api(t, 'GET', `/api/bookings/${reply.body.id}/tickets`, { user: buyer });
    expect(pending.body.items).toEqual([]); // no ticket before payment
    await confirmPaidOrder(t.deps, { orderId: reply.body.id, paymentId: 'pay_tickets' });
    return { event, order: reply.body as Json };
  }

  it('issues one ticket per seat, readable by the buyer, its organizer’s staff and admins only', async () => {
    const { event, order } = await confirmedEventOrder(2);
    const list = await api(t, 'GET', `/api/bookings/${order.id}/tickets`, { user: buyer });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(2);
    const ticket = list.body.items[0];
    expect(ticket).toMatchObject({
      orderId: order.id,
      bookingCode: order.code,
      status: 'valid',
      kind: 'event',
      eventId: event.eventId,
      title: 'Test Show',
      segment: { fromIndex: 0, toIndex: 1 },
      checkedInAt: null,
      passengerName: null,
    });
    expect(ticket.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(new Set(list.body.items.map((item: { seatId: string }) => item.seatId))).toEqual(
      new Set(event.seatIds.slice(0, 2)),
    );

    const url = `/api/tickets/${ticket.id}`;
    const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const other = await createTestUser(t);
    const otherOrganizer = await createEventOnSale(t.deps.database.db);
    const otherStaff = await createTestUser(t, { role: 'staff', organizerId: otherOrganizer.organizerId });
    const admin = await createTestUser(t, { role: 'admin' });
    expect((await api(t, 'GET', url, { user: buyer })).body).toEqual(ticket);
    expect((await api(t, 'GET', url, { user: staff })).status).toBe(200);
    expect((await api(t, 'GET', url, { user: admin })).status).toBe(200);
    for (const stranger of [other, otherStaff]) {
      expect((await api(t, 'GET', url, { user: stranger })).status).toBe(404);
      expect((await api(t, 'GET', `${url}/qr.png`, { user: stranger })).status).toBe(404);
      expect((await api(t, 'GET', `${url}/print`, { user: stranger })).status).toBe(404);
      expect((await api(t, 'GET', `/api/bookings/${order.id}/tickets`, { user: stranger })).status).toBe(404);
    }
    expect((await api(t, 'GET', url)).status).toBe(401);
    expect((await api(t, 'GET', '/api/tickets/tkt_doesnotexist', { user: buyer })).status).toBe(404);
  });

  it('serves the ticket code as a QR PNG', async () => {
    const { order } = await confirmedEventOrder(1);
    const list = await api(t, 'GET', `/api/bookings/${order.id}/tickets`, { user: buyer });
    const ticket = list.body.items[0];
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/tickets/${ticket.id}/qr.png`,
      headers: buyer.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    const png = response.rawPayload;
    expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(png.length).toBeGreaterThan(200);
    expect(png).toEqual(await ticketQrPng(ticket.code));
  });

  it('prints an event ticket with venue, local start time and the QR inline, escaping database text', async () => {
    const db = t.deps.database.db;
    const { event, order } = await confirmedEventOrder(1);
    await db
      .updateTable('events')
      .set({ title: '<script>alert("owned")</script>' })
      .where('id', '=', event.eventId)
      .execute();
    await db.updateTable('venues').set({ name: 'Hall "A" & <b>B</b>' }).where('id', '=', event.venueId).execute();
    const list = await api(t, 'GET', `/api/bookings/${order.id}/tickets`, { user: buyer });
    const ticket = list.body.items[0];
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/tickets/${ticket.id}/print`,
      headers: buyer.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const html = response.body;
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>B</b>');
    expect(html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(html).toContain('Hall &quot;A&quot; &amp; &lt;b&gt;B&lt;/b&gt;');
    expect(html).toContain(order.code);
    expect(html).toContain(ticket.code);
    expect(html).toMatch(/<img src="data:image\/png;base64,[A-Za-z0-9+/=]+"/);
    const startsAt = await db
      .selectFrom('events')
      .select('starts_at')
      .where('id', '=', event.eventId)
      .executeTakeFirstOrThrow();
    expect(html).toContain(formatLocalTime(startsAt.starts_at, 'Asia/Dhaka'));
  });

  it('issues trip tickets per passenger for the booked segment, printed with each stop’s local time', async () => {
    const db = t.deps.database.db;
    const trip = await createTrip(db, { stopCount: 4, seatRows: 2 });
    await setFares(db, trip.routeId, [{ fromIndex: 1, toIndex: 3, seatClass: 'A', amount: 900 }]);
    await db
      .updateTable('stops')
      .set({ timezone: 'Asia/Kolkata', name: 'Kolkata <Esplanade>' })
      .where('id', '=', trip.stopIds[3]!)
      .execute();
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
          { seatId: s1, name: '<img src=x onerror=alert(1)>' },
        ],
      },
    });
    expect(reply.status).toBe(201);
    await confirmPaidOrder(t.deps, { orderId: reply.body.id, paymentId: 'pay_trip' });
    const list = await api(t, 'GET', `/api/bookings/${reply.body.id}/tickets`, { user: buyer });
    expect(list.body.items).toHaveLength(2);
    for (const ticket of list.body.items) {
      expect(ticket).toMatchObject({
        kind: 'trip',
        tripId: trip.tripId,
        segment: { fromIndex: 1, toIndex: 3, fromStopId: trip.stopIds[1], toStopId: trip.stopIds[3] },
      });
    }
    expect(list.body.items.map((ticket: { passengerName: string }) => ticket.passengerName).sort()).toEqual(
      ['<img src=x onerror=alert(1)>', 'Rahim'].sort(),
    );

    const tricky = list.body.items.find((ticket: { seatId: string }) => ticket.seatId === s1);
    const html = (await t.app.inject({ method: 'GET', url: `/api/tickets/${tricky.id}/print`, headers: buyer.headers }))
      .body;
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('Kolkata &lt;Esplanade&gt;');
    const stops = await db
      .selectFrom('trip_stops')
      .select(['stop_index', 'departs_at', 'arrives_at'])
      .where('trip_id', '=', trip.tripId)
      .orderBy('stop_index')
      .execute();
    expect(html).toContain(formatLocalTime(stops[1]!.departs_at, 'Asia/Dhaka'));
    expect(html).toContain(formatLocalTime(stops[3]!.arrives_at, 'Asia/Kolkata'));
  });
});
