import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, setEventPrices, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, gridLayout, type EventFixture } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { book, bookAndPay, captureCancellationCodes, pay, refundsOf, requestCode } from './cancellation.fixtures.js';

/**
 * Customer cancellations through the real API: book, pay with the fake gateway, quote, one-time code,
 * cancel some or all seats; the refund follows the policy and the seats go back on sale at once.
 */
describe.each(availableHoldStores())(`cancellations (${databaseKind}, %s hold store)`, (holdStore) => {
  let t: TestApp;
  let buyer: TestUser;
  let other: TestUser;
  let codes: ReturnType<typeof captureCancellationCodes>;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    buyer = await createTestUser(t);
    other = await createTestUser(t);
    codes = captureCancellationCodes(t);
  });
  afterAll(async () => {
    codes?.stop();
    await t?.close();
  });

  async function pricedEvent(): Promise<EventFixture> {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { layout: gridLayout(4, 5) });
    await setEventPrices(db, event.eventId, { A: 10_000, B: 6_000 });
    return event;
  }

  async function startsIn(eventId: string, hours: number): Promise<void> {
    await t.deps.database.db
      .updateTable('events')
      .set({
        starts_at: new Date(Date.now() + hours * 3_600_000),
        ends_at: new Date(Date.now() + (hours + 2) * 3_600_000),
      })
      .where('id', '=', eventId)
      .execute();
  }

  /** The example policy: > 48 h flat 500; 48–12 h 25 %; 12–4 h 50 %; under 4 h no refund. */
  async function setTieredPolicy(event: EventFixture, scope: 'organizer' | 'event' = 'organizer'): Promise<void> {
    const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const reply = await api(t, 'POST', '/api/admin/refund-policies', {
      user: staff,
      body: {
        organizerId: event.organizerId,
        name: 'Tiered',
        scopeKind: scope,
        ...(scope === 'event' ? { scopeId: event.eventId } : {}),
        rules: [
          { minHoursBefore: 48, feePercent: 0, feeFlat: 500 },
          { minHoursBefore: 12, feePercent: 25, feeFlat: 0 },
          { minHoursBefore: 4, feePercent: 50, feeFlat: 0 },
        ],
        minFee: 0,
      },
    });
    expect(reply.status).toBe(201);
  }

  const lineIdsOf = (order: Json) => (order.lines as { id: string }[]).map((line) => line.id);

  it('quotes the refund per policy tier at several times before the start', async () => {
    const event = await pricedEvent();
    await setTieredPolicy(event);
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: event.seatIds.slice(0, 2) });
    const lines = lineIdsOf(order);
    const cases: [number, number[], boolean][] = [
      [100, [500, 500], true],
      [30, [2_500, 2_500], true],
      [8, [5_000, 5_000], true],
      [2, [10_000, 10_000], false],
    ];
    for (const [hours, fees, cancellable] of cases) {
      await startsIn(event.eventId, hours);
      const quote = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote`, { user: buyer });
      expect(quote.status).toBe(200);
      expect(quote.body.lines.map((l: Json) => l.fee)).toEqual(fees);
      expect(quote.body).toMatchObject({
        cancellable,
        requiresCode: true,
        fee: fees[0]! + fees[1]!,
        refund: 20_000 - fees[0]! - fees[1]!,
        policy: { scopeKind: 'organizer', name: 'Tiered' },
      });
      if (!cancellable) expect(quote.body.reason.code).toBe('cancellation.not_allowed');
    }
    await startsIn(event.eventId, 30);
    const one = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote?lineIds=${lines[1]}`, {
      user: buyer,
    });
    expect(one.body.lines).toEqual([expect.objectContaining({ lineId: lines[1], fee: 2_500, refund: 7_500 })]);
    // Another buyer's order does not exist for them; an unknown line is a bad request.
    expect((await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote`, { user: other })).status).toBe(404);
    const unknown = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote?lineIds=oln_nope`, {
      user: buyer,
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.code).toBe('cancellation.line_unknown');
  });

  it('uses an event override before the organizer default, and the built-in default without any policy', async () => {
    const event = await pricedEvent();
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: [event.seatIds[0]!] });
    await startsIn(event.eventId, 49);
    let quote = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote`, { user: buyer });
    expect(quote.body).toMatchObject({ cancellable: true, refund: 10_000, fee: 0, policy: { scopeKind: 'default' } });
    await startsIn(event.eventId, 47);
    quote = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote`, { user: buyer });
    expect(quote.body).toMatchObject({ cancellable: false, refund: 0 });
    await setTieredPolicy(event, 'event');
    quote = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote`, { user: buyer });
    expect(quote.body).toMatchObject({ cancellable: true, fee: 2_500, policy: { scopeKind: 'event' } });
  });

  it('cancels part of an order with a code: refund by policy, exactly those seats back on sale', async () => {
    const event = await pricedEvent();
    await setTieredPolicy(event);
    const seats = event.seatIds.slice(0, 3);
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: seats });
    await startsIn(event.eventId, 30); // 25 % tier
    const bySeat = new Map((order.lines as Json[]).map((line) => [line.seatId as string, line.id as string]));
    const cancelLines = [bySeat.get(seats[0]!)!, bySeat.get(seats[2]!)!];

    const code = await requestCode(t, buyer, codes, order.id, cancelLines);
    expect(code).toMatch(/^[0-9]{6}$/);
    const stored = await t.deps.database.db
      .selectFrom('cancellation_codes')
      .selectAll()
      .where('order_id', '=', order.id)
      .executeTakeFirstOrThrow();
    expect(stored.code_hash).not.toContain(code);
    expect(stored.expires_at.getTime() - stored.created_at.getTime()).toBeLessThanOrEqual(10 * 60_000 + 1000);

    const otherSeats = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, {
      user: buyer,
      body: { code, lineIds: [bySeat.get(seats[1]!)!] },
    });
    expect([otherSeats.status, otherSeats.body.error?.code]).toEqual([422, 'cancellation.code_invalid']);

    const reply = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: { code } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      orderStatus: 'confirmed',
      fee: 5_000,
      refund: { amount: 15_000, status: 'done' },
      couponReturned: false,
    });
    expect([...reply.body.cancelledLineIds].sort()).toEqual([...cancelLines].sort());

    const after = await api(t, 'GET', `/api/bookings/${order.id}`, { user: buyer });
    expect(after.body).toMatchObject({
      status: 'confirmed',
      paymentStatus: 'partially_refunded',
      refundedAmount: 15_000,
    });
    const lineStatus = Object.fromEntries(
      (after.body.lines as Json[]).map((l) => [l.id, [l.status, l.refundedAmount]]),
    );
    expect(lineStatus[cancelLines[0]!]).toEqual(['cancelled', 7_500]);
    expect(lineStatus[bySeat.get(seats[1]!)!]).toEqual(['active', 0]);
    const tickets = await t.deps.database.db
      .selectFrom('tickets')
      .select(['order_line_id', 'status'])
      .where('order_id', '=', order.id)
      .execute();
    expect(
      tickets
        .filter((ticket) => ticket.status === 'cancelled')
        .map((ticket) => ticket.order_line_id)
        .sort(),
    ).toEqual([...cancelLines].sort());
    const { refunds, gateway } = await refundsOf(t, order.id);
    expect(refunds.map((r) => [r.amount, r.status])).toEqual([[15_000, 'done']]);
    expect(gateway.map((g) => g.amount)).toEqual([15_000]);

    // The cancelled seats can be held at once; the kept one cannot.
    const freed = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-after-cancel-01' },
      body: { eventId: event.eventId, seatIds: [seats[0]!, seats[2]!] },
    });
    expect(freed.status).toBe(201);
    const kept = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-after-cancel-02' },
      body: { eventId: event.eventId, seatIds: [seats[1]!] },
    });
    expect(kept.status).toBe(409);

    // Cancelling the rest makes the order cancelled and refunded.
    const rest = await requestCode(t, buyer, codes, order.id);
    const last = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: { code: rest } });
    expect(last.body).toMatchObject({ orderStatus: 'cancelled', refund: { amount: 7_500, status: 'done' } });
    const final = await api(t, 'GET', `/api/bookings/${order.id}`, { user: buyer });
    expect(final.body).toMatchObject({ status: 'cancelled', refundedAmount: 22_500 });
  });

  it('refuses checked-in tickets, wrong codes (5 tries), expired codes and codes for other seats', async () => {
    const event = await pricedEvent();
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: event.seatIds.slice(0, 2) });
    const [first, second] = lineIdsOf(order) as [string, string];
    const db = t.deps.database.db;

    const staff = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const ticket = await db
      .selectFrom('tickets')
      .select('code')
      .where('order_line_id', '=', first)
      .executeTakeFirstOrThrow();
    const scan = await api(t, 'POST', '/api/checkins', { user: staff, body: { code: ticket.code } });
    expect(scan.status).toBe(200);
    const refusedCode = await api(t, 'POST', `/api/bookings/${order.id}/cancellation-code`, {
      user: buyer,
      body: { lineIds: [first] },
    });
    expect(refusedCode.status).toBe(409);
    expect(refusedCode.body.error?.code).toBe('cancellation.checked_in');
    const quote = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote`, { user: buyer });
    expect(quote.body).toMatchObject({ cancellable: false, reason: { code: 'cancellation.checked_in' } });

    // A code for the other seat, then a cancel of the checked-in one with it: refused as checked in.
    const code = await requestCode(t, buyer, codes, order.id, [second]);
    const checkedIn = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, {
      user: buyer,
      body: { code, lineIds: [first] },
    });
    expect(checkedIn.status).toBe(409);
    expect(checkedIn.body.error?.code).toBe('cancellation.checked_in');
    const noCode = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: {} });
    expect(noCode.status).toBe(400);
    expect(noCode.body.error?.code).toBe('cancellation.code_required');

    const wrong = code === '000000' ? '000001' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const reply = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: { code: wrong } });
      expect(reply.status).toBe(422);
      expect(reply.body.error).toMatchObject({
        code: 'cancellation.code_invalid',
        details: { attemptsLeft: 5 - attempt },
      });
    }
    const exhausted = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: { code } });
    expect(exhausted.status).toBe(422);
    expect(exhausted.body.error?.code).toBe('cancellation.code_expired');

    const fresh = await requestCode(t, buyer, codes, order.id, [second]);
    await db
      .updateTable('cancellation_codes')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('order_id', '=', order.id)
      .execute();
    const expired = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: { code: fresh } });
    expect(expired.status).toBe(422);
    expect(expired.body.error?.code).toBe('cancellation.code_expired');

    // Another user cannot use the order at all.
    const stranger = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: other, body: { code: fresh } });
    expect(stranger.status).toBe(404);
    const anonymous = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { body: { code: fresh } });
    expect(anonymous.status).toBe(401);

    expect((await refundsOf(t, order.id)).refunds).toHaveLength(0);
    const state = await api(t, 'GET', `/api/bookings/${order.id}`, { user: buyer });
    expect(state.body.lines.every((line: Json) => line.status === 'active')).toBe(true);
  });

  it('runs two (and ten) concurrent cancellations of one order into exactly one refund', async () => {
    const event = await pricedEvent();
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: event.seatIds.slice(0, 2) });
    const code = await requestCode(t, buyer, codes, order.id);
    const replies = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(t, 'POST', `/api/bookings/${order.id}/cancel`, {
          user: buyer,
          headers: { 'idempotency-key': `race-${order.id}-${i}` },
          body: { code },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    for (const reply of replies.filter((r) => r.status !== 200)) {
      expect(reply.status).toBe(409);
      expect(reply.body.error?.code).toBe('cancellation.already_cancelled');
    }
    const { refunds, gateway } = await refundsOf(t, order.id);
    expect(refunds).toHaveLength(1);
    expect(gateway).toHaveLength(1);
    expect(refunds[0]!.amount).toBe(20_000);
    const state = await api(t, 'GET', `/api/bookings/${order.id}`, { user: buyer });
    expect(state.body).toMatchObject({ status: 'cancelled', paymentStatus: 'refunded', refundedAmount: 20_000 });
  });

  it('replays a cancellation sent again with the same Idempotency-Key', async () => {
    const event = await pricedEvent();
    const order = await bookAndPay(t, buyer, { eventId: event.eventId, seatIds: [event.seatIds[0]!] });
    const code = await requestCode(t, buyer, codes, order.id);
    const send = () =>
      api(t, 'POST', `/api/bookings/${order.id}/cancel`, {
        user: buyer,
        headers: { 'idempotency-key': `cancel-once-${order.id}` },
        body: { code },
      });
    const first = await send();
    const again = await send();
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await refundsOf(t, order.id)).refunds).toHaveLength(1);
  });

  it('cancels an unpaid order whole without a code, releasing its hold; never part of it', async () => {
    const event = await pricedEvent();
    const seats = event.seatIds.slice(5, 7);
    const order = await book(t, buyer, { eventId: event.eventId, seatIds: seats });
    const partial = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, {
      user: buyer,
      body: { lineIds: [order.lines[0].id] },
    });
    expect(partial.status).toBe(409);
    expect(partial.body.error?.code).toBe('cancellation.not_allowed');
    const codeRequest = await api(t, 'POST', `/api/bookings/${order.id}/cancellation-code`, { user: buyer, body: {} });
    expect(codeRequest.status).toBe(409);

    const quote = await api(t, 'GET', `/api/bookings/${order.id}/cancellation-quote`, { user: buyer });
    expect(quote.body).toMatchObject({ cancellable: true, requiresCode: false, refund: 0, fee: 0 });
    // No body at all means the whole order.
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/bookings/${order.id}/cancel`,
      headers: buyer.headers,
    });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toMatchObject({ orderStatus: 'cancelled', refund: { amount: 0, status: 'none' } });
    const hold = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'session-after-unpaid-01' },
      body: { eventId: event.eventId, seatIds: seats },
    });
    expect(hold.status).toBe(201);
    const again = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error?.code).toBe('cancellation.already_cancelled');
    // The payment of a cancelled order cannot start.
    const payment = await api(t, 'POST', '/api/payments', { user: buyer, body: { orderId: order.id } });
    expect(payment.status).toBe(409);
  });

  it('refuses bodies with unknown fields or malformed codes with 400', async () => {
    const event = await pricedEvent();
    const order = await book(t, buyer, { eventId: event.eventId, seatIds: [event.seatIds[9]!] });
    for (const body of [{ code: '12345' }, { code: 'abcdef' }, { lineIds: [] }, { extra: true }]) {
      const reply = await api(t, 'POST', `/api/bookings/${order.id}/cancel`, { user: buyer, body });
      expect(reply.status).toBe(400);
    }
    await pay(t, buyer, order.id);
  });
});
