import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, setFares, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, gridLayout } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { book, bookAndPay, captureCancellationCodes, refundsOf, requestCode } from './cancellation.fixtures.js';

/**
 * Organizer cancellations of a whole event or trip (every order refunded in full), and trip cancellations
 * by passengers, where the time left is counted to the departure from the passenger's boarding stop.
 */
describe.each(availableHoldStores())(
  `organizer and trip cancellations (${databaseKind}, %s hold store)`,
  (holdStore) => {
    let t: TestApp;
    let buyers: TestUser[];
    let codes: ReturnType<typeof captureCancellationCodes>;

    beforeAll(async () => {
      t = await createTestApp({ holdStore });
      buyers = [await createTestUser(t), await createTestUser(t), await createTestUser(t), await createTestUser(t)];
      codes = captureCancellationCodes(t);
    });
    afterAll(async () => {
      codes?.stop();
      await t?.close();
    });

    it('cancels a whole event: every order refunded in full whatever the policy, tickets cancelled, seats freed', async () => {
      const db = t.deps.database.db;
      const event = await createEventOnSale(db, { layout: gridLayout(4, 5) });
      await setEventPrices(db, event.eventId, { A: 10_000, B: 6_000 });
      const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
      const policy = await api(t, 'POST', '/api/admin/refund-policies', {
        user: staff,
        body: {
          organizerId: event.organizerId,
          name: 'Strict',
          scopeKind: 'organizer',
          rules: [{ minHoursBefore: 0, feePercent: 50, feeFlat: 0 }],
        },
      });
      expect(policy.status).toBe(201);
      const coupon = await api(t, 'POST', '/api/admin/coupons', {
        user: staff,
        body: { organizerId: event.organizerId, code: 'HALF', kind: 'percent', value: 50, maxRedemptions: 1 },
      });
      const [a, b, c, d] = buyers as [TestUser, TestUser, TestUser, TestUser];
      const paidA = await bookAndPay(t, a, { eventId: event.eventId, seatIds: event.seatIds.slice(0, 2) });
      const paidB = await bookAndPay(t, b, { eventId: event.eventId, seatIds: event.seatIds.slice(2, 4) });
      const paidC = await bookAndPay(t, c, { eventId: event.eventId, seatIds: [event.seatIds[4]!] });
      const pendingD = await book(t, d, { eventId: event.eventId, seatIds: [event.seatIds[5]!], couponCode: 'HALF' });

      // B already cancelled one seat under the policy (half refunded); C is checked in.
      const lineB = (paidB.lines as Json[])[0]!.id as string;
      const codeB = await requestCode(t, b, codes, paidB.id as string, [lineB]);
      const partial = await api(t, 'POST', `/api/bookings/${paidB.id}/cancel`, { user: b, body: { code: codeB } });
      expect(partial.body.refund).toMatchObject({ amount: 5_000, status: 'done' });
      const ticketC = await db
        .selectFrom('tickets')
        .select('code')
        .where('order_id', '=', paidC.id)
        .executeTakeFirstOrThrow();
      expect((await api(t, 'POST', '/api/checkins', { user: staff, body: { code: ticketC.code } })).status).toBe(200);

      const otherStaff = await createTestUser(t, {
        role: 'staff',
        organizerId: (await createEventOnSale(db)).organizerId,
      });
      expect((await api(t, 'POST', `/api/admin/events/${event.eventId}/cancel`, { user: otherStaff })).status).toBe(
        404,
      );
      expect((await api(t, 'POST', `/api/admin/events/${event.eventId}/cancel`, { user: a })).status).toBe(403);
      expect((await api(t, 'POST', `/api/admin/events/${event.eventId}/cancel`)).status).toBe(401);

      const reply = await api(t, 'POST', `/api/admin/events/${event.eventId}/cancel`, { user: staff });
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        inventoryKind: 'event',
        inventoryId: event.eventId,
        status: 'cancelled',
        ordersCancelled: 4,
        ordersRefunded: 3,
        // B gets back its last seat and the fee kept when it cancelled the first one.
        refundedAmount: 20_000 + 15_000 + 10_000,
        failures: [],
      });

      for (const [order, user, refunded] of [
        [paidA, a, 20_000],
        [paidB, b, 20_000],
        [paidC, c, 10_000],
      ] as const) {
        const state = await api(t, 'GET', `/api/bookings/${order.id}`, { user });
        expect(state.body).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded', refundedAmount: refunded });
        expect(state.body.lines.every((line: Json) => line.status === 'cancelled')).toBe(true);
        const { gateway } = await refundsOf(t, order.id as string);
        expect(gateway.reduce((sum, g) => sum + g.amount, 0)).toBe(refunded);
      }
      const pending = await api(t, 'GET', `/api/bookings/${pendingD.id}`, { user: d });
      expect(pending.body.status).toBe('cancelled');
      const usage = await api(t, 'GET', `/api/admin/coupons/${coupon.body.id}`, { user: staff });
      expect(usage.body.usage).toMatchObject({ redemptions: 0, returned: 1 });

      const tickets = await db
        .selectFrom('tickets')
        .select('status')
        .where('inventory_id', '=', event.eventId)
        .execute();
      expect(tickets.length).toBe(5);
      expect(tickets.every((ticket) => ticket.status === 'cancelled')).toBe(true);
      const sold = await db
        .selectFrom('seat_sales')
        .select('id')
        .where('inventory_id', '=', event.eventId)
        .where('status', '=', 'confirmed')
        .execute();
      expect(sold).toHaveLength(0);
      const eventRow = await db
        .selectFrom('events')
        .select('status')
        .where('id', '=', event.eventId)
        .executeTakeFirstOrThrow();
      expect(eventRow.status).toBe('cancelled');
      // Nothing more is sold for a cancelled event.
      const late = await api(t, 'POST', '/api/bookings', {
        user: a,
        body: { eventId: event.eventId, seatIds: [event.seatIds[0]!] },
      });
      expect(late.status).toBe(409);

      const again = await api(t, 'POST', `/api/admin/events/${event.eventId}/cancel`, { user: staff });
      expect(again.body).toMatchObject({ ordersCancelled: 0, ordersRefunded: 0, refundedAmount: 0 });
    });

    it('counts hours to the boarding stop for passengers, and cancels a whole trip with full refunds', async () => {
      const db = t.deps.database.db;
      // Departs in 24 h from stop 0; stop 2 departs 2 h 5 min later.
      const trip = await createTrip(db, { stopCount: 4, seatRows: 2 });
      await setFares(db, trip.routeId, [
        { fromIndex: 0, toIndex: 3, seatClass: 'A', amount: 4_000 },
        { fromIndex: 2, toIndex: 3, seatClass: 'A', amount: 2_000 },
      ]);
      const staff = await createTestUser(t, { role: 'staff', organizerId: trip.organizerId });
      const policy = await api(t, 'POST', '/api/admin/refund-policies', {
        user: staff,
        body: {
          organizerId: trip.organizerId,
          name: 'Route policy',
          scopeKind: 'route',
          scopeId: trip.routeId,
          rules: [
            { minHoursBefore: 25, feePercent: 10, feeFlat: 0 },
            { minHoursBefore: 0, feePercent: 50, feeFlat: 0 },
          ],
        },
      });
      expect(policy.status).toBe(201);
      const [a, b] = buyers as [TestUser, TestUser];
      const [s0, s1, s2] = trip.seatIds as [string, string, string];
      const fromStart = await bookAndPay(t, a, {
        tripId: trip.tripId,
        from: trip.stopIds[0],
        to: trip.stopIds[3],
        seatIds: [s0, s1],
        passengers: [
          { seatId: s0, name: 'Rahim' },
          { seatId: s1, name: 'Karima' },
        ],
      });
      const fromStop2 = await bookAndPay(t, b, {
        tripId: trip.tripId,
        from: trip.stopIds[2],
        to: trip.stopIds[3],
        seatIds: [s2],
        passengers: [{ seatId: s2, name: 'Jamal' }],
      });
      const quoteStart = await api(t, 'GET', `/api/bookings/${fromStart.id}/cancellation-quote`, { user: a });
      expect(quoteStart.body).toMatchObject({ policy: { scopeKind: 'route' }, fee: 4_000, refund: 4_000 });
      const quoteStop2 = await api(t, 'GET', `/api/bookings/${fromStop2.id}/cancellation-quote`, { user: b });
      expect(quoteStop2.body.hoursBefore).toBeGreaterThan(25);
      expect(quoteStop2.body).toMatchObject({ fee: 200, refund: 1_800 });

      // One passenger of two cancels: half of that fare back; the seat is free again on that segment.
      const rahim = (fromStart.lines as Json[]).find((line) => line.seatId === s0)!.id as string;
      const code = await requestCode(t, a, codes, fromStart.id as string, [rahim]);
      const cancelled = await api(t, 'POST', `/api/bookings/${fromStart.id}/cancel`, { user: a, body: { code } });
      expect(cancelled.body).toMatchObject({ orderStatus: 'confirmed', refund: { amount: 2_000, status: 'done' } });
      const rehold = await api(t, 'POST', '/api/holds', {
        headers: { 'x-session-id': 'session-trip-rehold-01' },
        body: { tripId: trip.tripId, from: trip.stopIds[0], to: trip.stopIds[3], seatIds: [s0] },
      });
      expect(rehold.status).toBe(201);

      const reply = await api(t, 'POST', `/api/admin/trips/${trip.tripId}/cancel`, { user: staff });
      expect(reply.body).toMatchObject({
        inventoryKind: 'trip',
        status: 'cancelled',
        ordersCancelled: 2,
        ordersRefunded: 2,
        // A: Karima's fare and the fee kept on Rahim's; B: the whole fare.
        refundedAmount: 4_000 + 2_000 + 2_000,
        failures: [],
      });
      const stateA = await api(t, 'GET', `/api/bookings/${fromStart.id}`, { user: a });
      expect(stateA.body).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded', refundedAmount: 8_000 });
      const tripRow = await db
        .selectFrom('trips')
        .select('status')
        .where('id', '=', trip.tripId)
        .executeTakeFirstOrThrow();
      expect(tripRow.status).toBe('cancelled');
      const { refunds } = await refundsOf(t, fromStop2.id as string);
      expect(refunds.map((r) => r.amount)).toEqual([2_000]);
    });

    it('refunds an order whose payment is confirmed just after its event was cancelled, never leaving it sold', async () => {
      const db = t.deps.database.db;
      const event = await createEventOnSale(db, { layout: gridLayout(2, 5) });
      await setEventPrices(db, event.eventId, { A: 10_000, B: 6_000 });
      const buyer = buyers[0]!;
      const order = await book(t, buyer, { eventId: event.eventId, seatIds: [event.seatIds[0]!] });
      // The organizer's cancellation marked the event cancelled and swept its orders before this order's
      // payment is confirmed (the race: the sweep looked at the order while it was still unpaid).
      await db.updateTable('events').set({ status: 'cancelled' }).where('id', '=', event.eventId).execute();
      const started = await api(t, 'POST', '/api/payments', { user: buyer, body: { orderId: order.id } });
      const chargeId = (started.body.checkoutUrl as string).split('/pay/')[1]!;
      const pressed = await t.app.inject({
        method: 'POST',
        url: `/pay/${chargeId}`,
        headers: { accept: 'application/json' },
        payload: { action: 'pay' },
      });
      expect(pressed.statusCode).toBe(200);

      const after = await api(t, 'GET', `/api/bookings/${order.id}`, { user: buyer });
      expect(after.body).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded' });
      const { refunds, gateway } = await refundsOf(t, order.id as string);
      expect(refunds.map((r) => [r.amount, r.status])).toEqual([[order.total, 'done']]);
      expect(gateway.map((r) => r.amount)).toEqual([order.total]);
      const sold = await db
        .selectFrom('seat_sales')
        .select('id')
        .where('inventory_id', '=', event.eventId)
        .where('status', '=', 'confirmed')
        .execute();
      expect(sold).toEqual([]);
      const tickets = await db
        .selectFrom('tickets')
        .select('status')
        .where('order_id', '=', order.id as string)
        .execute();
      expect(tickets.map((ticket) => ticket.status)).toEqual(['cancelled']);
    });
  },
);
