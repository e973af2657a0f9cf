import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import {
  bookOrder,
  createPricedEvent,
  fakeGatewayEvent,
  startFakePayment,
  TEST_GATEWAY_SECRET,
} from '../support/payments.js';
import { availableHoldStores, createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

interface Delivery {
  status: number;
  outcome?: string;
}

/** Posts a webhook over real HTTP; a 503 is redelivered (as a provider does) until it is accepted. */
async function deliver(t: TestApp, event: { body: string; headers: Record<string, string> }): Promise<Delivery[]> {
  const attempts: Delivery[] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await fetch(`${t.url}/api/webhooks/fake`, {
      method: 'POST',
      headers: event.headers,
      body: event.body,
    });
    const body = (await response.json()) as { outcome?: string };
    attempts.push({ status: response.status, outcome: body.outcome });
    if (response.status !== 503) return attempts;
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
  }
  throw new Error('webhook still 503 after 50 attempts');
}

/** Marks the fake charge paid at the gateway, as pressing Pay would, without delivering anything. */
async function markChargePaid(t: TestApp, chargeId: string): Promise<void> {
  await t.deps.database.db
    .updateTable('fake_gateway_charges')
    .set({ status: 'succeeded' })
    .where('id', '=', chargeId)
    .execute();
}

async function soldState(t: TestApp, orderId: string) {
  const db = t.deps.database.db;
  const order = await db
    .selectFrom('orders')
    .select(['status', 'payment_status', 'refund_status', 'refunded_amount', 'total'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const tickets = await db.selectFrom('tickets').select(['seat_id']).where('order_id', '=', orderId).execute();
  const sales = await db.selectFrom('seat_sales').select(['seat_id']).where('order_id', '=', orderId).execute();
  const payments = await db
    .selectFrom('payments')
    .select(['id', 'status', 'refunded_amount'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
  const refunds = await db
    .selectFrom('refunds')
    .select(['payment_id', 'amount', 'status', 'idempotency_key', 'reason'])
    .where('order_id', '=', orderId)
    .execute();
  return { order, tickets, sales, payments, refunds };
}

for (const holdStore of availableHoldStores()) {
  describe(`webhooks under concurrency and out of order (${databaseKind}, ${holdStore} holds)`, () => {
    let t: TestApp;
    let buyer: TestUser;
    let rival: TestUser;

    beforeAll(async () => {
      t = await createTestApp({ holdStore, listen: true, env: { FAKE_GATEWAY_SECRET: TEST_GATEWAY_SECRET } });
      buyer = await createTestUser(t);
      rival = await createTestUser(t);
    });
    afterAll(async () => t?.close());

    it('the same event delivered 10× concurrently confirms once, one ticket per seat', async () => {
      const order = await bookOrder(t, buyer, { seatCount: 4 });
      const payment = await startFakePayment(t, buyer, order.orderId);
      await markChargePaid(t, payment.chargeId);
      const event = fakeGatewayEvent(payment, 'payment.succeeded');
      const results = await Promise.all(Array.from({ length: 10 }, () => deliver(t, event)));
      const all = results.flat();
      expect(all.every((d) => d.status === 200 || d.status === 503)).toBe(true);
      expect(all.filter((d) => d.outcome === 'confirmed')).toHaveLength(1);
      expect(results.every((attempts) => attempts.at(-1)!.status === 200)).toBe(true);

      const state = await soldState(t, order.orderId);
      expect(state.order.status).toBe('confirmed');
      expect(state.tickets.map((x) => x.seat_id).sort()).toEqual([...order.seatIds].sort());
      expect(state.sales).toHaveLength(order.seatIds.length);
      expect(state.payments).toEqual([{ id: payment.paymentId, status: 'succeeded', refunded_amount: 0 }]);
      const events = await t.deps.database.db
        .selectFrom('payment_events')
        .select('event_id')
        .where('payment_id', '=', payment.paymentId)
        .execute();
      expect(events).toHaveLength(1);

      // A later redelivery is a no-op.
      const late = await deliver(t, event);
      expect(late.at(-1)).toEqual({ status: 200, outcome: 'duplicate' });
    });

    it('ten different success events for one payment, concurrently, still confirm once', async () => {
      const order = await bookOrder(t, buyer, { seatCount: 2 });
      const payment = await startFakePayment(t, buyer, order.orderId);
      await markChargePaid(t, payment.chargeId);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => deliver(t, fakeGatewayEvent(payment, 'payment.succeeded'))),
      );
      const finals = results.map((attempts) => attempts.at(-1)!);
      expect(finals.every((d) => d.status === 200)).toBe(true);
      expect(finals.filter((d) => d.outcome === 'confirmed')).toHaveLength(1);
      expect(finals.filter((d) => d.outcome !== 'confirmed').every((d) => d.outcome === 'already_confirmed')).toBe(
        true,
      );
      const state = await soldState(t, order.orderId);
      expect(state.tickets).toHaveLength(2);
      expect(state.sales).toHaveLength(2);
    });

    it('a failure that arrives after the success is ignored; a success after a failure confirms', async () => {
      const order = await bookOrder(t, buyer);
      const payment = await startFakePayment(t, buyer, order.orderId);
      await markChargePaid(t, payment.chargeId);
      const success = fakeGatewayEvent(payment, 'payment.succeeded');
      const failure = fakeGatewayEvent(payment, 'payment.failed');
      expect((await deliver(t, success)).at(-1)!.outcome).toBe('confirmed');
      expect((await deliver(t, failure)).at(-1)).toEqual({ status: 200, outcome: 'stale' });
      let state = await soldState(t, order.orderId);
      expect(state.order.status).toBe('confirmed');
      expect(state.payments[0]!.status).toBe('succeeded');

      const order2 = await bookOrder(t, buyer);
      const payment2 = await startFakePayment(t, buyer, order2.orderId);
      expect((await deliver(t, fakeGatewayEvent(payment2, 'payment.failed'))).at(-1)!.outcome).toBe('payment_failed');
      await markChargePaid(t, payment2.chargeId);
      expect((await deliver(t, fakeGatewayEvent(payment2, 'payment.succeeded'))).at(-1)!.outcome).toBe('confirmed');
      state = await soldState(t, order2.orderId);
      expect(state.order.status).toBe('confirmed');
      expect(state.tickets).toHaveLength(2);
    });

    it('a success the gateway does not confirm on re-fetch is not acted on', async () => {
      const order = await bookOrder(t, buyer);
      const payment = await startFakePayment(t, buyer, order.orderId);
      // Correctly signed, but the gateway says the charge is still pending.
      const result = await deliver(t, fakeGatewayEvent(payment, 'payment.succeeded'));
      expect(result.at(-1)).toEqual({ status: 200, outcome: 'rejected' });
      const state = await soldState(t, order.orderId);
      expect(state.order.status).toBe('pending_payment');
      expect(state.payments[0]!.status).toBe('pending');
      expect(state.tickets).toHaveLength(0);
    });

    it('a payment after the hold expired: re-held and confirmed when the seats are still free', async () => {
      const event = await createPricedEvent(t);
      await t.deps.database.db
        .updateTable('events')
        .set({ hold_ttl_seconds: 2 })
        .where('id', '=', event.eventId)
        .execute();
      const order = await bookOrder(t, buyer, { event, seatIds: event.seatIds.slice(0, 2) });
      const payment = await startFakePayment(t, buyer, order.orderId);
      await new Promise((resolve) => setTimeout(resolve, 3200));
      const paid = await t.app.inject({
        method: 'POST',
        url: `/pay/${payment.chargeId}`,
        headers: { accept: 'application/json' },
        payload: { action: 'pay' },
      });
      expect(paid.json()).toMatchObject({ status: 'succeeded', delivered: true });
      const state = await soldState(t, order.orderId);
      expect(state.order.status).toBe('confirmed');
      expect(state.tickets).toHaveLength(2);
    });

    it('concurrent deliveries after the hold expired re-hold once and confirm; none turns into a refund', async () => {
      const event = await createPricedEvent(t);
      await t.deps.database.db
        .updateTable('events')
        .set({ hold_ttl_seconds: 2 })
        .where('id', '=', event.eventId)
        .execute();
      const order = await bookOrder(t, buyer, { event, seatIds: event.seatIds.slice(20, 24) });
      const payment = await startFakePayment(t, buyer, order.orderId);
      await markChargePaid(t, payment.chargeId);
      await new Promise((resolve) => setTimeout(resolve, 3200));
      const deliveries = [
        ...Array.from({ length: 5 }, () => fakeGatewayEvent(payment, 'payment.succeeded')),
        ...Array.from({ length: 5 }, () =>
          fakeGatewayEvent(payment, 'payment.succeeded', { eventId: 'fevt_same_one' }),
        ),
      ];
      const results = await Promise.all(deliveries.map((event) => deliver(t, event)));
      const finals = results.map((attempts) => attempts.at(-1)!);
      expect(finals.every((d) => d.status === 200)).toBe(true);
      expect(finals.filter((d) => d.outcome === 'confirmed')).toHaveLength(1);
      expect(finals.some((d) => d.outcome === 'refunded')).toBe(false);
      const state = await soldState(t, order.orderId);
      expect(state.order.status).toBe('confirmed');
      expect(state.tickets).toHaveLength(4);
      expect(state.refunds).toHaveLength(0);
    });

    it('a payment after the hold expired with the seats sold to another buyer is refunded in full, never sold twice', async () => {
      const event = await createPricedEvent(t);
      await t.deps.database.db
        .updateTable('events')
        .set({ hold_ttl_seconds: 2 })
        .where('id', '=', event.eventId)
        .execute();
      const seatIds = event.seatIds.slice(10, 12);
      const late = await bookOrder(t, buyer, { event, seatIds });
      const latePayment = await startFakePayment(t, buyer, late.orderId);
      await new Promise((resolve) => setTimeout(resolve, 3200));

      // Meanwhile another buyer holds, books and pays the same seats.
      const rivalOrder = await bookOrder(t, rival, { event, seatIds });
      const rivalPayment = await startFakePayment(t, rival, rivalOrder.orderId);
      const rivalPaid = await t.app.inject({
        method: 'POST',
        url: `/pay/${rivalPayment.chargeId}`,
        headers: { accept: 'application/json' },
        payload: { action: 'pay' },
      });
      expect(rivalPaid.json()).toMatchObject({ delivered: true });

      // The first buyer's payment lands now.
      const latePaid = await t.app.inject({
        method: 'POST',
        url: `/pay/${latePayment.chargeId}`,
        headers: { accept: 'application/json' },
        payload: { action: 'pay' },
      });
      expect(latePaid.json()).toMatchObject({ status: 'succeeded', delivered: true });

      const lateState = await soldState(t, late.orderId);
      expect(lateState.order).toMatchObject({
        status: 'cancelled',
        payment_status: 'refunded',
        refund_status: 'done',
        refunded_amount: late.total,
      });
      expect(lateState.tickets).toHaveLength(0);
      expect(lateState.payments).toEqual([
        { id: latePayment.paymentId, status: 'refunded', refunded_amount: late.total },
      ]);
      expect(lateState.refunds).toEqual([
        expect.objectContaining({
          payment_id: latePayment.paymentId,
          amount: late.total,
          status: 'done',
          idempotency_key: `auto:${latePayment.paymentId}`,
        }),
      ]);
      expect(lateState.refunds[0]!.reason).toMatch(/someone else/);
      const gatewayRefunds = await t.deps.database.db
        .selectFrom('fake_gateway_refunds')
        .select('amount')
        .where('charge_id', '=', latePayment.chargeId)
        .execute();
      expect(gatewayRefunds).toEqual([{ amount: late.total }]);

      // Each seat is sold exactly once, to the rival.
      const sales = await t.deps.database.db
        .selectFrom('seat_sales')
        .select(['seat_id', 'order_id'])
        .where('inventory_id', '=', event.eventId)
        .where('status', '=', 'confirmed')
        .execute();
      expect(sales.map((s) => s.seat_id).sort()).toEqual([...seatIds].sort());
      expect(new Set(sales.map((s) => s.order_id))).toEqual(new Set([rivalOrder.orderId]));

      // The provider redelivering the same success refunds nothing more.
      const replay = fakeGatewayEvent(latePayment, 'payment.succeeded');
      expect((await deliver(t, replay)).at(-1)).toEqual({ status: 200, outcome: 'stale' });
      expect(
        await t.deps.database.db.selectFrom('refunds').select('id').where('order_id', '=', late.orderId).execute(),
      ).toHaveLength(1);
    });

    it('a second payment of an already paid order is refunded in full as a duplicate', async () => {
      const order = await bookOrder(t, buyer);
      const first = await startFakePayment(t, buyer, order.orderId);
      // The buyer declines on the first page, opens a second payment, then pays on both pages.
      await t.app.inject({ method: 'POST', url: `/pay/${first.chargeId}`, payload: { action: 'decline' } });
      const second = await startFakePayment(t, buyer, order.orderId);
      expect(second.paymentId).not.toBe(first.paymentId);
      await markChargePaid(t, first.chargeId);
      await markChargePaid(t, second.chargeId);
      const results = await Promise.all([
        deliver(t, fakeGatewayEvent(first, 'payment.succeeded')),
        deliver(t, fakeGatewayEvent(second, 'payment.succeeded')),
      ]);
      const outcomes = results.map((attempts) => attempts.at(-1)!.outcome).sort();
      expect(outcomes).toEqual(['confirmed', 'refunded']);
      const state = await soldState(t, order.orderId);
      expect(state.order).toMatchObject({ status: 'confirmed', payment_status: 'paid', refunded_amount: 0 });
      expect(state.tickets).toHaveLength(2);
      const statuses = state.payments.map((p) => p.status).sort();
      expect(statuses).toEqual(['refunded', 'succeeded']);
      expect(state.refunds).toHaveLength(1);
      expect(state.refunds[0]!.idempotency_key).toMatch(/^duplicate:/);
    });
  });
}
