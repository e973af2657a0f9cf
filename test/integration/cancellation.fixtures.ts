import type { TestUser } from '../support/auth.js';
import { api, type Json } from '../support/booking-fixtures.js';
import type { TestApp } from '../support/test-app.js';
import { onCancellationCodeIssued } from '../../src/booking/cancellation.service.js';

/** Helpers shared by the coupon, refund-policy and cancellation tests: book and pay through the real API. */

/** Books through POST /api/bookings; throws with the answer when it is not 201. */
export async function book(t: TestApp, user: TestUser, body: object): Promise<Json> {
  const reply = await api(t, 'POST', '/api/bookings', { user, body });
  if (reply.status !== 201) throw new Error(`booking failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/** Pays an order with the fake gateway: start the payment, press Pay (which calls the signed webhook). */
export async function pay(t: TestApp, user: TestUser, orderId: string): Promise<Json> {
  const started = await api(t, 'POST', '/api/payments', { user, body: { orderId } });
  if (started.status !== 201 && started.status !== 200) {
    throw new Error(`payment failed to start: ${started.status} ${JSON.stringify(started.body)}`);
  }
  const chargeId = (started.body.checkoutUrl as string).split('/pay/')[1]!;
  const pressed = await t.app.inject({
    method: 'POST',
    url: `/pay/${chargeId}`,
    headers: { accept: 'application/json' },
    payload: { action: 'pay' },
  });
  if (pressed.statusCode !== 200 || !(pressed.json() as { delivered: boolean }).delivered) {
    throw new Error(`pay page failed: ${pressed.statusCode} ${pressed.body}`);
  }
  const order = await api(t, 'GET', `/api/bookings/${orderId}`, { user });
  if (order.body.status !== 'confirmed') throw new Error(`order not confirmed: ${JSON.stringify(order.body)}`);
  return order.body;
}

export async function bookAndPay(t: TestApp, user: TestUser, body: object): Promise<Json> {
  const order = await book(t, user, body);
  return pay(t, user, order.id as string);
}

/** Collects cancellation codes as the app issues them (what the buyer would read in their e-mail). */
export function captureCancellationCodes(t: TestApp): { latest(orderId: string): string; stop(): void } {
  const codes = new Map<string, string>();
  const stop = onCancellationCodeIssued(t.deps, (issued) => codes.set(issued.orderId, issued.code));
  return {
    latest(orderId) {
      const code = codes.get(orderId);
      if (!code) throw new Error(`no cancellation code was issued for ${orderId}`);
      return code;
    },
    stop,
  };
}

/** Requests a code for these lines and returns it. */
export async function requestCode(
  t: TestApp,
  user: TestUser,
  codes: { latest(orderId: string): string },
  orderId: string,
  lineIds?: string[],
): Promise<string> {
  const reply = await api(t, 'POST', `/api/bookings/${orderId}/cancellation-code`, {
    user,
    body: lineIds ? { lineIds } : {},
  });
  if (reply.status !== 201) throw new Error(`code request failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return codes.latest(orderId);
}

/** Refund rows and fake-gateway refunds of an order. */
export async function refundsOf(t: TestApp, orderId: string) {
  const db = t.deps.database.db;
  const refunds = await db.selectFrom('refunds').selectAll().where('order_id', '=', orderId).execute();
  const gateway = await db
    .selectFrom('fake_gateway_refunds')
    .innerJoin('fake_gateway_charges', 'fake_gateway_charges.id', 'fake_gateway_refunds.charge_id')
    .innerJoin('payments', 'payments.id', 'fake_gateway_charges.reference')
    .select(['fake_gateway_refunds.amount'])
    .where('payments.order_id', '=', orderId)
    .execute();
  return { refunds, gateway };
}
