import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser, type TestUser } from '../support/auth.js';
import { bookOrder, chargeIdOf, fakeGatewayEvent, startFakePayment, TEST_GATEWAY_SECRET } from '../support/payments.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

async function orderState(t: TestApp, orderId: string) {
  const db = t.deps.database.db;
  const order = await db
    .selectFrom('orders')
    .select(['status', 'payment_status', 'refund_status'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const tickets = await db.selectFrom('tickets').select('seat_id').where('order_id', '=', orderId).execute();
  const payments = await db.selectFrom('payments').select(['id', 'status']).where('order_id', '=', orderId).execute();
  return { order, tickets, payments };
}

describe(`payments through the fake gateway (${databaseKind})`, () => {
  let t: TestApp;
  let buyer: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { FAKE_GATEWAY_SECRET: TEST_GATEWAY_SECRET } });
    buyer = await createTestUser(t);
    other = await createTestUser(t);
  });
  afterAll(async () => t?.close());

  it('book → POST /api/payments → hosted page → Pay → signed webhook → confirmed with one ticket per seat', async () => {
    const order = await bookOrder(t, buyer, { seatCount: 3 });
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: buyer.headers,
      payload: { orderId: order.orderId },
    });
    expect(start.statusCode).toBe(201);
    const payment = start.json() as { paymentId: string; checkoutUrl: string; amount: number; status: string };
    expect(payment).toMatchObject({ amount: order.total, status: 'pending' });
    expect(payment.checkoutUrl).toMatch(/^http:\/\/localhost(:\d+)?\/pay\/fpi_/);

    const chargeId = chargeIdOf(payment.checkoutUrl);
    const page = await t.app.inject({ method: 'GET', url: `/pay/${chargeId}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain(`action="&#47;pay&#47;${chargeId}"`);
    for (const action of ['pay', 'decline', 'fail']) expect(page.body).toContain(`value="${action}"`);
    expect(page.body).not.toContain('<script');

    // The buyer presses Pay: the browser posts the form; the gateway calls the webhook, then redirects.
    const pressed = await t.app.inject({
      method: 'POST',
      url: `/pay/${chargeId}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'action=pay',
    });
    expect(pressed.statusCode).toBe(303);
    expect(pressed.headers.location).toContain(`/pay/return/${payment.paymentId}`);

    const state = await orderState(t, order.orderId);
    expect(state.order).toEqual({ status: 'confirmed', payment_status: 'paid', refund_status: 'none' });
    expect(state.tickets.map((ticket) => ticket.seat_id).sort()).toEqual([...order.seatIds].sort());
    expect(state.payments).toEqual([{ id: payment.paymentId, status: 'succeeded' }]);

    const back = await t.app.inject({ method: 'GET', url: `/pay/return/${payment.paymentId}` });
    expect(back.body).toContain('Your booking is confirmed.');
    const mine = await t.app.inject({
      method: 'GET',
      url: `/api/payments/${payment.paymentId}`,
      headers: buyer.headers,
    });
    expect(mine.json()).toMatchObject({ status: 'succeeded' });

    // Paying a confirmed order again is refused.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: buyer.headers,
      payload: { orderId: order.orderId },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('payment.order_not_payable');
  });

  it('sends the buyer back to the path the client asked for (the web app’s order page), never elsewhere', async () => {
    const order = await bookOrder(t, buyer);
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: buyer.headers,
      payload: { orderId: order.orderId, returnPath: `/orders/${order.orderId}/confirmation` },
    });
    expect(start.statusCode, start.body).toBe(201);
    const payment = start.json() as { checkoutUrl: string };
    const pressed = await t.app.inject({
      method: 'POST',
      url: `/pay/${chargeIdOf(payment.checkoutUrl)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'action=pay',
    });
    expect(pressed.statusCode).toBe(303);
    expect(pressed.headers.location).toMatch(
      new RegExp(`^http://localhost(:\\d+)?/orders/${order.orderId}/confirmation$`),
    );

    // Another host, a protocol-relative URL, a query or a scheme are refused before anything is opened.
    const other = await bookOrder(t, buyer);
    for (const returnPath of ['https://evil.example/x', '//evil.example/x', '/orders?x=1', 'orders', '/a/../b']) {
      const refused = await t.app.inject({
        method: 'POST',
        url: '/api/payments',
        headers: buyer.headers,
        payload: { orderId: other.orderId, returnPath },
      });
      expect(refused.statusCode, returnPath).toBe(400);
      expect(refused.json().error.code).toBe('request.invalid');
    }
    expect((await orderState(t, other.orderId)).payments).toEqual([]);
  });

  it('Decline leaves the order awaiting payment; the buyer can then pay on the same page', async () => {
    const order = await bookOrder(t, buyer);
    const payment = await startFakePayment(t, buyer, order.orderId);
    const declined = await t.app.inject({
      method: 'POST',
      url: `/pay/${payment.chargeId}`,
      headers: { accept: 'application/json' },
      payload: { action: 'decline' },
    });
    expect(declined.json()).toMatchObject({ status: 'failed', delivered: true, webhookStatus: 200 });
    let state = await orderState(t, order.orderId);
    expect(state.order.status).toBe('pending_payment');
    expect(state.payments[0]!.status).toBe('failed');
    expect((await t.app.inject({ method: 'GET', url: `/pay/${payment.chargeId}` })).body).toContain('card_declined');

    const paid = await t.app.inject({
      method: 'POST',
      url: `/pay/${payment.chargeId}`,
      headers: { accept: 'application/json' },
      payload: { action: 'pay' },
    });
    expect(paid.json()).toMatchObject({ status: 'succeeded', delivered: true });
    state = await orderState(t, order.orderId);
    expect(state.order.status).toBe('confirmed');
    expect(state.tickets).toHaveLength(2);
  });

  it('a pending payment is handed out again instead of opening a second checkout', async () => {
    const order = await bookOrder(t, buyer);
    const first = await startFakePayment(t, buyer, order.orderId);
    const second = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: buyer.headers,
      payload: { orderId: order.orderId },
    });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ paymentId: first.paymentId, checkoutUrl: first.checkoutUrl });
  });

  it('only the buyer may pay their order; anonymous is 401, another customer 404; bad bodies 400', async () => {
    const order = await bookOrder(t, buyer);
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/payments', payload: { orderId: order.orderId } });
    expect(anonymous.statusCode).toBe(401);
    const stranger = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: other.headers,
      payload: { orderId: order.orderId },
    });
    expect(stranger.statusCode).toBe(404);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: buyer.headers,
      payload: { orderId: 'ord_doesnotexist' },
    });
    expect(unknown.statusCode).toBe(404);
    for (const payload of [{}, { orderId: order.orderId, amount: 1 }, { orderId: 5 }, { orderId: 'x'.repeat(500) }]) {
      const bad = await t.app.inject({ method: 'POST', url: '/api/payments', headers: buyer.headers, payload });
      expect(bad.statusCode).toBe(400);
    }
    const payment = await startFakePayment(t, buyer, order.orderId);
    const peek = await t.app.inject({
      method: 'GET',
      url: `/api/payments/${payment.paymentId}`,
      headers: other.headers,
    });
    expect(peek.statusCode).toBe(404);
    const badAction = await t.app.inject({
      method: 'POST',
      url: `/pay/${payment.chargeId}`,
      payload: { action: 'steal' },
    });
    expect(badAction.statusCode).toBe(400);
    const noCharge = await t.app.inject({ method: 'GET', url: '/pay/fpi_doesnotexist000' });
    expect(noCharge.statusCode).toBe(404);
  });

  it('an expired order cannot start a payment', async () => {
    const order = await bookOrder(t, buyer);
    await t.deps.database.db
      .updateTable('orders')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', order.orderId)
      .execute();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: buyer.headers,
      payload: { orderId: order.orderId },
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('payment.order_expired');
  });

  it('a webhook with a bad or stale signature is 400 and changes nothing', async () => {
    const order = await bookOrder(t, buyer);
    const payment = await startFakePayment(t, buyer, order.orderId);
    // The charge is really paid at the gateway, so only the signature stands in the way.
    await t.deps.database.db
      .updateTable('fake_gateway_charges')
      .set({ status: 'succeeded' })
      .where('id', '=', payment.chargeId)
      .execute();
    const ref = { chargeId: payment.chargeId, paymentId: payment.paymentId, amount: payment.amount };
    const wrongSecret = fakeGatewayEvent(ref, 'payment.succeeded', { secret: 'another-secret-0123456789abcdefghijkl' });
    const stale = fakeGatewayEvent(ref, 'payment.succeeded', { timestamp: Math.floor(Date.now() / 1000) - 600 });
    const good = fakeGatewayEvent(ref, 'payment.succeeded');
    const tampered = { body: good.body.replace(`"amount":${payment.amount}`, '"amount":1'), headers: good.headers };
    const unsigned = { body: good.body, headers: { 'content-type': 'application/json' } };
    for (const attempt of [wrongSecret, stale, tampered, unsigned]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks/fake',
        headers: attempt.headers,
        payload: attempt.body,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('payment.webhook_signature_invalid');
    }
    const state = await orderState(t, order.orderId);
    expect(state.order.status).toBe('pending_payment');
    expect(state.payments[0]!.status).toBe('pending');
    expect(state.tickets).toHaveLength(0);
    expect(await t.deps.database.db.selectFrom('payment_events').select('event_id').execute()).not.toContainEqual({
      event_id: JSON.parse(good.body).id,
    });
    // The genuine event still works afterwards.
    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks/fake',
      headers: good.headers,
      payload: good.body,
    });
    expect(accepted.json()).toMatchObject({ received: true, outcome: 'confirmed' });
  });

  it('payments and webhooks are in the OpenAPI document', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys((response.json() as { paths: Record<string, unknown> }).paths);
    for (const path of ['/api/payments', '/api/payments/{paymentId}', '/api/webhooks/{provider}', '/pay/{chargeId}']) {
      expect(paths).toContain(path);
    }
  });

  it('the Stripe webhook does not exist while the fake gateway is configured', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/webhooks/stripe',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      payload: '{}',
    });
    expect(response.statusCode).toBe(404);
  });
});
