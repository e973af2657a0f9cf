import { randomBytes } from 'node:crypto';
import { newId } from '../../src/shared/ids.js';
import { signFakeWebhook, type FakeGatewayEvent } from '../../src/payments/payment-provider.fake.js';
import { createEventOnSale, type EventFixture } from './fixtures.js';
import type { TestApp } from './test-app.js';
import type { TestUser } from './auth.js';

/** The fake gateway secret tests configure, so they can sign events themselves. */
export const TEST_GATEWAY_SECRET = 'test-fake-gateway-secret-0123456789abcdef';

export interface PendingOrder {
  orderId: string;
  total: number;
  currency: string;
  seatIds: string[];
  holdToken: string;
  event: EventFixture;
}

/**
 * Holds seats through the real hold API and writes a pending_payment order for them straight into the
 * database (one line per seat at 50,000 minor units), for payment tests that are not about booking.
 */
export async function createPendingOrder(
  t: TestApp,
  user: TestUser,
  options: { event?: EventFixture; seatIds?: string[]; seatCount?: number; expiresInMs?: number } = {},
): Promise<PendingOrder> {
  const db = t.deps.database.db;
  const event = options.event ?? (await createEventOnSale(db));
  const seatIds = options.seatIds ?? event.seatIds.slice(0, options.seatCount ?? 2);
  const session = `sess_${randomBytes(12).toString('hex')}`;
  const hold = await t.app.inject({
    method: 'POST',
    url: '/api/holds',
    headers: { 'x-session-id': session },
    payload: { eventId: event.eventId, seatIds },
  });
  if (hold.statusCode !== 201) throw new Error(`hold failed: ${hold.statusCode} ${hold.body}`);
  const holdToken = (hold.json() as { token: string }).token;
  const orderId = newId('order');
  const price = 50_000;
  const total = price * seatIds.length;
  await db
    .insertInto('orders')
    .values({
      id: orderId,
      code: `T${randomBytes(4).toString('hex').toUpperCase()}`,
      user_id: user.id,
      organizer_id: event.organizerId,
      inventory_kind: 'event',
      inventory_id: event.eventId,
      from_index: 0,
      to_index: 1,
      hold_token: holdToken,
      currency: 'BDT',
      subtotal: total,
      total,
      expires_at: new Date(Date.now() + (options.expiresInMs ?? 10 * 60_000)),
    })
    .execute();
  await db
    .insertInto('order_lines')
    .values(
      seatIds.map((seatId, i) => ({
        id: newId('orderLine'),
        order_id: orderId,
        seat_id: seatId,
        label: `Seat ${i + 1}`,
        category: 'A',
        price,
        total: price,
      })),
    )
    .execute();
  return { orderId, total, currency: 'BDT', seatIds, holdToken, event };
}

/** An on-sale event (10×10 grid) with prices for both seat categories: A 50,000, B 30,000 minor units. */
export async function createPricedEvent(t: TestApp): Promise<EventFixture> {
  const db = t.deps.database.db;
  const event = await createEventOnSale(db);
  await db
    .insertInto('event_prices')
    .values([
      { event_id: event.eventId, category: 'A', amount: 50_000 },
      { event_id: event.eventId, category: 'B', amount: 30_000 },
    ])
    .execute();
  return event;
}

/**
 * Books seats the way a buyer does: POST /api/holds, then POST /api/bookings with the hold. The order then
 * awaits payment.
 */
export async function bookOrder(
  t: TestApp,
  user: TestUser,
  options: { event?: EventFixture; seatIds?: string[]; seatCount?: number } = {},
): Promise<PendingOrder> {
  const event = options.event ?? (await createPricedEvent(t));
  const seatIds = options.seatIds ?? event.seatIds.slice(0, options.seatCount ?? 2);
  const headers = { ...user.headers, 'x-session-id': `sess_${randomBytes(12).toString('hex')}` };
  const hold = await t.app.inject({
    method: 'POST',
    url: '/api/holds',
    headers,
    payload: { eventId: event.eventId, seatIds },
  });
  if (hold.statusCode !== 201) throw new Error(`hold failed: ${hold.statusCode} ${hold.body}`);
  const holdToken = (hold.json() as { token: string }).token;
  const booking = await t.app.inject({ method: 'POST', url: '/api/bookings', headers, payload: { holdToken } });
  if (booking.statusCode !== 201) throw new Error(`booking failed: ${booking.statusCode} ${booking.body}`);
  const order = booking.json() as { id: string; total: number; currency: string };
  return { orderId: order.id, total: order.total, currency: order.currency, seatIds, holdToken, event };
}

/** Starts paying an order through the API and returns the payment with its fake charge id. */
export async function startFakePayment(t: TestApp, user: TestUser, orderId: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/payments',
    headers: user.headers,
    payload: { orderId },
  });
  if (response.statusCode !== 201) throw new Error(`payment failed: ${response.statusCode} ${response.body}`);
  const payment = response.json() as { paymentId: string; checkoutUrl: string; amount: number; currency: string };
  return { ...payment, chargeId: chargeIdOf(payment.checkoutUrl) };
}

/** A fake gateway webhook body and its signature header, as the gateway would send them. */
export function fakeGatewayEvent(
  payment: { chargeId: string; paymentId: string; amount: number; currency?: string },
  type: 'payment.succeeded' | 'payment.failed',
  options: { eventId?: string; secret?: string; timestamp?: number } = {},
): { body: string; headers: Record<string, string> } {
  const event: FakeGatewayEvent = {
    id: options.eventId ?? `fevt_${randomBytes(12).toString('hex')}`,
    type,
    created: Math.floor(Date.now() / 1000),
    data: {
      chargeId: payment.chargeId,
      reference: payment.paymentId,
      amount: payment.amount,
      currency: payment.currency ?? 'BDT',
      status: type === 'payment.succeeded' ? 'succeeded' : 'failed',
      failureReason: type === 'payment.failed' ? 'card_declined' : null,
    },
  };
  const body = JSON.stringify(event);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'boxoffice-signature': signFakeWebhook(options.secret ?? TEST_GATEWAY_SECRET, body, timestamp),
    },
  };
}

/** The provider id (fake charge id) of a payment, from its checkout URL. */
export function chargeIdOf(checkoutUrl: string): string {
  return checkoutUrl.split('/pay/')[1]!;
}
