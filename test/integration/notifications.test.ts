import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketQrPng } from '../../src/booking/ticket.service.js';
import { enqueueTripCancelled, enqueueTripDelayed } from '../../src/jobs/domain-events.js';
import type { SmsMessage, SmsSender } from '../../src/notifications/sms.js';
import { newId } from '../../src/shared/ids.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, type Json } from '../support/booking-fixtures.js';
import { createTrip, type EventFixture } from '../support/fixtures.js';
import { bookOrder, createPricedEvent, startFakePayment } from '../support/payments.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { pay } from './cancellation.fixtures.js';

/**
 * What buyers are told, as they are told it: the embedded mailbox (no SMTP server), each buyer's choice of
 * email and/or SMS, the cancellation code, cancellation and refund, trip delays to the passengers they
 * concern, and a staff "resend tickets". Staff read only their organizer's mail.
 */
describe(`notifications and the local mailbox (${databaseKind})`, () => {
  let t: TestApp;
  let event: EventFixture;
  let staffX: TestUser;
  let staffY: TestUser;
  let seat = 0;
  const texts: SmsMessage[] = [];

  beforeAll(async () => {
    t = await createTestApp({ jobs: true, env: { JOBS_POLL_INTERVAL_MS: '500' } });
    const recorder: SmsSender = {
      name: 'recorder',
      send: async (message) => {
        texts.push(message);
        return { messageId: `sms-${texts.length}` };
      },
    };
    t.deps.sms = recorder;
    event = await createPricedEvent(t);
    await t.deps.database.db.updateTable('organizers').set({ max_seats_per_buyer: 100 }).execute();
    staffX = await createTestUser(t, { role: 'staff', organizerId: event.organizerId });
    const other = await createPricedEvent(t);
    staffY = await createTestUser(t, { role: 'staff', organizerId: other.organizerId });
  });
  afterAll(async () => t?.close());

  const db = () => t.deps.database.db;

  async function paidOrder(buyer: TestUser, seats = 1): Promise<string> {
    const order = await bookOrder(t, buyer, { event, seatIds: event.seatIds.slice(seat, seat + seats) });
    seat += seats;
    await pay(t, buyer, order.orderId);
    return order.orderId;
  }

  async function mailOf(orderId: string, kind: string, count = 1) {
    return waitFor(
      async () => {
        const rows = await db()
          .selectFrom('mailbox_messages')
          .selectAll()
          .where('order_id', '=', orderId)
          .where('kind', '=', kind)
          .orderBy('created_at')
          .execute();
        return rows.length >= count ? rows : undefined;
      },
      30_000,
      `${kind} mail of ${orderId}`,
    );
  }

  it('keeps the booking confirmation in the mailbox with its parts and QR images; staff read their organizer’s only', async () => {
    const buyer = await createTestUser(t, { name: 'Rahim' });
    const orderId = await paidOrder(buyer, 2);
    const [message] = await mailOf(orderId, 'booking_confirmed');
    expect(message).toMatchObject({ to_address: buyer.email, organizer_id: event.organizerId, language: 'en' });
    expect(message!.subject).toContain('Your tickets: Test Show');

    const list = await api(t, 'GET', `/api/admin/mailbox?orderId=${orderId}`, { user: staffX });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({ id: message!.id, kind: 'booking_confirmed', attachmentCount: 2 }),
    ]);
    const detail = await api(t, 'GET', `/api/admin/mailbox/${message!.id}`, { user: staffX });
    expect(detail.status).toBe(200);
    const tickets = await db().selectFrom('tickets').select(['id', 'code']).where('order_id', '=', orderId).execute();
    for (const ticket of tickets) {
      expect(detail.body.text).toContain(ticket.code);
      expect(detail.body.html).toContain(`cid:qr-${ticket.id}@boxoffice`);
      const image = (detail.body.attachments as Json[]).find((a) => a.contentId === `qr-${ticket.id}@boxoffice`)!;
      expect(image.contentType).toBe('image/png');
      const bytes = Buffer.from((image.dataUrl as string).replace('data:image/png;base64,', ''), 'base64');
      expect(bytes.equals(await ticketQrPng(ticket.code))).toBe(true);
    }
    const page = await t.app.inject({
      method: 'GET',
      url: `/api/admin/mailbox/${message!.id}/html`,
      headers: staffX.headers,
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('src="data:image/png;base64,');
    expect(page.body).not.toContain('cid:');

    // Another organizer's staff see none of it; buyers are not staff; admins see everything.
    expect((await api(t, 'GET', `/api/admin/mailbox?orderId=${orderId}`, { user: staffY })).body).toEqual([]);
    expect((await api(t, 'GET', `/api/admin/mailbox/${message!.id}`, { user: staffY })).status).toBe(404);
    expect((await api(t, 'GET', `/api/admin/mailbox/${message!.id}/html`, { user: staffY })).status).toBe(404);
    expect((await api(t, 'GET', '/api/admin/mailbox', { user: buyer })).status).toBe(403);
    const asAdmin = await t.app.inject({
      method: 'GET',
      url: `/api/admin/mailbox/${message!.id}`,
      headers: t.adminHeaders,
    });
    expect(asAdmin.statusCode).toBe(200);
  });

  it('writes to each buyer in their language, and by text message only when that is all they chose', async () => {
    const bangla = await createTestUser(t, { name: 'সাকিব' });
    await db().updateTable('users').set({ language: 'bn' }).where('id', '=', bangla.id).execute();
    const [mail] = await mailOf(await paidOrder(bangla), 'booking_confirmed');
    expect(mail!.subject).toContain('আপনার টিকিট');
    expect(mail!.text_body).toContain('প্রিয় সাকিব');

    const textOnly = await createTestUser(t);
    const changed = await api(t, 'PATCH', '/api/me', {
      user: textOnly,
      body: { notifyEmail: false, notifySms: true, phone: '+8801711000000' },
    });
    expect(changed.status).toBe(200);
    const orderId = await paidOrder(textOnly);
    const text = await waitFor(() => texts.find((sms) => sms.context.orderId === orderId), 30_000, 'the text message');
    expect(text.to).toBe('+8801711000000');
    expect(text.context.kind).toBe('booking_confirmed');
    expect(text.text).toContain('confirmed');
    const kinds = await db().selectFrom('notifications').select('channel').where('order_id', '=', orderId).execute();
    expect(kinds).toEqual([{ channel: 'sms' }]);
    expect(await db().selectFrom('mailbox_messages').select('id').where('order_id', '=', orderId).execute()).toEqual(
      [],
    );
  });

  it('mails the cancellation code, then the cancellation and the refund; the code is not kept once sent', async () => {
    const buyer = await createTestUser(t);
    const orderId = await paidOrder(buyer);
    const issued = await api(t, 'POST', `/api/bookings/${orderId}/cancellation-code`, { user: buyer, body: {} });
    expect(issued.status).toBe(201);
    const [codeMail] = await mailOf(orderId, 'cancellation_code');
    const code = /\b(\d{6})\b/.exec(codeMail!.text_body)?.[1];
    expect(code).toBeDefined();
    const cancelled = await api(t, 'POST', `/api/bookings/${orderId}/cancel`, { user: buyer, body: { code } });
    expect(cancelled.status).toBe(200);
    const stored = await db()
      .selectFrom('notifications')
      .select(['params', 'status'])
      .where('order_id', '=', orderId)
      .where('kind', '=', 'cancellation_code')
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ params: {}, status: 'sent' });

    const [cancelMail] = await mailOf(orderId, 'order_cancelled');
    expect(cancelMail!.subject).toContain('Cancelled: 1 seat(s)');
    const [refundMail] = await mailOf(orderId, 'refund_done');
    expect(refundMail!.text_body).toContain('refund for the seats that were cancelled');
    const refund = cancelled.body.refund as Json;
    expect(refundMail!.subject).toContain('Refund of BDT');
    expect(refund.amount).toBeGreaterThan(0);
  });

  /** A trip over 4 stops with one confirmed order per named segment [from, to), written straight to the database. */
  async function tripWithPassengers(segments: readonly (readonly [string, number, number])[]) {
    const trip = await createTrip(db(), { stopCount: 4, seatRows: 2 });
    const passengers: Record<string, { user: TestUser; orderId: string }> = {};
    for (const [name, from, to] of segments) {
      const user = await createTestUser(t, { name });
      const orderId = newId('order');
      await db()
        .insertInto('orders')
        .values({
          id: orderId,
          code: `D${randomBytes(4).toString('hex').toUpperCase()}`,
          user_id: user.id,
          organizer_id: trip.organizerId,
          inventory_kind: 'trip',
          inventory_id: trip.tripId,
          from_index: from,
          to_index: to,
          status: 'confirmed',
          payment_status: 'paid',
          currency: 'BDT',
          subtotal: 80_000,
          total: 80_000,
          expires_at: new Date(),
          confirmed_at: new Date(),
        })
        .execute();
      await db()
        .insertInto('order_lines')
        .values({
          id: newId('orderLine'),
          order_id: orderId,
          seat_id: trip.seatIds[from]!,
          label: `1${'ABCD'[from]}`,
          category: 'A',
          price: 80_000,
          total: 80_000,
          passenger_name: name,
        })
        .execute();
      passengers[name] = { user, orderId };
    }
    return { trip, passengers };
  }

  it('tells the passengers a delay concerns — those still aboard at the late stop — and no one else', async () => {
    const { trip, passengers } = await tripWithPassengers([
      ['offBefore', 0, 1],
      ['arrivesAtLateStop', 0, 2],
      ['aboardThrough', 1, 3],
      ['boardsLater', 2, 3],
    ]);
    const stops = await db()
      .selectFrom('trip_stops')
      .select(['stop_index', 'arrives_at', 'departs_at'])
      .where('trip_id', '=', trip.tripId)
      .orderBy('stop_index')
      .execute();
    await db()
      .transaction()
      .execute((trx) =>
        enqueueTripDelayed(trx, { tripId: trip.tripId, delayMinutes: 40, fromStopIndex: 2, reason: 'Road works' }),
      );
    const told = ['arrivesAtLateStop', 'aboardThrough', 'boardsLater'];
    for (const name of told) {
      const [mail] = await mailOf(passengers[name]!.orderId, 'trip_delayed');
      expect(mail!.subject).toContain('40 min late');
      expect(mail!.text_body).toContain('Reason: Road works');
    }
    const [arrival] = await mailOf(passengers.arrivesAtLateStop!.orderId, 'trip_delayed');
    const late = new Date(stops[2]!.arrives_at.getTime() + 40 * 60_000);
    expect(arrival!.text_body).toContain('Expected arrival at Stop 2');
    expect(arrival!.text_body).toContain(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Asia/Dhaka',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(late),
    );
    const [departure] = await mailOf(passengers.boardsLater!.orderId, 'trip_delayed');
    expect(departure!.text_body).toContain('Expected departure from Stop 2');
    const notTold = await db()
      .selectFrom('notifications')
      .select('id')
      .where('order_id', '=', passengers.offBefore!.orderId)
      .execute();
    expect(notTold).toEqual([]);
  });

  it('tells the passengers whose journey a realtime cancellation of some legs touches', async () => {
    const { trip, passengers } = await tripWithPassengers([
      ['beforeTheGap', 0, 1],
      ['throughTheGap', 0, 3],
      ['insideTheGap', 1, 2],
    ]);
    await db()
      .transaction()
      .execute((trx) =>
        enqueueTripCancelled(trx, { tripId: trip.tripId, fromStopIndex: 1, toStopIndex: 2, reason: 'Bridge closed' }),
      );
    const [through] = await mailOf(passengers.throughTheGap!.orderId, 'trip_disrupted');
    expect(through!.text_body).toContain('is cancelled for part of your journey');
    expect(through!.text_body).toContain('Reason: Bridge closed');
    const [inside] = await mailOf(passengers.insideTheGap!.orderId, 'trip_disrupted');
    expect(inside!.text_body).not.toContain('part of your journey');
    const untouched = await db()
      .selectFrom('notifications')
      .select('id')
      .where('order_id', '=', passengers.beforeTheGap!.orderId)
      .execute();
    expect(untouched).toEqual([]);
  });

  it('lets the organizer’s staff resend the tickets and see every message of an order', async () => {
    const buyer = await createTestUser(t);
    const orderId = await paidOrder(buyer);
    await mailOf(orderId, 'booking_confirmed');
    expect((await api(t, 'POST', `/api/admin/orders/${orderId}/resend-tickets`, { user: staffY })).status).toBe(404);
    expect((await api(t, 'POST', `/api/admin/orders/${orderId}/resend-tickets`, { user: buyer })).status).toBe(403);
    const resent = await api(t, 'POST', `/api/admin/orders/${orderId}/resend-tickets`, { user: staffX });
    expect(resent.status).toBe(202);
    expect(resent.body).toEqual({ orderId, messages: 1 });
    await mailOf(orderId, 'booking_confirmed', 2);
    const history = await api(t, 'GET', `/api/admin/orders/${orderId}/notifications`, { user: staffX });
    expect(history.status).toBe(200);
    expect((history.body as unknown as Json[]).map((n) => [n.kind, n.channel, n.status])).toEqual([
      ['booking_confirmed', 'email', 'sent'],
      ['booking_confirmed', 'email', 'sent'],
    ]);

    const pending = await bookOrder(t, buyer, { event, seatIds: [event.seatIds[seat++]!] });
    const refused = await api(t, 'POST', `/api/admin/orders/${pending.orderId}/resend-tickets`, { user: staffX });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.code).toBe('notification.order_not_confirmed');
  });

  it('tells a buyer whose payment came too late why it was refunded', async () => {
    const late = await createTestUser(t);
    const rival = await createTestUser(t);
    const seatId = event.seatIds[seat++]!;
    const order = await bookOrder(t, late, { event, seatIds: [seatId] });
    const payment = await startFakePayment(t, late, order.orderId);
    // The hold and the order run out before the buyer pays; someone else buys the seat meanwhile.
    const past = new Date(Date.now() - 60_000);
    await db().updateTable('holds').set({ expires_at: past }).where('token', '=', order.holdToken).execute();
    await db().updateTable('hold_seats').set({ expires_at: past }).where('hold_token', '=', order.holdToken).execute();
    await db().updateTable('orders').set({ expires_at: past }).where('id', '=', order.orderId).execute();
    await paidOrderOfSeat(rival, seatId);
    const pressed = await t.app.inject({
      method: 'POST',
      url: `/pay/${payment.chargeId}`,
      headers: { accept: 'application/json' },
      payload: { action: 'pay' },
    });
    expect(pressed.statusCode).toBe(200);
    const [mail] = await mailOf(order.orderId, 'refund_done');
    expect(mail!.text_body).toContain('Why: The seats were no longer held when the payment arrived');
    expect(mail!.text_body).toContain('No tickets were issued for this payment');
    expect(
      await db()
        .selectFrom('mailbox_messages')
        .select('id')
        .where('order_id', '=', order.orderId)
        .where('kind', '=', 'booking_confirmed')
        .execute(),
    ).toEqual([]);
  });

  it('tells every buyer of an event the organizer cancelled, with their full refund', async () => {
    const cancelled = await createPricedEvent(t);
    const buyer = await createTestUser(t);
    const order = await bookOrder(t, buyer, { event: cancelled, seatCount: 2 });
    await pay(t, buyer, order.orderId);
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/admin/events/${cancelled.eventId}/cancel`,
      headers: t.adminHeaders,
    });
    expect(reply.statusCode).toBe(200);
    const [mail] = await mailOf(order.orderId, 'order_cancelled');
    expect(mail!.subject).toContain('Event cancelled: Test Show');
    expect(mail!.text_body.replace(/\u00a0/g, ' ')).toContain('You get a full refund of BDT 1,000.00');
    await mailOf(order.orderId, 'refund_done');
  });

  async function paidOrderOfSeat(buyer: TestUser, seatId: string): Promise<string> {
    const order = await bookOrder(t, buyer, { event, seatIds: [seatId] });
    await pay(t, buyer, order.orderId);
    return order.orderId;
  }
});
