import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmPaidOrder,
  findOrderForPayment,
  type ConfirmationResult,
} from '../../src/booking/order-confirmation.service.js';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import { AppError } from '../../src/shared/errors.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, setFares, sleep, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, createTrip, gridLayout, type TripFixture } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/** Confirms like a payment provider delivering a webhook: a 503 (order locked) is retried. */
async function confirmWithRetry(t: TestApp, orderId: string): Promise<{ result: ConfirmationResult; busy: number }> {
  let busy = 0;
  for (;;) {
    try {
      return { result: await confirmPaidOrder(t.deps, { orderId, paymentId: `pay_${orderId}` }), busy };
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'service.unavailable')) throw error;
      busy++;
      await sleep(5 + Math.random() * 20);
    }
  }
}

describe.each(availableHoldStores())('order confirmation (%s hold store)', (holdStore) => {
  let t: TestApp;
  let buyer: TestUser;
  let rival: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    buyer = await createTestUser(t);
    rival = await createTestUser(t);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function bookEvent(user: TestUser, eventId: string, body: object): Promise<Json> {
    const reply = await api(t, 'POST', '/api/bookings', { user, body: { eventId, ...body } });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body;
  }

  async function bookTrip(user: TestUser, trip: TripFixture, from: number, to: number, seatIds: string[]) {
    const reply = await api(t, 'POST', '/api/bookings', {
      user,
      body: {
        tripId: trip.tripId,
        from: trip.stopIds[from],
        to: trip.stopIds[to],
        seatIds,
        passengers: seatIds.map((seatId, i) => ({ seatId, name: `Passenger ${i}` })),
      },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    return reply.body;
  }

  async function countTickets(orderId: string): Promise<number> {
    const row = await t.deps.database.db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function overlappingTicketPairs(inventoryId: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM tickets a JOIN tickets b
        ON a.inventory_id = b.inventory_id AND a.seat_id = b.seat_id AND a.id < b.id
       AND int4range(a.from_index, a.to_index) && int4range(b.from_index, b.to_index)
     WHERE a.inventory_id = ${inventoryId} AND a.status = 'valid' AND b.status = 'valid'`.execute(t.deps.database.db);
    return rows[0]!.n;
  }

  it('confirms a paid order: seat sales per line, one ticket per line, order confirmed and paid, hold released', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, {
      layout: gridLayout(2, 4, { gaAreas: [{ name: 'Floor', category: 'GA', capacity: 10 }] }),
    });
    await setEventPrices(db, event.eventId, { A: 1000, B: 500, GA: 200 });
    const seats = [event.seatIds[0]!, event.seatIds[5]!];
    const order = await bookEvent(buyer, event.eventId, {
      seatIds: seats,
      ga: [{ areaId: event.gaAreaIds[0]!, quantity: 2 }],
    });

    expect(await findOrderForPayment(db, order.id)).toEqual({
      id: order.id,
      userId: buyer.id,
      organizerId: event.organizerId,
      total: order.total,
      currency: 'BDT',
      status: 'pending_payment',
      paymentStatus: 'unpaid',
      expiresAt: new Date(order.expiresAt),
    });
    expect(await findOrderForPayment(db, 'ord_missing')).toBeNull();
    const holdToken = (await db
      .selectFrom('orders')
      .select('hold_token')
      .where('id', '=', order.id)
      .executeTakeFirst())!.hold_token!;

    const result = await confirmPaidOrder(t.deps, { orderId: order.id, paymentId: 'pay_first' });
    expect(result.outcome).toBe('confirmed');
    expect(result.ticketIds).toHaveLength(4);

    const sales = await db.selectFrom('seat_sales').selectAll().where('order_id', '=', order.id).execute();
    expect(sales.map((sale) => sale.seat_id).sort()).toEqual([...seats].sort());
    const lineIds = new Set(order.lines.map((line: { id: string }) => line.id));
    for (const sale of sales) expect(lineIds.has(sale.order_line_id)).toBe(true);
    const ga = await db.selectFrom('ga_inventory').select('sold').where('inventory_id', '=', event.eventId).execute();
    expect(ga[0]!.sold).toBe(2);
    const tickets = await db.selectFrom('tickets').selectAll().where('order_id', '=', order.id).execute();
    expect(tickets.map((ticket) => ticket.order_line_id).sort()).toEqual([...lineIds].sort());
    for (const ticket of tickets) expect(ticket.code).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const shown = await api(t, 'GET', `/api/bookings/${order.id}`, { user: buyer });
    expect(shown.body).toMatchObject({ status: 'confirmed', paymentStatus: 'paid', refundStatus: 'none' });
    expect(shown.body.confirmedAt).not.toBeNull();
    expect(await t.deps.holdStore.get(holdToken)).toBeNull();
    // Sold, not held: nobody can hold the seats again (the Redis store learnt of the sale through syncSold).
    const again = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-after-sale-01' },
      body: { eventId: event.eventId, seatIds: [seats[0]!] },
    });
    expect(again.status).toBe(409);
    const occupancy = await t.deps.holdStore.occupancy({ kind: 'event', id: event.eventId }, { from: 0, to: 1 });
    expect([...occupancy.soldSeatIds].sort()).toEqual([...seats].sort());
    expect(occupancy.heldSeatIds.size).toBe(0);
  });

  it('confirms once under 10 concurrent deliveries: one confirmation, one ticket per seat', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
    const order = await bookEvent(buyer, event.eventId, { seatIds: event.seatIds.slice(10, 13) });

    const runs = await Promise.all(Array.from({ length: 10 }, () => confirmWithRetry(t, order.id)));
    const outcomes = runs.map((run) => run.result.outcome);
    expect(outcomes.filter((outcome) => outcome === 'confirmed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'already_confirmed')).toHaveLength(9);
    const ticketIds = runs[0]!.result.ticketIds;
    expect(ticketIds).toHaveLength(3);
    for (const run of runs) expect(run.result.ticketIds).toEqual(ticketIds);
    expect(await countTickets(order.id)).toBe(3);
    const sales = await db.selectFrom('seat_sales').select('id').where('order_id', '=', order.id).execute();
    expect(sales).toHaveLength(3);
  });

  it('re-holds and confirms when the hold expired but the seats are still free', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { holdTtlSeconds: 1 });
    await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
    const order = await bookEvent(buyer, event.eventId, { seatIds: [event.seatIds[20]!] });
    await sleep(Date.parse(order.expiresAt) - Date.now() + 300);

    const result = await confirmPaidOrder(t.deps, { orderId: order.id, paymentId: 'pay_late' });
    expect(result.outcome).toBe('confirmed');
    expect(result.ticketIds).toHaveLength(1);
    // The fresh hold made to confirm is gone too: only the sale blocks the seat.
    const occupancy = await t.deps.holdStore.occupancy({ kind: 'event', id: event.eventId }, { from: 0, to: 1 });
    expect(occupancy.heldSeatIds.size).toBe(0);
    expect([...occupancy.soldSeatIds]).toEqual([event.seatIds[20]]);
  });

  it('requires a refund when the hold expired and another buyer bought the seat; never two tickets', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { holdTtlSeconds: 1 });
    await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
    const seat = event.seatIds[30]!;
    const late = await bookEvent(buyer, event.eventId, { seatIds: [seat] });
    await sleep(Date.parse(late.expiresAt) - Date.now() + 300);
    const early = await bookEvent(rival, event.eventId, { seatIds: [seat] });

    // Both payments land at once: the rival's hold is live, the late buyer's is gone and cannot be made again.
    const [lateRun, earlyRun] = await Promise.all([confirmWithRetry(t, late.id), confirmWithRetry(t, early.id)]);
    expect(earlyRun.result.outcome).toBe('confirmed');
    expect(lateRun.result).toMatchObject({ outcome: 'refund_required', ticketIds: [] });
    expect(lateRun.result.reason).toMatch(/someone else/);

    const shown = await api(t, 'GET', `/api/bookings/${late.id}`, { user: buyer });
    expect(shown.body).toMatchObject({ status: 'cancelled', paymentStatus: 'paid', refundStatus: 'pending' });
    expect(shown.body.lines[0].status).toBe('cancelled');
    expect(await countTickets(late.id)).toBe(0);
    expect(await overlappingTicketPairs(event.eventId)).toBe(0);

    // A later delivery of the same payment, even once the seat is free again, never confirms a refunded order.
    await db.updateTable('seat_sales').set({ status: 'cancelled' }).where('order_id', '=', early.id).execute();
    await t.deps.holdStore.syncSold({ kind: 'event', id: event.eventId });
    const retried = await confirmPaidOrder(t.deps, { orderId: late.id, paymentId: 'pay_again' });
    expect(retried.outcome).toBe('refund_required');
    expect(await countTickets(late.id)).toBe(0);
  });

  it('lets the database refuse a sale that slipped past a live hold, and answers refund_required', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
    const seats = [event.seatIds[40]!, event.seatIds[41]!];
    const order = await bookEvent(buyer, event.eventId, { seatIds: seats });
    // As if a faulty hold store had let someone else sell one of the seats meanwhile.
    await insertSeatSales(db, {
      inventory: { kind: 'event', id: event.eventId },
      seatIds: [seats[1]!],
      segment: { from: 0, to: 1 },
    });

    const result = await confirmPaidOrder(t.deps, { orderId: order.id, paymentId: 'pay_conflict' });
    expect(result.outcome).toBe('refund_required');
    expect(await countTickets(order.id)).toBe(0);
    const sales = await db.selectFrom('seat_sales').select('id').where('order_id', '=', order.id).execute();
    expect(sales).toHaveLength(0); // the whole sale rolled back, not just the refused seat
    const row = await db.selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'cancelled', refund_status: 'pending', payment_status: 'paid' });
  });

  it('on trips, a late payment confirms when another sale only touches its segment, and is refunded when it overlaps', async () => {
    const db = t.deps.database.db;
    const trip = await createTrip(db, { stopCount: 5, seatRows: 2, holdTtlSeconds: 1 });
    await setFares(
      db,
      trip.routeId,
      [0, 1, 2, 3].map((i) => ({ fromIndex: i, toIndex: i + 1, seatClass: 'A', amount: 100 })),
    );
    const [s0, s1] = trip.seatIds as [string, string];

    const touching = await bookTrip(buyer, trip, 0, 2, [s0]);
    const overlapping = await bookTrip(buyer, trip, 0, 3, [s1]);
    await sleep(Math.max(Date.parse(touching.expiresAt), Date.parse(overlapping.expiresAt)) - Date.now() + 300);
    const after = await bookTrip(rival, trip, 2, 4, [s0, s1]);
    expect((await confirmWithRetry(t, after.id)).result.outcome).toBe('confirmed');

    expect((await confirmWithRetry(t, touching.id)).result.outcome).toBe('confirmed'); // [0,2) and [2,4) touch
    expect((await confirmWithRetry(t, overlapping.id)).result.outcome).toBe('refund_required'); // [0,3) && [2,4)
    expect(await overlappingTicketPairs(trip.tripId)).toBe(0);
    const tickets = await db
      .selectFrom('tickets')
      .select(['seat_id', 'from_index', 'to_index'])
      .where('inventory_id', '=', trip.tripId)
      .execute();
    const key = (ticket: { seat_id: string | null; from_index: number; to_index: number }) =>
      `${ticket.seat_id}:[${ticket.from_index},${ticket.to_index})`;
    expect(tickets.map(key).sort()).toEqual([`${s0}:[0,2)`, `${s0}:[2,4)`, `${s1}:[2,4)`].sort());
  });

  // Only a server has a second connection to hold the lock with; PGlite serialises transactions on its one.
  if (databaseKind === 'postgres') {
    it('answers service.unavailable at once while another transaction holds the order, so the provider retries', async () => {
      const db = t.deps.database.db;
      const event = await createEventOnSale(db);
      await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
      const order = await bookEvent(buyer, event.eventId, { seatIds: [event.seatIds[60]!] });
      const client = await t.deps.database.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT id FROM orders WHERE id = $1 FOR UPDATE', [order.id]);
        const started = Date.now();
        await expect(confirmPaidOrder(t.deps, { orderId: order.id, paymentId: 'pay_busy' })).rejects.toMatchObject({
          code: 'service.unavailable',
        });
        expect(Date.now() - started).toBeLessThan(2000); // NOWAIT: no lock_timeout wait
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
      expect((await confirmPaidOrder(t.deps, { orderId: order.id, paymentId: 'pay_busy' })).outcome).toBe('confirmed');
    });
  }

  it('answers 404 for an unknown order and refuses a payment of another order', async () => {
    await expect(confirmPaidOrder(t.deps, { orderId: 'ord_nothere', paymentId: 'pay_x' })).rejects.toMatchObject({
      code: 'resource.not_found',
    });
    const db = t.deps.database.db;
    const event = await createEventOnSale(db);
    await setEventPrices(db, event.eventId, { A: 1000, B: 500 });
    const mine = await bookEvent(buyer, event.eventId, { seatIds: [event.seatIds[50]!] });
    const theirs = await bookEvent(rival, event.eventId, { seatIds: [event.seatIds[51]!] });
    await db
      .insertInto('payments')
      .values({
        id: 'pay_of_theirs',
        order_id: theirs.id,
        provider: 'fake',
        provider_payment_id: 'fake_1',
        amount: theirs.total,
        currency: 'BDT',
      })
      .execute();
    await expect(confirmPaidOrder(t.deps, { orderId: mine.id, paymentId: 'pay_of_theirs' })).rejects.toMatchObject({
      code: 'request.invalid',
    });
    expect(await countTickets(mine.id)).toBe(0);
  });
});
