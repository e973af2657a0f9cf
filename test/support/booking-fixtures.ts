import type { Db } from '../../src/db/client.js';
import type { Fare } from '../../src/transport/fare-quote.js';
import { newId } from '../../src/shared/ids.js';
import type { TestUser } from './auth.js';
import type { TestApp } from './test-app.js';

/** Prices, fares, organizer terms and request helpers for the booking, ticket and check-in tests. */

export async function setEventPrices(db: Db, eventId: string, prices: Record<string, number>): Promise<void> {
  await db.deleteFrom('event_prices').where('event_id', '=', eventId).execute();
  await db
    .insertInto('event_prices')
    .values(Object.entries(prices).map(([category, amount]) => ({ event_id: eventId, category, amount })))
    .execute();
}

export async function setFares(db: Db, routeId: string, fares: Fare[]): Promise<void> {
  await db
    .insertInto('fares')
    .values(
      fares.map((fare) => ({
        id: newId('fare'),
        route_id: routeId,
        from_index: fare.fromIndex,
        to_index: fare.toIndex,
        seat_class: fare.seatClass,
        amount: fare.amount,
      })),
    )
    .execute();
}

export async function setOrganizerTerms(
  db: Db,
  organizerId: string,
  terms: { taxRateBp?: number; feePerSeat?: number; maxPerOrder?: number; maxPerBuyer?: number },
): Promise<void> {
  await db
    .updateTable('organizers')
    .set({
      ...(terms.taxRateBp !== undefined ? { tax_rate_bp: terms.taxRateBp } : {}),
      ...(terms.feePerSeat !== undefined ? { booking_fee_per_seat: terms.feePerSeat } : {}),
      ...(terms.maxPerOrder !== undefined ? { max_seats_per_order: terms.maxPerOrder } : {}),
      ...(terms.maxPerBuyer !== undefined ? { max_seats_per_buyer: terms.maxPerBuyer } : {}),
    })
    .where('id', '=', organizerId)
    .execute();
}

export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T & { error?: { code: string; message: string; details?: Record<string, unknown> } };
}

/** Any JSON reply of the API, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export async function api(
  t: TestApp,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  options: { user?: TestUser; headers?: Record<string, string>; body?: object } = {},
): Promise<Reply<Json>> {
  const response = await t.app.inject({
    method,
    url,
    headers: { ...(options.user?.headers ?? {}), ...(options.headers ?? {}) },
    ...(options.body ? { payload: options.body } : {}),
  });
  const text = response.body;
  return {
    status: response.statusCode,
    body: text && response.headers['content-type']?.toString().includes('json') ? JSON.parse(text) : {},
  };
}

export async function holdSeats(
  t: TestApp,
  session: string,
  body: { eventId?: string; tripId?: string; from?: string; to?: string; seatIds?: string[]; ga?: object[] },
): Promise<string> {
  const reply = await api(t, 'POST', '/api/holds', { headers: { 'x-session-id': session }, body });
  if (reply.status !== 201) throw new Error(`hold failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body.token as string;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
