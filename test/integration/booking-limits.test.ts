import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/shared/ids.js';
import { createTestUser } from '../support/auth.js';
import { api, setEventPrices, setOrganizerTerms, sleep } from '../support/booking-fixtures.js';
import { createEventOnSale, gridLayout } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

describe.each(availableHoldStores())('booking limits and coupons (%s hold store)', (holdStore) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function countOrders(eventId: string): Promise<number> {
    const rows = await t.deps.database.db
      .selectFrom('orders')
      .select('id')
      .where('inventory_id', '=', eventId)
      .execute();
    return rows.length;
  }

  it('refuses more seats per order than the organizer allows, and gives the seats back', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, {
      layout: gridLayout(2, 4, { gaAreas: [{ name: 'Floor', category: 'B', capacity: 20 }] }),
    });
    await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    await setOrganizerTerms(db, event.organizerId, { maxPerOrder: 2 });
    const buyer = await createTestUser(t);
    const seats = event.seatIds.slice(0, 3);

    const tooMany = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: seats },
    });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({
      code: 'booking.limit_exceeded',
      details: { limit: 'per_order', max: 2, requested: 3 },
    });
    // GA units count as seats.
    const withGa = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: [seats[0]!], ga: [{ areaId: event.gaAreaIds[0]!, quantity: 2 }] },
    });
    expect(withGa.body.error?.code).toBe('booking.limit_exceeded');
    const free = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-limits-free-1' },
      body: { eventId: event.eventId, seatIds: seats },
    });
    expect(free.status).toBe(201);
    expect(await countOrders(event.eventId)).toBe(0);
  });

  it('counts a buyer’s confirmed and pending seats per event, but not other buyers’ or expired ones', async () => {
    const db = t.deps.database.db;
    // Long enough for the three bookings below to happen while the first order is still pending.
    const event = await createEventOnSale(db, { holdTtlSeconds: 3 });
    await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    await setOrganizerTerms(db, event.organizerId, { maxPerBuyer: 3 });
    const buyer = await createTestUser(t);
    const other = await createTestUser(t);
    const book = (user: typeof buyer, seatIds: string[]) =>
      api(t, 'POST', '/api/bookings', { user, body: { eventId: event.eventId, seatIds } });

    const first = await book(buyer, event.seatIds.slice(0, 2));
    expect(first.status).toBe(201);
    const second = await book(buyer, event.seatIds.slice(2, 4));
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({
      code: 'booking.limit_exceeded',
      details: { limit: 'per_buyer', max: 3, alreadyBooked: 2, requested: 2 },
    });
    expect((await book(other, event.seatIds.slice(2, 5))).status).toBe(201);

    // Once the pending order's hold (and so the order) expired, its seats no longer count.
    await sleep(Date.parse(first.body.expiresAt) - Date.now() + 300);
    expect((await book(buyer, event.seatIds.slice(10, 13))).status).toBe(201);
  });

  it('lets only as many concurrent orders of one buyer through as the per-buyer limit allows', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 100, B: 100 });
    await setOrganizerTerms(db, event.organizerId, { maxPerBuyer: 5 });
    const buyer = await createTestUser(t);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api(t, 'POST', '/api/bookings', {
          user: buyer,
          body: { eventId: event.eventId, seatIds: event.seatIds.slice(i * 2, i * 2 + 2) },
        }),
      ),
    );
    expect(replies.filter((reply) => reply.status === 201)).toHaveLength(2);
    const refused = replies.filter((reply) => reply.status === 409);
    expect(refused).toHaveLength(6);
    for (const reply of refused) expect(reply.body.error?.code).toBe('booking.limit_exceeded');
  });

  async function createCoupon(
    organizerId: string,
    terms: { code: string; kind: 'percent' | 'fixed'; value: number; maxRedemptions?: number },
  ): Promise<string> {
    const id = newId('coupon');
    await t.deps.database.db
      .insertInto('coupons')
      .values({
        id,
        organizer_id: organizerId,
        code: terms.code,
        kind: terms.kind,
        value: terms.value,
        max_redemptions: terms.maxRedemptions ?? null,
        per_user_max: null,
      })
      .execute();
    return id;
  }

  it('applies a coupon per line before tax and records its redemption with the order', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { layout: gridLayout(2, 4) });
    await setEventPrices(db, event.eventId, { A: 10000, B: 5000 });
    await setOrganizerTerms(db, event.organizerId, { taxRateBp: 1000, feePerSeat: 100 });
    const couponId = await createCoupon(event.organizerId, { code: 'SAVE15', kind: 'percent', value: 15 });
    const buyer = await createTestUser(t);
    const reply = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: [event.seatIds[0]!, event.seatIds[4]!], couponCode: 'save15' },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    // A: discount 1500, tax (10000 + 100 − 1500) × 10 % = 860; B: discount 750, tax (5000 + 100 − 750) × 10 % = 435
    expect(reply.body).toMatchObject({
      subtotal: 15000,
      bookingFee: 200,
      discount: 2250,
      tax: 1295,
      total: 15000 + 200 - 2250 + 1295,
      couponCode: 'SAVE15',
    });
    const a = reply.body.lines.find((line: { category: string }) => line.category === 'A');
    expect(a).toMatchObject({ discount: 1500, tax: 860, total: 9460 });
    const redemptions = await db
      .selectFrom('coupon_redemptions')
      .selectAll()
      .where('coupon_id', '=', couponId)
      .execute();
    expect(redemptions).toMatchObject([{ order_id: reply.body.id, user_id: buyer.id, status: 'active' }]);

    const unknown = await api(t, 'POST', '/api/bookings', {
      user: buyer,
      body: { eventId: event.eventId, seatIds: [event.seatIds[1]!], couponCode: 'NOPE' },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.code).toBe('coupon.not_found');
  });

  it('redeems a capped coupon exactly as often as its cap under concurrent orders; the rest create nothing', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 1000, B: 1000 });
    const couponId = await createCoupon(event.organizerId, {
      code: 'FIRST3',
      kind: 'fixed',
      value: 300,
      maxRedemptions: 3,
    });
    const buyers = await Promise.all(Array.from({ length: 12 }, () => createTestUser(t)));
    const replies = await Promise.all(
      buyers.map((user, i) =>
        api(t, 'POST', '/api/bookings', {
          user,
          body: { eventId: event.eventId, seatIds: [event.seatIds[i]!], couponCode: 'FIRST3' },
        }),
      ),
    );
    const created = replies.filter((reply) => reply.status === 201);
    expect(created).toHaveLength(3);
    for (const reply of created) expect(reply.body.discount).toBe(300);
    for (const reply of replies.filter((r) => r.status !== 201)) {
      expect(reply.status).toBe(409);
      expect(reply.body.error?.code).toBe('coupon.exhausted');
    }
    const coupon = await db
      .selectFrom('coupons')
      .select('redemptions')
      .where('id', '=', couponId)
      .executeTakeFirstOrThrow();
    expect(coupon.redemptions).toBe(3);
    expect(await countOrders(event.eventId)).toBe(3);
    // The refused orders gave their seats back.
    const refusedSeats = replies.flatMap((reply, i) => (reply.status === 201 ? [] : [event.seatIds[i]!]));
    const hold = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-after-coupons' },
      body: { eventId: event.eventId, seatIds: refusedSeats },
    });
    expect(hold.status).toBe(201);
  });
});
