import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onCancellationCodeIssued } from '../../src/booking/cancellation.service.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The whole buyer journey through the public API only, as a client would drive it: an organizer sets up
 * a show, a buyer registers, finds it, holds seats, books, pays through the fake gateway's signed
 * webhook, gets tickets with QR codes, is checked in, cancels part of the order with a one-time code,
 * is refunded by the organizer's policy, and the cancelled seat is on sale again.
 */
describe.each(availableHoldStores())('checkout end to end (%s hold store)', (holdStore) => {
  let t: TestApp;
  const codes = new Map<string, string>();
  let stopCapturing: () => void = () => undefined;

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    stopCapturing = onCancellationCodeIssued(t.deps, (issued) => codes.set(issued.orderId, issued.code));
  });
  afterAll(async () => {
    stopCapturing();
    await t?.close();
  });

  async function call(method: 'GET' | 'POST', url: string, auth: string | null, body?: object) {
    const response = await t.app.inject({
      method,
      url,
      headers: auth ? { authorization: `Bearer ${auth}` } : {},
      ...(body ? { payload: body } : {}),
    });
    const json = String(response.headers['content-type'] ?? '').includes('json') ? response.json() : undefined;
    return { status: response.statusCode, body: json, raw: response };
  }

  it('register → search → hold → book → pay → tickets → check-in → partial cancellation → refund → seats back', async () => {
    // The organizer's side: an organizer, a venue with a small hall, an event on sale, a refund policy
    // (10 % kept more than 48 h before the show), and a staff member at the door.
    const admin = t.adminHeaders.authorization.replace('Bearer ', '');
    const organizer = await call('POST', '/api/admin/organizers', admin, {
      name: 'Flow Theatre',
      currency: 'BDT',
      timezone: 'Asia/Dhaka',
    });
    expect(organizer.status).toBe(201);
    const venue = await call('POST', '/api/admin/venues', admin, {
      organizerId: organizer.body.id,
      name: 'Flow Hall',
      city: 'Chattogram',
      timezone: 'Asia/Dhaka',
    });
    const layout = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/venues/${venue.body.id}/layout`,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'text/csv' },
      payload: [
        'section,row,seat,category,x,y,flags',
        ...[1, 2, 3, 4, 5, 6].map((n) => `Stalls,A,${n},STD,${n * 10},10,`),
      ].join('\n'),
    });
    expect(layout.statusCode).toBe(201);
    const startsAt = new Date(Date.now() + 7 * 86400_000);
    const event = await call('POST', '/api/admin/events', admin, {
      venueId: venue.body.id,
      title: 'The Flow of Rivers',
      category: 'theatre',
      startsAt: startsAt.toISOString(),
      endsAt: new Date(startsAt.getTime() + 2 * 3600_000).toISOString(),
      status: 'on_sale',
      prices: { STD: 50000 },
    });
    expect(event.status).toBe(201);
    const policy = await call('POST', '/api/admin/refund-policies', admin, {
      organizerId: organizer.body.id,
      name: 'Standard',
      scopeKind: 'organizer',
      rules: [
        { minHoursBefore: 48, feePercent: 10, feeFlat: 0 },
        { minHoursBefore: 0, feePercent: 50, feeFlat: 0 },
      ],
    });
    expect(policy.status).toBe(201);
    const staffPassword = 'door-staff-password-1';
    const staffUser = await call('POST', '/api/admin/users', admin, {
      email: 'door@flow.example',
      password: staffPassword,
      name: 'Door',
      role: 'staff',
      organizerId: organizer.body.id,
    });
    expect(staffUser.status).toBe(201);
    const staff = (await call('POST', '/api/auth/login', null, { email: 'door@flow.example', password: staffPassword }))
      .body.accessToken as string;

    // The buyer registers and finds the show by a misspelt word.
    const registered = await call('POST', '/api/auth/register', null, {
      email: 'buyer@flow.example',
      password: 'a-long-buyer-password',
      name: 'Rina',
    });
    expect(registered.status).toBe(201);
    const buyer = registered.body.accessToken as string;
    const found = await call('GET', '/api/events?q=rivvers&city=chattogram', null);
    expect(found.body.items.map((item: { id: string }) => item.id)).toContain(event.body.id);

    // Seat map → hold three seats → book → pay.
    const map = await call('GET', `/api/events/${event.body.id}/seats`, null);
    const seats = (map.body.layout.seats as { id: string; status: string }[]).filter((s) => s.status === 'available');
    const chosen = seats.slice(0, 3).map((s) => s.id);
    const hold = await call('POST', '/api/holds', buyer, { eventId: event.body.id, seatIds: chosen });
    expect(hold.status).toBe(201);
    const booked = await call('POST', '/api/bookings', buyer, { holdToken: hold.body.token });
    expect(booked.status).toBe(201);
    expect(booked.body).toMatchObject({ status: 'pending_payment', paymentStatus: 'unpaid', total: 150000 });
    const orderId = booked.body.id as string;

    const payment = await call('POST', '/api/payments', buyer, { orderId });
    expect(payment.status).toBe(201);
    const payPage = await t.app.inject({ method: 'GET', url: new URL(payment.body.checkoutUrl).pathname });
    expect(payPage.statusCode).toBe(200);
    expect(payPage.body).toContain('Pay');
    const pressed = await t.app.inject({
      method: 'POST',
      url: new URL(payment.body.checkoutUrl).pathname,
      headers: { accept: 'application/json' },
      payload: { action: 'pay' },
    });
    expect(pressed.json()).toMatchObject({ delivered: true });
    const paid = await call('GET', `/api/bookings/${orderId}`, buyer);
    expect(paid.body).toMatchObject({ status: 'confirmed', paymentStatus: 'paid', refundStatus: 'none' });

    // Tickets with QR codes; the first is checked in once.
    const tickets = (await call('GET', `/api/bookings/${orderId}/tickets`, buyer)).body.items as {
      id: string;
      code: string;
      seatId: string;
    }[];
    expect(tickets).toHaveLength(3);
    const qr = await t.app.inject({
      method: 'GET',
      url: `/api/tickets/${tickets[0]!.id}/qr.png`,
      headers: { authorization: `Bearer ${buyer}` },
    });
    expect(qr.headers['content-type']).toBe('image/png');
    expect(qr.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const scan = await call('POST', '/api/checkins', staff, { code: tickets[0]!.code });
    expect(scan.status).toBe(200);
    expect((await call('POST', '/api/checkins', staff, { code: tickets[0]!.code })).status).toBe(409);

    // Partial cancellation of one seat: quote, one-time code, cancel; refund by the policy.
    const lines = paid.body.lines as { id: string; seatId: string; total: number }[];
    const cancelLine = lines.find((line) => line.seatId === chosen[1])!;
    const quote = await call('GET', `/api/bookings/${orderId}/cancellation-quote?lineIds=${cancelLine.id}`, buyer);
    expect(quote.status).toBe(200);
    expect(quote.body.refund).toBe(45000);
    const checkedInLine = lines.find((line) => line.seatId === tickets[0]!.seatId)!;
    expect(
      (await call('POST', `/api/bookings/${orderId}/cancellation-code`, buyer, { lineIds: [cancelLine.id] })).status,
    ).toBe(201);
    const cancelled = await call('POST', `/api/bookings/${orderId}/cancel`, buyer, {
      code: codes.get(orderId),
      lineIds: [cancelLine.id],
    });
    expect(cancelled.status).toBe(200);
    const after = await call('GET', `/api/bookings/${orderId}`, buyer);
    expect(after.body).toMatchObject({
      status: 'confirmed',
      paymentStatus: 'partially_refunded',
      refundedAmount: 45000,
    });
    expect(checkedInLine.id).not.toBe(cancelLine.id);

    // The cancelled seat is on sale again at once; the others are still sold.
    const mapAfter = await call('GET', `/api/events/${event.body.id}/seats`, null);
    const status = new Map(
      (mapAfter.body.layout.seats as { id: string; status: string }[]).map((s) => [s.id, s.status]),
    );
    expect([status.get(chosen[0]!), status.get(chosen[1]!), status.get(chosen[2]!)]).toEqual([
      'sold',
      'available',
      'sold',
    ]);
    const other = await call('POST', '/api/auth/register', null, {
      email: 'next@flow.example',
      password: 'another-long-password',
    });
    const rehold = await call('POST', '/api/holds', other.body.accessToken, {
      eventId: event.body.id,
      seatIds: [chosen[1]],
    });
    expect(rehold.status).toBe(201);
  });
});
