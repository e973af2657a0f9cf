import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakePaymentProvider } from '../../src/payments/payment-provider.fake.js';
import { paymentProviderFor } from '../../src/payments/payment-providers.js';
import { completeRefund, refundOrderPayment } from '../../src/payments/payment.service.js';
import { AppError } from '../../src/shared/errors.js';
import { newId } from '../../src/shared/ids.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { createPendingOrder, TEST_GATEWAY_SECRET } from '../support/payments.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/** An order with a captured fake-gateway payment, written directly (this file is about refunds). */
async function paidOrder(t: TestApp, user: TestUser) {
  const order = await createPendingOrder(t, user);
  const provider = (await paymentProviderFor(t.deps)) as FakePaymentProvider;
  const paymentId = newId('payment');
  const checkout = await provider.createCheckout({
    paymentId,
    orderId: order.orderId,
    orderCode: 'TEST',
    amount: order.total,
    currency: 'BDT',
    description: 'test',
    baseUrl: 'http://localhost',
    returnUrl: `http://localhost/pay/return/${paymentId}`,
  });
  await provider.settleCharge(checkout.providerPaymentId, 'pay');
  const db = t.deps.database.db;
  await db
    .insertInto('payments')
    .values({
      id: paymentId,
      order_id: order.orderId,
      provider: 'fake',
      provider_payment_id: checkout.providerPaymentId,
      amount: order.total,
      currency: 'BDT',
      status: 'succeeded',
      succeeded_at: new Date(),
    })
    .execute();
  await db
    .updateTable('orders')
    .set({ status: 'confirmed', payment_status: 'paid' })
    .where('id', '=', order.orderId)
    .execute();
  return { ...order, paymentId, chargeId: checkout.providerPaymentId };
}

