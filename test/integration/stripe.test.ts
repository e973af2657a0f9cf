import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refundOrderPayment } from '../../src/payments/payment.service.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { bookOrder, createPricedEvent } from '../support/payments.js';
import { StripeStandIn } from '../support/stripe-standin.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

const PUBLIC_URL = 'https://tickets.example.test';

describe(`Stripe adapter against a local stand-in (${databaseKind})`, () => {
  let standIn: StripeStandIn;
  let t: TestApp;
  let buyer: TestUser;
  let rival: TestUser;

  beforeAll(async () => {
    standIn = await new StripeStandIn().start();
    t = await createTestApp({
      env: {
        PAYMENT_PROVIDER: 'stripe',
        STRIPE_SECRET_KEY: standIn.secretKey,
        STRIPE_WEBHOOK_SECRET: standIn.webhookSecret,
        STRIPE_API_BASE: standIn.url,
        PUBLIC_URL,
      },
    });
    buyer = await createTestUser(t);
    rival = await createTestUser(t);
  });
  afterAll(async () => {
    await t?.close();
    await standIn?.close();
  });

  async function startPayment(user: TestUser, orderId: string) {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: user.headers,
      payload: { orderId },
    });
    expect(response.statusCode).toBe(201);
    const payment = response.json() as { paymentId: string; checkoutUrl: string; amount: number };
    const sessionId = payment.checkoutUrl.split('/c/pay/')[1]!;
    return { ...payment, sessionId };
  }

  const webhook = (event: { body: string; headers: Record<string, string> }) =>
    t.app.inject({ method: 'POST', url: '/api/webhooks/stripe', headers: event.headers, payload: event.body });

  async function state(orderId: string) {
    const db = t.deps.database.db;
    const order = await db
      .selectFrom('orders')
      .select(['status', 'payment_status', 'refund_status', 'refunded_amount'])
      .where('id', '=', orderId)
      .executeTakeFirstOrThrow();
    const payment = await db
      .selectFrom('payments')
      .select(['status', 'refunded_amount', 'provider_payment_id'])
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    const tickets = await db.selectFrom('tickets').select('id').where('order_id', '=', orderId).execute();
    return { order, payment, tickets };
  }

  it('opens a Checkout Session for the order total with the payment as reference and return URLs', async () => {
    const order = await bookOrder(t, buyer, { seatCount: 3 });
    const payment = await startPayment(buyer, order.orderId);
    const session = standIn.session(payment.sessionId);
    expect(session).toMatchObject({
      amount_total: order.total,
      currency: 'bdt',
      client_reference_id: payment.paymentId,
      metadata: { payment_id: payment.paymentId, order_id: order.orderId },
      success_url: `${PUBLIC_URL}/pay/return/${payment.paymentId}`,
    });
    expect((await state(order.orderId)).payment.provider_payment_id).toBe(payment.sessionId);
    // The fake gateway is not there next to Stripe.
    expect((await t.app.inject({ method: 'GET', url: '/pay/fpi_0123456789abcdef' })).statusCode).toBe(404);
    const fake = await t.app.inject({ method: 'POST', url: '/api/webhooks/fake', payload: {} });
    expect(fake.statusCode).toBe(404);
  });

  it('checkout.session.completed, verified and re-fetched, confirms the order once', async () => {
    const order = await bookOrder(t, buyer, { seatCount: 2 });
    const payment = await startPayment(buyer, order.orderId);
    standIn.pay(payment.sessionId);
    const event = standIn.event('checkout.session.completed', payment.sessionId);
    const responses = await Promise.all(Array.from({ length: 5 }, () => webhook(event)));
    expect(responses.every((r) => r.statusCode === 200 || r.statusCode === 503)).toBe(true);
    // Under contention every concurrent delivery may be told 503; Stripe then retries. So does this test.
    for (let retry = 0; retry < 20 && !responses.some((r) => r.statusCode === 200); retry++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      responses.push(await webhook(event));
    }
    expect(responses.filter((r) => r.statusCode === 200 && r.json().outcome === 'confirmed')).toHaveLength(1);
    const s = await state(order.orderId);
    expect(s.order.status).toBe('confirmed');
    expect(s.payment.status).toBe('succeeded');
    expect(s.tickets).toHaveLength(2);
    const sessionFetches = standIn.requests.filter(
      (r) => r.method === 'GET' && r.path === `/v1/checkout/sessions/${payment.sessionId}`,
    );
    expect(sessionFetches.length).toBeGreaterThanOrEqual(1);
    expect((await webhook(event)).json().outcome).toBe('duplicate');
  });

  it('bad signatures are 400 and change nothing: wrong secret, tampered body, stale, missing', async () => {
    const order = await bookOrder(t, buyer);
    const payment = await startPayment(buyer, order.orderId);
    standIn.pay(payment.sessionId);
    const good = standIn.event('checkout.session.completed', payment.sessionId);
    const attempts = [
      standIn.event('checkout.session.completed', payment.sessionId, { secret: 'whsec_not_the_right_one' }),
      { body: good.body.replace('"livemode":false', '"livemode":true'), headers: good.headers },
      standIn.event('checkout.session.completed', payment.sessionId, {
        timestamp: Math.floor(Date.now() / 1000) - 3600,
      }),
      { body: good.body, headers: { 'content-type': 'application/json' } },
    ];
    for (const attempt of attempts) {
      const response = await webhook(attempt);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe('payment.webhook_signature_invalid');
    }
    const s = await state(order.orderId);
    expect(s.order.status).toBe('pending_payment');
    expect(s.payment.status).toBe('pending');
    expect(s.tickets).toHaveLength(0);
    expect((await webhook(good)).json().outcome).toBe('confirmed');
  });

  it('a webhook the re-fetch disagrees with is not acted on: not paid, another amount, another currency', async () => {
    const order = await bookOrder(t, buyer);
    const payment = await startPayment(buyer, order.orderId);
    // The payload claims paid; Stripe itself says the session is unpaid.
    const claimsPaid = standIn.event('checkout.session.completed', payment.sessionId, {
      overrides: { payment_status: 'paid', status: 'complete' },
    });
    expect((await webhook(claimsPaid)).json()).toMatchObject({ outcome: 'rejected' });
    standIn.pay(payment.sessionId);
    standIn.tamper(payment.sessionId, { amount_total: order.total - 1 });
    const lessMoney = standIn.event('checkout.session.completed', payment.sessionId, {
      overrides: { amount_total: order.total },
    });
    expect((await webhook(lessMoney)).json()).toMatchObject({ outcome: 'rejected' });
    standIn.tamper(payment.sessionId, { amount_total: order.total, currency: 'usd' });
    expect((await webhook(standIn.event('checkout.session.completed', payment.sessionId))).json()).toMatchObject({
      outcome: 'rejected',
    });
    let s = await state(order.orderId);
    expect(s.order.status).toBe('pending_payment');
    expect(s.payment.status).toBe('pending');
    expect(s.tickets).toHaveLength(0);

    standIn.tamper(payment.sessionId, { currency: 'bdt' });
    expect((await webhook(standIn.event('checkout.session.completed', payment.sessionId))).json()).toMatchObject({
      outcome: 'confirmed',
    });
    s = await state(order.orderId);
    expect(s.order.status).toBe('confirmed');
  });

  it('Stripe unreachable: the webhook answers 503 (Stripe retries), starting a payment answers 503', async () => {
    const order = await bookOrder(t, buyer);
    const payment = await startPayment(buyer, order.orderId);
    standIn.pay(payment.sessionId);
    const event = standIn.event('checkout.session.completed', payment.sessionId);
    standIn.failNext(3); // the SDK retries twice
    const refused = await webhook(event);
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('payment.provider_unavailable');
    expect(refused.headers['retry-after']).toBe('1');
    expect((await state(order.orderId)).order.status).toBe('pending_payment');
    expect((await webhook(event)).json().outcome).toBe('confirmed');

    const other = await bookOrder(t, buyer);
    standIn.failNext(3);
    const start = await t.app.inject({
      method: 'POST',
      url: '/api/payments',
      headers: buyer.headers,
      payload: { orderId: other.orderId },
    });
    expect(start.statusCode).toBe(503);
    expect(start.json().error.code).toBe('payment.provider_unavailable');
    // The failed attempt does not block a new one.
    await startPayment(buyer, other.orderId);
  });

  it('a delayed payment method: completed-but-unpaid waits, async_payment_succeeded confirms; expired fails', async () => {
    const order = await bookOrder(t, buyer);
    const payment = await startPayment(buyer, order.orderId);
    standIn.tamper(payment.sessionId, { status: 'complete' });
    expect((await webhook(standIn.event('checkout.session.completed', payment.sessionId))).json().outcome).toBe(
      'ignored',
    );
    standIn.pay(payment.sessionId);
    const succeeded = standIn.event('checkout.session.async_payment_succeeded', payment.sessionId);
    expect((await webhook(succeeded)).json().outcome).toBe('confirmed');

    const abandoned = await bookOrder(t, buyer);
    const abandonedPayment = await startPayment(buyer, abandoned.orderId);
    standIn.expire(abandonedPayment.sessionId);
    expect((await webhook(standIn.event('checkout.session.expired', abandonedPayment.sessionId))).json().outcome).toBe(
      'payment_failed',
    );
    expect((await state(abandoned.orderId)).payment.status).toBe('failed');
  });

  it('late payment with the seats sold meanwhile: refunded in full through Stripe', async () => {
    const event = await createPricedEvent(t);
    await t.deps.database.db
      .updateTable('events')
      .set({ hold_ttl_seconds: 2 })
      .where('id', '=', event.eventId)
      .execute();
    const seatIds = event.seatIds.slice(0, 2);
    const late = await bookOrder(t, buyer, { event, seatIds });
    const latePayment = await startPayment(buyer, late.orderId);
    await new Promise((resolve) => setTimeout(resolve, 3200));
    const rivalOrder = await bookOrder(t, rival, { event, seatIds });
    const rivalPayment = await startPayment(rival, rivalOrder.orderId);
    standIn.pay(rivalPayment.sessionId);
    expect((await webhook(standIn.event('checkout.session.completed', rivalPayment.sessionId))).json().outcome).toBe(
      'confirmed',
    );

    const paid = standIn.pay(latePayment.sessionId);
    expect((await webhook(standIn.event('checkout.session.completed', latePayment.sessionId))).json().outcome).toBe(
      'refunded',
    );
    const s = await state(late.orderId);
    expect(s.order).toEqual({
      status: 'cancelled',
      payment_status: 'refunded',
      refund_status: 'done',
      refunded_amount: late.total,
    });
    expect(s.tickets).toHaveLength(0);
    const stripeRefunds = standIn.refunds.filter((r) => r.payment_intent === paid.payment_intent);
    expect(stripeRefunds).toHaveLength(1);
    expect(stripeRefunds[0]).toMatchObject({ amount: late.total });
  });

  it('refundOrderPayment goes through Stripe, once per key', async () => {
    const order = await bookOrder(t, buyer, { seatCount: 2 });
    const payment = await startPayment(buyer, order.orderId);
    const paid = standIn.pay(payment.sessionId);
    await webhook(standIn.event('checkout.session.completed', payment.sessionId));
    const input = {
      orderId: order.orderId,
      amount: 12_345,
      reason: 'one seat cancelled',
      idempotencyKey: `c:${order.orderId}`,
    };
    const [first, second] = await Promise.all([
      refundOrderPayment(t.deps, null, input),
      refundOrderPayment(t.deps, null, input),
    ]);
    expect(first).toEqual(second);
    expect(first.status).toBe('done');
    const stripeRefunds = standIn.refunds.filter((r) => r.payment_intent === paid.payment_intent);
    expect(stripeRefunds).toHaveLength(1);
    expect(stripeRefunds[0]!.amount).toBe(12_345);
    const s = await state(order.orderId);
    expect(s.order).toMatchObject({
      payment_status: 'partially_refunded',
      refunded_amount: 12_345,
      refund_status: 'done',
    });
    expect(s.payment).toMatchObject({ status: 'partially_refunded', refunded_amount: 12_345 });
  });
});
