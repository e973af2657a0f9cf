import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, gridLayout, type EventFixture } from '../support/fixtures.js';
import { setFares } from '../support/booking-fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { book, bookAndPay, refundsOf } from './cancellation.fixtures.js';

/**
 * The organizer's order desk over the real API: find an order by booking code, email, buyer or passenger
 * name; read it with lines, tickets, payments and refunds; refund seats or an amount — through the same
 * cancellation and refund code as buyers, exactly once however often the button is pressed.
 */
describe(`organizer order desk (${databaseKind})`, () => {
  let t: TestApp;
  let buyer: TestUser;
  let staff: TestUser;
  let event: EventFixture;
  let seatCursor = 0;

  const db = () => t.deps.database.db;
  const nextSeats = (n: number) => event.seatIds.slice(seatCursor, (seatCursor += n));
  const refund = (orderId: string, body: object, headers: Record<string, string> = {}) =>
    api(t, 'POST', `/api/admin/orders/${orderId}/refund`, { user: staff, body, headers });

  beforeAll(async () => {
    t = await createTestApp();
    buyer = await createTestUser(t, { name: 'Farhana Akter', email: 'farhana.akter@example.test' });
    event = await createEventOnSale(db(), { layout: gridLayout(6, 10) });
    await setEventPrices(db(), event.eventId, { A: 10_000, B: 6_000 });
    // No refund at all under the organizer's own policy: the organizer's refunds must override it.
    staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const policy = await api(t, 'POST', '/api/admin/refund-policies', {
      user: staff,
      body: { organizerId: event.organizerId, name: 'No refunds', scopeKind: 'organizer', rules: [] },
    });
    expect(policy.status).toBe(201);
  });
  afterAll(async () => t?.close());

  it('finds orders by booking code, email, buyer name or passenger name, and only its own organizer’s', async () => {
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: nextSeats(1) });
    const trip = await createTrip(db(), { stopCount: 2 });
    await setFares(db(), trip.routeId, [{ fromIndex: 0, toIndex: 1, seatClass: 'A', amount: 5_000 }]);
    const tripStaff = await createTestUser(t, { role: 'staff', organizerId: trip.organizerId });
    const tripOrder = await bookAndPay(t, buyer, {
      tripId: trip.tripId,
      from: trip.stopIds[0],
      to: trip.stopIds[1],
      seatIds: [trip.seatIds[0]],
      passengers: [{ seatId: trip.seatIds[0], name: 'Kamal Hossain' }],
    });

    const find = async (q: string, user = staff) => {
      const reply = await api(t, 'GET', `/api/admin/orders?q=${encodeURIComponent(q)}`, { user });
      expect(reply.status).toBe(200);
      return (reply.body.items as Json[]).map((item) => item.id);
    };
    expect(await find(order.code.toLowerCase())).toEqual([order.id]);
    expect(await find('FARHANA.AKTER@example')).toEqual([order.id]);
    expect(await find('akter')).toEqual([order.id]);
    expect(await find('kamal', tripStaff)).toEqual([tripOrder.id]);
    expect(await find('kamal')).toEqual([]); // another organizer's trip
    expect(await find('%')).toEqual([]); // typed text is never a wildcard
    const listed = await api(t, 'GET', '/api/admin/orders', { user: tripStaff });
    expect(listed.body).toMatchObject({ total: 1, items: [{ id: tripOrder.id, timezone: 'Asia/Dhaka', tickets: 1 }] });
    expect(listed.body.items[0].buyer).toEqual({ id: buyer.id, name: 'Farhana Akter', email: buyer.email });
    expect((await api(t, 'GET', `/api/admin/orders/${order.id}`, { user: tripStaff })).status).toBe(404);
  });

  it('shows one order with its lines, tickets, payments and refunds', async () => {
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: nextSeats(2) });
    const reply = await api(t, 'GET', `/api/admin/orders/${order.id}`, { user: staff });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      id: order.id,
      code: order.code,
      status: 'confirmed',
      organizerId: event.organizerId,
      buyer: { id: buyer.id, email: buyer.email, name: 'Farhana Akter' },
      place: 'Test Hall, Dhaka',
      timezone: 'Asia/Dhaka',
      refunds: [],
    });
    expect(reply.body.lines).toHaveLength(2);
    expect(reply.body.tickets.map((ticket: Json) => ticket.status)).toEqual(['valid', 'valid']);
    expect(reply.body.payments).toEqual([
      expect.objectContaining({ provider: 'fake', amount: order.total, status: 'succeeded' }),
    ]);
    expect((await api(t, 'GET', `/api/admin/orders/${order.id}`, { user: buyer })).status).toBe(403);
    expect((await api(t, 'GET', '/api/admin/orders/ord_nosuchorder', { user: staff })).status).toBe(404);
  });

  it('refunds an amount once per Idempotency-Key, keeping every ticket valid', async () => {
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: nextSeats(2) });
    const headers = { 'idempotency-key': `goodwill-${order.id}` };
    const replies = await Promise.all(
      Array.from({ length: 5 }, () => refund(order.id, { amount: 2_500, reason: 'Late start' }, headers)),
    );
    const ok = replies.filter((reply) => reply.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const reply of replies) expect([200, 409]).toContain(reply.status); // 409: the first is still running
    const again = await refund(order.id, { amount: 2_500, reason: 'Late start' }, headers);
    expect(again.status).toBe(200);
    expect(again.body.refund).toEqual(ok[0]!.body.refund);
    const { refunds } = await refundsOf(t, order.id);
    expect(refunds.map((row) => [row.amount, row.status])).toEqual([[2_500, 'done']]);
    expect(again.body.order).toMatchObject({ paymentStatus: 'partially_refunded', refundedAmount: 2_500 });
    expect(again.body.order.tickets.map((ticket: Json) => ticket.status)).toEqual(['valid', 'valid']);

    const tooMuch = await refund(order.id, { amount: order.total as number, reason: 'All of it again' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error?.code).toBe('refund.amount_invalid');
  });

  it('refunds chosen seats in full despite the policy, puts them back on sale, and then the rest', async () => {
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: nextSeats(3) });
    const [first, second, third] = order.lines as Json[];
    const partial = await refund(order.id, { lineIds: [first!.id], reason: 'Seat broken' });
    expect(partial.status).toBe(200);
    expect(partial.body).toMatchObject({
      kind: 'seats',
      cancelledLineIds: [first!.id],
      refund: { amount: first!.total, status: 'done' },
      order: { status: 'confirmed', paymentStatus: 'partially_refunded' },
    });
    const map = await api(t, 'GET', `/api/events/${event.eventId}/seats`);
    const statusOf = (seatId: string) =>
      (map.body.layout.seats as Json[]).find((seat) => seat.id === seatId)!.status as string;
    expect(statusOf(first!.seatId)).toBe('available');
    expect(statusOf(second!.seatId)).toBe('sold');

    const again = await refund(order.id, { lineIds: [first!.id], reason: 'Seat broken' });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('cancellation.already_cancelled');

    // A goodwill amount first, then everything else: never more than is left of the payment.
    expect((await refund(order.id, { amount: 1_000, reason: 'Sorry' })).status).toBe(200);
    const rest = await refund(order.id, { reason: 'Show moved' });
    expect(rest.status).toBe(200);
    const left = (order.total as number) - (first!.total as number) - 1_000;
    expect(rest.body).toMatchObject({
      cancelledLineIds: [second!.id, third!.id],
      refund: { amount: left, status: 'done' },
      order: { status: 'cancelled', paymentStatus: 'refunded', refundedAmount: order.total },
    });
    expect((await refund(order.id, { reason: 'Once more' })).body.error?.code).toBe('cancellation.already_cancelled');
  });

  it('refuses what cannot be refunded: unpaid orders, checked-in seats, both seats and an amount', async () => {
    const unpaid = await book(t, buyer, { eventId: event.eventId, seatIds: nextSeats(1) });
    for (const body of [{ reason: 'x' }, { amount: 100, reason: 'x' }]) {
      const reply = await refund(unpaid.id as string, body);
      expect(reply.status).toBe(409);
      expect(reply.body.error?.code).toBe('refund.not_refundable');
    }
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: nextSeats(1) });
    const tickets = await api(t, 'GET', `/api/bookings/${order.id}/tickets`, { user: buyer });
    const checkin = await api(t, 'POST', '/api/checkins', { user: staff, body: { code: tickets.body.items[0].code } });
    expect(checkin.status).toBe(200);
    const checkedIn = await refund(order.id as string, { reason: 'x' });
    expect(checkedIn.status).toBe(409);
    expect(checkedIn.body.error?.code).toBe('cancellation.checked_in');
    // …but an amount can still be given back.
    expect((await refund(order.id as string, { amount: 500, reason: 'Goodwill' })).status).toBe(200);
    const both = await refund(order.id as string, { amount: 1, lineIds: [order.lines[0].id], reason: 'x' });
    expect(both.status).toBe(400);
    const other = await createTestUser(t, { role: 'staff', organizerId: (await createEventOnSale(db())).organizerId });
    const foreign = await api(t, 'POST', `/api/admin/orders/${order.id}/refund`, {
      user: other,
      body: { amount: 1, reason: 'x' },
    });
    expect(foreign.status).toBe(404);
    expect((await refundsOf(t, order.id as string)).refunds).toHaveLength(1);
  });
});
