import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteCoupon, recordRedemption, returnRedemption } from '../../src/coupons/coupon-redemption.js';
import { AppError } from '../../src/shared/errors.js';
import { newId } from '../../src/shared/ids.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, gridLayout, type EventFixture } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { book } from './cancellation.fixtures.js';

/**
 * Coupon rules (validity, scope, minimum order, per-user cap, per-line discounts) and atomic redemption:
 * a capped coupon is never redeemed past its cap however many orders race for it.
 */
describe(`coupon redemption (${databaseKind})`, () => {
  let t: TestApp;
  let buyer: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    buyer = await createTestUser(t);
  });
  afterAll(async () => t?.close());

  async function createCoupon(organizerId: string, body: Record<string, unknown>): Promise<Json> {
    const staff = await createTestUser(t, { role: 'staff', organizerId });
    const reply = await api(t, 'POST', '/api/admin/coupons', { user: staff, body: { organizerId, ...body } });
    if (reply.status !== 201) throw new Error(`coupon not created: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** Orders written straight into the database, for redemption tests that are not about booking. */
  async function insertOrders(event: EventFixture, userIds: string[]): Promise<string[]> {
    const ids = userIds.map(() => newId('order'));
    await t.deps.database.db
      .insertInto('orders')
      .values(
        ids.map((id, i) => ({
          id,
          code: `C${i}${id.slice(-8).toUpperCase()}`,
          user_id: userIds[i]!,
          organizer_id: event.organizerId,
          inventory_kind: 'event' as const,
          inventory_id: event.eventId,
          from_index: 0,
          to_index: 1,
          currency: 'BDT',
          subtotal: 1_000,
          total: 1_000,
          expires_at: new Date(Date.now() + 600_000),
        })),
      )
      .execute();
    return ids;
  }

  const quote = (event: EventFixture, code: string, lines: { category: string; price: number }[], extra = {}) =>
    quoteCoupon(t.deps.database.db, {
      code,
      organizerId: event.organizerId,
      userId: buyer.id,
      inventory: { kind: 'event', id: event.eventId },
      routeId: null,
      lines,
      now: new Date(),
      ...extra,
    });

  async function errorCode(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      if (error instanceof AppError) return error.code;
      throw error;
    }
    return 'no error';
  }

  it('matches codes case-insensitively within the organizer and computes per-line discounts', async () => {
    const event = await createEventOnSale(t.deps.database.db);
    await createCoupon(event.organizerId, { code: 'Spring25', kind: 'percent', value: 25 });
    const result = await quote(event, 'SPRING25', [
      { category: 'A', price: 1_002 },
      { category: 'B', price: 2_001 },
    ]);
    // 250.5 → 251 and 500.25 → 500: half up per line.
    expect(result).toMatchObject({ discount: 751, lineDiscounts: [251, 500] });
    const otherOrganizer = await createEventOnSale(t.deps.database.db);
    expect(await errorCode(quote(otherOrganizer, 'spring25', [{ category: 'A', price: 1_000 }]))).toBe(
      'coupon.not_found',
    );
  });

  it('refuses inactive, not-yet-valid and expired coupons', async () => {
    const event = await createEventOnSale(t.deps.database.db);
    const line = [{ category: 'A', price: 1_000 }];
    await createCoupon(event.organizerId, { code: 'OFF', kind: 'fixed', value: 100, active: false });
    await createCoupon(event.organizerId, {
      code: 'LATER',
      kind: 'fixed',
      value: 100,
      validFrom: new Date(Date.now() + 86_400_000).toISOString(),
    });
    await createCoupon(event.organizerId, {
      code: 'GONE',
      kind: 'fixed',
      value: 100,
      validFrom: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      validTo: new Date(Date.now() - 86_400_000).toISOString(),
    });
    for (const code of ['OFF', 'LATER', 'GONE'])
      expect(await errorCode(quote(event, code, line))).toBe('coupon.expired');
  });

  it('discounts only lines in scope (events, routes, categories) and enforces the minimum order', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    const otherEvent = await createEventOnSale(db);
    await createCoupon(event.organizerId, {
      code: 'GOLDONLY',
      kind: 'fixed',
      value: 900,
      minOrder: 2_000,
      scope: { eventIds: [event.eventId], categories: ['GOLD'] },
    });
    const lines = [
      { category: 'GOLD', price: 1_000 },
      { category: 'SILVER', price: 700 },
      { category: 'GOLD', price: 500 },
    ];
    expect(await quote(event, 'goldonly', lines)).toMatchObject({ discount: 900, lineDiscounts: [600, 0, 300] });
    expect(await errorCode(quote(event, 'goldonly', [{ category: 'SILVER', price: 5_000 }]))).toBe(
      'coupon.not_applicable',
    );
    expect(await errorCode(quote(event, 'goldonly', [{ category: 'GOLD', price: 1_999 }]))).toBe('coupon.min_order');
    // Same organizer code, but this event is not in scope.
    const sameOrganizerEvent = { ...otherEvent, organizerId: event.organizerId };
    expect(await errorCode(quote(sameOrganizerEvent, 'goldonly', lines))).toBe('coupon.not_applicable');

    const trip = await createTrip(db);
    await createCoupon(trip.organizerId, {
      code: 'ROUTE10',
      kind: 'percent',
      value: 10,
      scope: { routeIds: [trip.routeId] },
    });
    const tripQuote = (routeId: string) =>
      quoteCoupon(db, {
        code: 'route10',
        organizerId: trip.organizerId,
        userId: buyer.id,
        inventory: { kind: 'trip', id: trip.tripId },
        routeId,
        lines: [{ category: 'A', price: 1_000 }],
        now: new Date(),
      });
    expect((await tripQuote(trip.routeId)).discount).toBe(100);
    expect(await errorCode(tripQuote('rte_other'))).toBe('coupon.not_applicable');
  });

  it('takes exactly the cap from 200 concurrent redemptions, and the per-user cap under concurrency', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    const coupon = await createCoupon(event.organizerId, {
      code: 'CAP50',
      kind: 'fixed',
      value: 100,
      maxRedemptions: 50,
    });
    const users = await Promise.all(Array.from({ length: 200 }, () => createTestUser(t)));
    const orderIds = await insertOrders(
      event,
      users.map((u) => u.id),
    );
    const results = await Promise.allSettled(
      orderIds.map((orderId, i) =>
        db
          .transaction()
          .execute((trx) => recordRedemption(trx, { couponId: coupon.id, orderId, userId: users[i]!.id })),
      ),
    );
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(fulfilled).toHaveLength(50);
    expect(new Set(rejected.map((r) => (r.reason as AppError).code))).toEqual(new Set(['coupon.exhausted']));
    const row = await db
      .selectFrom('coupons')
      .select('redemptions')
      .where('id', '=', coupon.id)
      .executeTakeFirstOrThrow();
    expect(row.redemptions).toBe(50);
    const redemptions = await db
      .selectFrom('coupon_redemptions')
      .select('id')
      .where('coupon_id', '=', coupon.id)
      .execute();
    expect(redemptions).toHaveLength(50);

    const once = await createCoupon(event.organizerId, { code: 'ONCEEACH', kind: 'fixed', value: 100, perUserMax: 1 });
    const sameUserOrders = await insertOrders(event, Array(10).fill(buyer.id) as string[]);
    const perUser = await Promise.allSettled(
      sameUserOrders.map((orderId) =>
        db.transaction().execute((trx) => recordRedemption(trx, { couponId: once.id, orderId, userId: buyer.id })),
      ),
    );
    expect(perUser.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await errorCode(quote(event, 'onceeach', [{ category: 'A', price: 1_000 }]))).toBe('coupon.per_user_limit');
  });

  it('gives a redemption back once, however often it is returned', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    const coupon = await createCoupon(event.organizerId, { code: 'ONE', kind: 'fixed', value: 100, maxRedemptions: 1 });
    const [first, second] = await insertOrders(event, [buyer.id, buyer.id]);
    await db
      .transaction()
      .execute((trx) => recordRedemption(trx, { couponId: coupon.id, orderId: first!, userId: buyer.id }));
    expect(
      await errorCode(
        db
          .transaction()
          .execute((trx) => recordRedemption(trx, { couponId: coupon.id, orderId: second!, userId: buyer.id })),
      ),
    ).toBe('coupon.exhausted');
    const returned = await Promise.all(
      Array.from({ length: 5 }, () => db.transaction().execute((trx) => returnRedemption(trx, first!))),
    );
    expect(returned.filter(Boolean)).toHaveLength(1);
    const row = await db
      .selectFrom('coupons')
      .select('redemptions')
      .where('id', '=', coupon.id)
      .executeTakeFirstOrThrow();
    expect(row.redemptions).toBe(0);
    await db
      .transaction()
      .execute((trx) => recordRedemption(trx, { couponId: coupon.id, orderId: second!, userId: buyer.id }));
  });

  it('gives 50 of 200 concurrent bookings over real HTTP a coupon capped at 50', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { layout: gridLayout(20, 10) });
    await setEventPrices(db, event.eventId, { A: 10_000, B: 10_000 });
    const coupon = await createCoupon(event.organizerId, {
      code: 'RUSH',
      kind: 'percent',
      value: 20,
      maxRedemptions: 50,
    });
    const buyers = await Promise.all(Array.from({ length: 200 }, () => createTestUser(t)));
    const pool = new Pool(t.url, { connections: 100 });
    try {
      const replies = await Promise.all(
        buyers.map(async (user, i) => {
          const response = await pool.request({
            path: '/api/bookings',
            method: 'POST',
            headers: { 'content-type': 'application/json', ...user.headers },
            body: JSON.stringify({ eventId: event.eventId, seatIds: [event.seatIds[i]!], couponCode: 'rush' }),
          });
          return { status: response.statusCode, body: (await response.body.json()) as Json };
        }),
      );
      const booked = replies.filter((r) => r.status === 201);
      expect(booked).toHaveLength(50);
      expect(booked.every((r) => r.body.discount === 2_000 && r.body.couponCode === 'RUSH')).toBe(true);
      const refused = replies.filter((r) => r.status !== 201);
      expect(refused.every((r) => r.status === 409 && r.body.error.code === 'coupon.exhausted')).toBe(true);
    } finally {
      await pool.close();
    }
    const usage = await api(t, 'GET', `/api/admin/coupons/${coupon.id}`, {
      user: await createTestUser(t, { role: 'staff', organizerId: event.organizerId }),
    });
    expect(usage.body.usage).toEqual({ redemptions: 50, remaining: 0, active: 50, returned: 0 });
  });

  it('returns the redemption when its order is cancelled in full before payment', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 5_000, B: 5_000 });
    const coupon = await createCoupon(event.organizerId, {
      code: 'SOLO',
      kind: 'fixed',
      value: 1_000,
      maxRedemptions: 1,
    });
    const order = await book(t, buyer, { eventId: event.eventId, seatIds: [event.seatIds[0]!], couponCode: 'SOLO' });
    expect(order.discount).toBe(1_000);
    const rival = await createTestUser(t);
    const refused = await api(t, 'POST', '/api/bookings', {
      user: rival,
      body: { eventId: event.eventId, seatIds: [event.seatIds[1]!], couponCode: 'SOLO' },
    });
    expect(refused.body.error?.code).toBe('coupon.exhausted');
    const cancelled = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: {} });
    expect(cancelled.body).toMatchObject({ orderStatus: 'cancelled', couponReturned: true });
    const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const usage = await api(t, 'GET', `/api/admin/coupons/${coupon.id}`, { user: staff });
    expect(usage.body.usage).toEqual({ redemptions: 0, remaining: 1, active: 0, returned: 1 });
    await book(t, rival, { eventId: event.eventId, seatIds: [event.seatIds[1]!], couponCode: 'SOLO' });
  });
});
