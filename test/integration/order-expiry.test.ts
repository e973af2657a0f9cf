import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expireLapsedOrders } from '../../src/booking/order-expiry.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, sleep, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, gridLayout } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { book, refundsOf } from './cancellation.fixtures.js';

/**
 * Orders whose time to pay ran out become `expired` (a scheduled job, src/booking/order-expiry.ts) and give
 * their coupon use back, so abandoned checkouts cannot use up a capped coupon; a payment that still comes
 * takes the coupon use again within the cap, or is refunded.
 */
describe.each(availableHoldStores())(`unpaid orders expire (${databaseKind}, %s hold store)`, (holdStore) => {
  let t: TestApp;
  let staff: TestUser;
  let buyers: TestUser[];

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    buyers = [await createTestUser(t), await createTestUser(t), await createTestUser(t)];
  });
  afterAll(async () => t?.close());

  async function newEvent() {
    const db = t.deps.database.db;
    // Long enough to book and open a payment; the test then waits for it to run out.
    const event = await createEventOnSale(db, { layout: gridLayout(2, 5), holdTtlSeconds: 2 });
    await setEventPrices(db, event.eventId, { A: 10_000, B: 10_000 });
    staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const coupon = await api(t, 'POST', '/api/admin/coupons', {
      user: staff,
      body: { organizerId: event.organizerId, code: 'ONCE', kind: 'percent', value: 50, maxRedemptions: 1 },
    });
    expect(coupon.status).toBe(201);
    return { event, couponId: coupon.body.id as string };
  }

  /** Books with the coupon and opens a payment, then lets the order run out and the job expire it. */
  async function abandonedOrder(buyer: TestUser, eventId: string, seatId: string) {
    const order = await book(t, buyer, { eventId, seatIds: [seatId], couponCode: 'ONCE' });
    const started = await api(t, 'POST', '/api/payments', { user: buyer, body: { orderId: order.id } });
    expect(started.status).toBe(201);
    await sleep(Date.parse(order.expiresAt as string) - Date.now() + 300);
    expect(await expireLapsedOrders(t.deps)).toBeGreaterThanOrEqual(1);
    return { order, chargeId: (started.body.checkoutUrl as string).split('/pay/')[1]! };
  }

  const redemptions = async (couponId: string) =>
    (
      await t.deps.database.db
        .selectFrom('coupons')
        .select('redemptions')
        .where('id', '=', couponId)
        .executeTakeFirstOrThrow()
    ).redemptions;

  const pressPay = (chargeId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/pay/${chargeId}`,
      headers: { accept: 'application/json' },
      payload: { action: 'pay' },
    });

  it('marks a lapsed order expired, gives its coupon use back, and refuses to start paying it', async () => {
    const { event, couponId } = await newEvent();
    const [a, b] = buyers as [TestUser, TestUser];
    const { order } = await abandonedOrder(a, event.eventId, event.seatIds[0]!);
    const view = await api(t, 'GET', `/api/bookings/${order.id}`, { user: a });
    expect(view.body).toMatchObject({ status: 'expired', paymentStatus: 'unpaid' });
    expect(await redemptions(couponId)).toBe(0);
    expect(await expireLapsedOrders(t.deps)).toBe(0); // nothing left to do: idempotent

    const again = await api(t, 'POST', '/api/payments', { user: a, body: { orderId: order.id } });
    expect(again.status).toBe(409);
    expect((again.body.error as Json).code).toBe('payment.order_expired');
    // The coupon capped at one use is free again for the next buyer.
    const other = await book(t, b, { eventId: event.eventId, seatIds: [event.seatIds[1]!], couponCode: 'ONCE' });
    expect(other.discount).toBe(5_000);
    expect(await redemptions(couponId)).toBe(1);
  });

  it('confirms a late payment of an expired order and takes its coupon use again', async () => {
    const { event, couponId } = await newEvent();
    const { order, chargeId } = await abandonedOrder(buyers[0]!, event.eventId, event.seatIds[2]!);
    expect(await redemptions(couponId)).toBe(0);
    expect((await pressPay(chargeId)).statusCode).toBe(200);
    const view = await api(t, 'GET', `/api/bookings/${order.id}`, { user: buyers[0]! });
    expect(view.body).toMatchObject({ status: 'confirmed', paymentStatus: 'paid', discount: 5_000 });
    expect(await redemptions(couponId)).toBe(1);
  });

  it('refunds a late payment whose coupon was used up meanwhile, never going over the cap', async () => {
    const { event, couponId } = await newEvent();
    const [a, b] = buyers as [TestUser, TestUser];
    const { order, chargeId } = await abandonedOrder(a, event.eventId, event.seatIds[3]!);
    await book(t, b, { eventId: event.eventId, seatIds: [event.seatIds[4]!], couponCode: 'ONCE' });
    expect(await redemptions(couponId)).toBe(1);

    expect((await pressPay(chargeId)).statusCode).toBe(200);
    const view = await api(t, 'GET', `/api/bookings/${order.id}`, { user: a });
    expect(view.body).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded' });
    const { refunds } = await refundsOf(t, order.id as string);
    expect(refunds.map((refund) => [refund.amount, refund.status])).toEqual([[order.total, 'done']]);
    expect(refunds[0]!.reason).toMatch(/coupon was used up/);
    expect(await redemptions(couponId)).toBe(1);
    const sold = await t.deps.database.db
      .selectFrom('seat_sales')
      .select('seat_id')
      .where('inventory_id', '=', event.eventId)
      .where('status', '=', 'confirmed')
      .execute();
    expect(sold).toEqual([]);
  });
});
