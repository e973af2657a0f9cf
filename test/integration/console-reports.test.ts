import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateOf, zonedDateTimeToUtc, addDays } from '../../src/shared/time.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, setFares, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, gridLayout, type EventFixture } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { bookAndPay, book } from './cancellation.fixtures.js';

/**
 * The organizer dashboard and reports over the real API: sales, revenue per currency, holds, the
 * abandoned-hold and cancellation rates, occupancy (load factor) of events and trips, sales by day, event
 * and trip with a CSV export that spreadsheets cannot be tricked by — counted in the organizer's days.
 */
describe(`organizer dashboard and reports (${databaseKind})`, () => {
  let t: TestApp;
  let buyer: TestUser;
  let event: EventFixture;
  let staff: TestUser;

  const db = () => t.deps.database.db;
  const get = (url: string, user: TestUser = staff) => api(t, 'GET', url, { user });

  beforeAll(async () => {
    t = await createTestApp();
    buyer = await createTestUser(t, { name: 'Nusrat Jahan' });
    const layout = gridLayout(2, 5, { gaAreas: [{ name: 'Floor', category: 'GA', capacity: 10 }] });
    layout.sections[0]!.rows![1]!.seats[4]!.flags = ['blocked'];
    event = await createEventOnSale(db(), { layout });
    await setEventPrices(db(), event.eventId, { A: 10_000, B: 6_000, GA: 2_000 });
    staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
  });
  afterAll(async () => t?.close());

  it("counts today's and this week's sales, revenue, holds and rates in the organizer's time zone", async () => {
    // Two paid orders (one later fully refunded by the organizer), one hold that never became an order,
    // one GA hold still live and about to expire.
    const first = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: event.seatIds.slice(0, 2) });
    const second = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: [event.seatIds[5]!] });
    const refunded = await api(t, 'POST', `/api/admin/orders/${second.id}/refund`, {
      user: staff,
      body: { reason: 'Double booking' },
    });
    expect(refunded.status).toBe(200);
    const abandoned = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'dashboard-abandoned-hold-1' },
      body: { eventId: event.eventId, seatIds: [event.seatIds[3]!] },
    });
    expect(abandoned.status).toBe(201);
    await db().updateTable('events').set({ hold_ttl_seconds: 60 }).where('id', '=', event.eventId).execute();
    t.deps.holdService.invalidate(event.eventId);
    const gaHold = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'dashboard-expiring-hold-1' },
      body: { eventId: event.eventId, ga: [{ areaId: event.gaAreaIds[0]!, quantity: 3 }] },
    });
    expect(gaHold.status).toBe(201);
    await t.deps.holdTally.flush();

    const reply = await get('/api/admin/reports/dashboard');
    expect(reply.status).toBe(200);
    const dashboard = reply.body;
    const today = localDateOf(new Date(), 'Asia/Dhaka');
    expect(dashboard).toMatchObject({ organizerId: event.organizerId, timezone: 'Asia/Dhaka' });
    expect(dashboard.today.date).toBe(today);
    expect(dashboard.today.from).toBe(zonedDateTimeToUtc(today, '00:00', 'Asia/Dhaka').toISOString());
    const paidTotal = (first.total as number) + (second.total as number);
    expect(dashboard.today).toMatchObject({
      orders: 2,
      tickets: 3,
      cancelledTickets: 1,
      revenue: [{ currency: 'BDT', gross: paidTotal, refunded: second.total, net: first.total }],
      // Four holds were made (two became paid orders): half were abandoned.
      holdsCreated: 4,
      abandonedHoldRate: 0.5,
      cancellationRate: 0.3333,
    });
    expect(dashboard.week.orders).toBe(2);
    expect(dashboard.week.startDate <= today).toBe(true);
    expect(dashboard.daily).toHaveLength(14);
    expect(dashboard.daily.at(-1)).toMatchObject({ date: today, orders: 2, tickets: 3 });
    expect(dashboard.daily[0].revenue).toEqual([{ currency: 'BDT', gross: 0, refunded: 0, net: 0 }]);
    // The first hold (60 s TTL set after it, so it keeps the default) is live; the GA one expires in 60 s.
    expect(dashboard.holds).toEqual({ active: 2, expiringSoon: 1, expiringWithinSeconds: 120 });
    expect(dashboard.upcoming.events).toEqual([
      expect.objectContaining({
        id: event.eventId,
        capacity: 9 + 10,
        sold: 2,
        held: 1 + 3,
        available: 19 - 2 - 4,
        loadFactor: Math.round((2 / 19) * 10_000) / 10_000,
      }),
    ]);
  });

  it('puts an order paid just before local midnight on that day and one just after on the next', async () => {
    const other = await createEventOnSale(db());
    await setEventPrices(db(), other.eventId, { A: 1_000, B: 1_000 });
    const staffOther = await createTestUser(t, { role: 'staff', organizerId: other.organizerId });
    const late = await bookAndPay(t, buyer, { eventId: other.eventId, seatIds: [other.seatIds[0]!] });
    const early = await bookAndPay(t, buyer, { eventId: other.eventId, seatIds: [other.seatIds[1]!] });
    // Dhaka is UTC+6: 17:59 UTC is 23:59 there, 18:01 UTC is 00:01 the next day.
    const day = addDays(localDateOf(new Date(), 'Asia/Dhaka'), -3);
    const midnight = zonedDateTimeToUtc(addDays(day, 1), '00:00', 'Asia/Dhaka');
    await db()
      .updateTable('orders')
      .set({ confirmed_at: new Date(midnight.getTime() - 60_000) })
      .where('id', '=', late.id)
      .execute();
    await db()
      .updateTable('orders')
      .set({ confirmed_at: new Date(midnight.getTime() + 60_000) })
      .where('id', '=', early.id)
      .execute();
    const report = await get(`/api/admin/reports/sales?from=${day}&to=${addDays(day, 1)}&groupBy=day`, staffOther);
    expect(report.status).toBe(200);
    expect(report.body.rows.map((row: Json) => [row.key, row.orders])).toEqual([
      [day, 1],
      [addDays(day, 1), 1],
    ]);
  });

  it('shows staff only their organizer (another one is 404) and admins one organizer or all', async () => {
    const other = await createEventOnSale(db());
    const otherStaff = await createTestUser(t, { role: 'staff', organizerId: other.organizerId });
    expect((await get(`/api/admin/reports/dashboard?organizerId=${event.organizerId}`, otherStaff)).status).toBe(404);
    expect((await get(`/api/admin/reports/dashboard?organizerId=${other.organizerId}`, otherStaff)).status).toBe(200);
    const admin = await createTestUser(t, { role: 'admin' });
    const all = await get('/api/admin/reports/dashboard', admin);
    expect(all.body).toMatchObject({ organizerId: null, timezone: 'UTC' });
    expect(all.body.today.orders).toBeGreaterThanOrEqual(2);
    const one = await get(`/api/admin/reports/dashboard?organizerId=${event.organizerId}`, admin);
    expect(one.body.organizerId).toBe(event.organizerId);
    expect((await get('/api/admin/reports/dashboard?organizerId=org_nosuchthing', admin)).status).toBe(404);
    expect((await get('/api/admin/reports/dashboard', buyer)).status).toBe(403);
  });

  it('reports sales by event and by trip, and exports them as CSV safe for spreadsheets', async () => {
    const show = await createEventOnSale(db());
    await setEventPrices(db(), show.eventId, { A: 123_456, B: 1_000 });
    const title = '=HYPERLINK("http://evil.example","মেঘদল, live")';
    await db().updateTable('events').set({ title }).where('id', '=', show.eventId).execute();
    const showStaff = await createTestUser(t, { role: 'staff', organizerId: show.organizerId });
    const order = await bookAndPay(t, buyer, { eventId: show.eventId, seatIds: [show.seatIds[0]!] });
    const today = localDateOf(new Date(), 'Asia/Dhaka');
    const json = await get(`/api/admin/reports/sales?from=${today}&to=${today}&groupBy=event`, showStaff);
    expect(json.body.rows).toEqual([
      expect.objectContaining({
        key: show.eventId,
        label: title,
        orders: 1,
        tickets: 1,
        gross: order.total,
        net: order.total,
      }),
    ]);
    expect(json.body.totals).toEqual([{ currency: 'BDT', gross: order.total, refunded: 0, net: order.total }]);

    const csv = await t.app.inject({
      method: 'GET',
      url: `/api/admin/reports/sales?from=${today}&to=${today}&groupBy=event&format=csv`,
      headers: showStaff.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="sales-${today}-to-${today}-by-event.csv"`);
    const lines = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('Event,Starts (local),Time zone,ID,Currency,Orders,Tickets,Gross,Refunded,Net');
    const amount = `${Math.floor((order.total as number) / 100)}.${String((order.total as number) % 100).padStart(2, '0')}`;
    expect(lines[1]).toMatch(
      new RegExp(
        `^"'=HYPERLINK\\(""http://evil.example"",""মেঘদল, live""\\)",\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2},Asia/Dhaka,${show.eventId},BDT,1,1,${amount.replace('.', '\\.')},0\\.00,${amount.replace('.', '\\.')}$`,
      ),
    );
    expect(lines.at(-1)).toBe('');

    const trip = await createTrip(db(), { stopCount: 3 });
    await setFares(db(), trip.routeId, [{ fromIndex: 0, toIndex: 2, seatClass: 'A', amount: 50_000 }]);
    const tripStaff = await createTestUser(t, { role: 'staff', organizerId: trip.organizerId });
    await bookAndPay(t, buyer, {
      tripId: trip.tripId,
      from: trip.stopIds[0],
      to: trip.stopIds[2],
      seatIds: [trip.seatIds[0]],
      passengers: [{ seatId: trip.seatIds[0], name: 'Rahim Uddin' }],
    });
    const byTrip = await get(`/api/admin/reports/sales?from=${today}&to=${today}&groupBy=trip`, tripStaff);
    expect(byTrip.body.rows).toEqual([
      expect.objectContaining({ key: trip.tripId, label: 'R1 · Test route', orders: 1 }),
    ]);

    for (const bad of [
      `from=${today}&to=${addDays(today, -1)}`,
      `from=${today}&to=${addDays(today, 400)}`,
      `from=2026-02-30&to=2026-03-01`,
      `from=${today}`,
    ]) {
      const reply = await get(`/api/admin/reports/sales?${bad}`, showStaff);
      expect(reply.status, bad).toBe(400);
      expect(reply.body.error?.code).toBe('request.invalid');
    }
  });

  it('gives trips their load factor in seat-legs and the busiest leg, with held seats', async () => {
    const trip = await createTrip(db(), { stopCount: 5, seatRows: 1 }); // 4 seats, 4 legs
    await setFares(db(), trip.routeId, [
      { fromIndex: 0, toIndex: 4, seatClass: 'A', amount: 40_000 },
      { fromIndex: 0, toIndex: 2, seatClass: 'A', amount: 20_000 },
    ]);
    const tripStaff = await createTestUser(t, { role: 'staff', organizerId: trip.organizerId });
    const [s0, s1, s2] = trip.seatIds;
    const trip04 = { tripId: trip.tripId, from: trip.stopIds[0], to: trip.stopIds[4] };
    await bookAndPay(t, buyer, { ...trip04, seatIds: [s0], passengers: [{ seatId: s0, name: 'A' }] });
    await bookAndPay(t, buyer, {
      tripId: trip.tripId,
      from: trip.stopIds[0],
      to: trip.stopIds[2],
      seatIds: [s1],
      passengers: [{ seatId: s1, name: 'B' }],
    });
    await book(t, buyer, { ...trip04, seatIds: [s2], passengers: [{ seatId: s2, name: 'C' }] }); // held, unpaid
    const reply = await get('/api/admin/reports/occupancy?kind=trip', tripStaff);
    expect(reply.status).toBe(200);
    expect(reply.body.items).toEqual([
      expect.objectContaining({
        id: trip.tripId,
        capacity: 4,
        sold: 2,
        held: 1,
        available: 1,
        legs: 4,
        // 4 + 2 seat-legs sold of 16; the first two legs carry two of four seats.
        loadFactor: 0.375,
        peakLoadFactor: 0.5,
      }),
    ]);
    expect(reply.body.total).toBe(1);
  });
});