async function state(t: TestApp, orderId: string) {
  const db = t.deps.database.db;
  const order = await db
    .selectFrom('orders')
    .select(['refunded_amount', 'payment_status', 'refund_status'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow();
  const { id: paymentId, ...payment } = await db
    .selectFrom('payments')
    .select(['id', 'refunded_amount', 'status'])
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
  const refunds = await db.selectFrom('refunds').selectAll().where('order_id', '=', orderId).execute();
  const gatewayRefunds = await db
    .selectFrom('fake_gateway_refunds')
    .innerJoin('fake_gateway_charges', 'fake_gateway_charges.id', 'fake_gateway_refunds.charge_id')
    .select(['fake_gateway_refunds.amount'])
    .where('fake_gateway_charges.reference', '=', paymentId)
    .execute();
  return { order, payment, refunds, gatewayRefunds };
}

describe(`refundOrderPayment (${databaseKind})`, () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await createTestApp({ env: { FAKE_GATEWAY_SECRET: TEST_GATEWAY_SECRET } });
    user = await createTestUser(t);
  });
  afterAll(async () => t?.close());

  it('refunds part, then the rest, and reports the order partially refunded then refunded', async () => {
    const order = await paidOrder(t, user);
    const first = await refundOrderPayment(t.deps, null, {
      orderId: order.orderId,
      amount: 30_000,
      reason: 'one seat cancelled',
      idempotencyKey: `cancel:${order.orderId}:1`,
    });
    expect(first.status).toBe('done');
    let s = await state(t, order.orderId);
    expect(s.order).toEqual({ refunded_amount: 30_000, payment_status: 'partially_refunded', refund_status: 'done' });
    expect(s.payment).toEqual({ refunded_amount: 30_000, status: 'partially_refunded' });

    const second = await refundOrderPayment(t.deps, null, {
      orderId: order.orderId,
      amount: 70_000,
      reason: 'rest cancelled',
      idempotencyKey: `cancel:${order.orderId}:2`,
    });
    expect(second.status).toBe('done');
    s = await state(t, order.orderId);
    expect(s.order).toEqual({ refunded_amount: 100_000, payment_status: 'refunded', refund_status: 'done' });
    expect(s.payment).toEqual({ refunded_amount: 100_000, status: 'refunded' });
    expect(s.gatewayRefunds.map((r) => r.amount).sort()).toEqual([30_000, 70_000]);
  });

  it('returns the same refund for the same key, even when called concurrently', async () => {
    const order = await paidOrder(t, user);
    const input = { orderId: order.orderId, amount: 40_000, reason: 'cancelled', idempotencyKey: `k:${order.orderId}` };
    const results = await Promise.all(Array.from({ length: 8 }, () => refundOrderPayment(t.deps, null, input)));
    expect(new Set(results.map((r) => r.refundId)).size).toBe(1);
    const s = await state(t, order.orderId);
    expect(s.refunds).toHaveLength(1);
    expect(s.gatewayRefunds).toHaveLength(1);
    expect(s.order.refunded_amount).toBe(40_000);
  });

  it('refuses more than is left, a reused key with another amount, and an unpaid order', async () => {
    const order = await paidOrder(t, user);
    await expect(
      refundOrderPayment(t.deps, null, { orderId: order.orderId, amount: 100_001, reason: 'x', idempotencyKey: 'a1' }),
    ).rejects.toMatchObject({ code: 'refund.amount_invalid' });
    await refundOrderPayment(t.deps, null, {
      orderId: order.orderId,
      amount: 10_000,
      reason: 'x',
      idempotencyKey: `b:${order.orderId}`,
    });
    await expect(
      refundOrderPayment(t.deps, null, {
        orderId: order.orderId,
        amount: 20_000,
        reason: 'x',
        idempotencyKey: `b:${order.orderId}`,
      }),
    ).rejects.toMatchObject({ code: 'refund.key_reused' });
    const unpaid = await createPendingOrder(t, user);
    const error = await refundOrderPayment(t.deps, null, {
      orderId: unpaid.orderId,
      amount: 1,
      reason: 'x',
      idempotencyKey: `c:${unpaid.orderId}`,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('refund.not_refundable');
  });

  it('inside a caller transaction: recorded with it, sent to the provider after it commits', async () => {
    const order = await paidOrder(t, user);
    const db = t.deps.database.db;
    const outcome = await db.transaction().execute(async (trx) => {
      await trx.updateTable('orders').set({ status: 'cancelled' }).where('id', '=', order.orderId).execute();
      return refundOrderPayment(t.deps, trx, {
        orderId: order.orderId,
        amount: order.total,
        reason: 'order cancelled',
        idempotencyKey: `trx:${order.orderId}`,
      });
    });
    expect(outcome.status).toBe('pending');
    await expect.poll(async () => (await state(t, order.orderId)).order.refund_status).toBe('done');
    const s = await state(t, order.orderId);
    expect(s.order.payment_status).toBe('refunded');
    expect(s.gatewayRefunds).toHaveLength(1);
    // Completing it again changes nothing.
    expect(await completeRefund(t.deps, outcome.refundId)).toBe('done');
    expect((await state(t, order.orderId)).gatewayRefunds).toHaveLength(1);
  });

  it('a rolled-back caller transaction leaves no refund and sends nothing', async () => {
    const order = await paidOrder(t, user);
    const db = t.deps.database.db;
    await expect(
      db.transaction().execute(async (trx) => {
        await refundOrderPayment(t.deps, trx, {
          orderId: order.orderId,
          amount: 5_000,
          reason: 'x',
          idempotencyKey: `rb:${order.orderId}`,
        });
        throw new Error('cancellation failed later');
      }),
    ).rejects.toThrow('cancellation failed later');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const s = await state(t, order.orderId);
    expect(s.refunds).toHaveLength(0);
    expect(s.gatewayRefunds).toHaveLength(0);
    expect(s.order).toEqual({ refunded_amount: 0, payment_status: 'paid', refund_status: 'none' });
  });
});
