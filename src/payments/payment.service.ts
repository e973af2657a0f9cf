import type { Transaction } from 'kysely';
import type { AppDeps } from '../container.js';
import type { Database } from '../db/schema.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { enqueueDomainEvent } from '../jobs/domain-events.js';
import { schedulePaymentReconciliation } from './payment-reconciliation.js';
import { paymentLoggerFor, paymentProviderFor } from './payment-providers.js';
import {
  addRefundToOrder,
  addRefundToPayment,
  AUTO_REFUND_PREFIX,
  committedRefundAmount,
  DUPLICATE_REFUND_PREFIX,
  findPayment,
  findPaymentOfOrder,
  findPendingPaymentOfOrder,
  findRefund,
  findRefundByKey,
  findStalePendingRefunds,
  hasOtherPendingRefunds,
  insertPayment,
  insertRefund,
  lockOrder,
  lockPayment,
  lockRefund,
  markPaymentFailed,
  markRefundDone,
  markRefundFailed,
  saveCheckout,
  setOrderRefundStatus,
  type OrderToPay,
  type PaymentRow,
  type RefundRow,
} from './payment.repository.js';

/** A payment as the API shows it. */
export interface PaymentView {
  paymentId: string;
  orderId: string;
  provider: 'fake' | 'stripe';
  status: PaymentRow['status'];
  amount: number;
  currency: string;
  checkoutUrl: string | null;
  createdAt: string;
}

export function toPaymentView(payment: PaymentRow): PaymentView {
  return {
    paymentId: payment.id,
    orderId: payment.order_id,
    provider: payment.provider,
    status: payment.status,
    amount: payment.amount,
    currency: payment.currency,
    checkoutUrl: payment.checkout_url,
    createdAt: payment.created_at.toISOString(),
  };
}

/** A payment row opened by a request that has not saved its checkout yet; older than this, it was lost. */
const UNSAVED_CHECKOUT_STALE_MS = 60_000;
const UNASSIGNED_PREFIX = 'unassigned:';

/**
 * Starts paying an order: the buyer's own order, awaiting payment and not expired. Returns the payment
 * with the provider's checkout URL; a pending payment of the order with the same provider is returned
 * again rather than opening a second checkout (a buyer who reloads must not be able to pay twice).
 *
 * The provider is called outside any transaction (a Stripe call must not hold a row lock): the payment
 * row is written first with a placeholder provider id, under the order lock, then completed.
 */
export async function startPayment(
  deps: AppDeps,
  input: { userId: string; orderId: string; baseUrl: string; returnPath?: string | undefined },
): Promise<{ payment: PaymentView; created: boolean }> {
  const db = deps.database.db;
  const provider = await paymentProviderFor(deps);
  const now = deps.clock.now();
  type Prepared = { created: false; payment: PaymentRow } | { created: true; paymentId: string; order: OrderToPay };
  const prepared = await db.transaction().execute(async (trx): Promise<Prepared> => {
    const order = await lockOrder(trx, input.orderId);
    if (!order || order.user_id !== input.userId) throw notFound('Order', input.orderId);
    if (order.status === 'expired') {
      throw new AppError('payment.order_expired', `Order ${order.id} expired; book the seats again`);
    }
    if (order.status !== 'pending_payment') {
      throw new AppError('payment.order_not_payable', `Order ${order.id} is ${order.status}, not awaiting payment`, {
        status: order.status,
      });
    }
    if (order.expires_at.getTime() <= now.getTime()) {
      throw new AppError('payment.order_expired', `Order ${order.id} expired; book the seats again`);
    }
    if (order.total === 0) throw new AppError('payment.not_required', `Order ${order.id} has nothing to pay`);
    const existing = await findPendingPaymentOfOrder(trx, order.id, provider.name);
    if (existing && existing.amount === order.total && existing.currency === order.currency) {
      if (existing.checkout_url) return { created: false, payment: existing };
      if (now.getTime() - existing.created_at.getTime() < UNSAVED_CHECKOUT_STALE_MS) {
        throw new AppError('payment.in_progress', 'A payment of this order is being opened; retry in a moment');
      }
    }
    if (existing) await markPaymentFailed(trx, existing.id, now);
    const id = newId('payment');
    await insertPayment(trx, {
      id,
      order_id: order.id,
      provider: provider.name,
      provider_payment_id: `${UNASSIGNED_PREFIX}${id}`,
      amount: order.total,
      currency: order.currency,
    });
    // Should no webhook ever come, the provider is asked once the order's hold has run out.
    await schedulePaymentReconciliation(trx, {
      paymentId: id,
      organizerId: order.organizer_id,
      expiresAt: order.expires_at,
    });
    return { created: true, paymentId: id, order };
  });
  if (!prepared.created) return { payment: toPaymentView(prepared.payment), created: false };

  const { paymentId } = prepared;
  let checkout;
  try {
    checkout = await provider.createCheckout({
      paymentId,
      orderId: prepared.order.id,
      orderCode: prepared.order.code,
      amount: prepared.order.total,
      currency: prepared.order.currency,
      description: `Boxoffice order ${prepared.order.code}`,
      baseUrl: input.baseUrl,
      returnUrl: `${input.baseUrl}${input.returnPath ?? `/pay/return/${encodeURIComponent(paymentId)}`}`,
    });
  } catch (error) {
    await markPaymentFailed(db, paymentId, deps.clock.now());
    throw error;
  }
  const payment = await saveCheckout(db, paymentId, checkout, deps.clock.now());
  if (!payment) throw notFound('Payment', paymentId);
  return { payment: toPaymentView(payment), created: true };
}

/** A payment of the caller's own order (404 for anyone else's). */
export async function getPaymentOfBuyer(deps: AppDeps, userId: string, paymentId: string): Promise<PaymentView> {
  const db = deps.database.db;
  const payment = await findPayment(db, paymentId);
  const order = payment
    ? await db.selectFrom('orders').select('user_id').where('id', '=', payment.order_id).executeTakeFirst()
    : undefined;
  if (!payment || order?.user_id !== userId) throw notFound('Payment', paymentId);
  return toPaymentView(payment);
}

export function isUnassignedProviderId(providerPaymentId: string): boolean {
  return providerPaymentId.startsWith(UNASSIGNED_PREFIX);
}

// ── Refunds ──────────────────────────────────────────────────────────────────────────────────────────

export interface RefundInput {
  orderId: string;
  /** Minor units, at most what is left to refund of the order's payment. */
  amount: number;
  /** Why, in words kept with the refund (shown to staff, mailed to the buyer). */
  reason: string;
  /** The same key always means the same refund: a second call returns the first, never a second refund. */
  idempotencyKey: string;
}

export interface RefundOutcome {
  refundId: string;
  /** done: the provider took it; pending: recorded and on its way; failed: the provider refused it. */
  status: 'done' | 'pending' | 'failed';
}

/**
 * Refunds (part of) the payment of an order through the provider, idempotently by key. Updates the
 * refund row, payments.refunded_amount/status and, on success, orders.refunded_amount, payment_status
 * (partially_refunded / refunded) and refund_status.
 *
 * - With `trx` null it runs on its own: records the refund, calls the provider, records the result, and
 *   answers done or failed (pending only when the provider cannot be reached; it is retried later).
 * - With a transaction (e.g. a cancellation that just cancelled seats under the order lock) it records the
 *   refund in that transaction — so it commits or rolls back with the cancellation — and answers pending;
 *   the provider is called as soon as that transaction has committed (never for a rolled-back one).
 *   `completeRefund(deps, refundId)` after the commit does it at once and returns the final status.
 *
 * Throws AppError refund.amount_invalid (more than is left), refund.not_refundable (nothing was paid),
 * refund.key_reused (the key was used for another order or amount), resource.not_found.
 */
export async function refundOrderPayment(
  deps: AppDeps,
  trx: Transaction<Database> | null,
  input: RefundInput,
): Promise<RefundOutcome> {
  validateRefundInput(input);
  const record = (executor: Transaction<Database>) =>
    recordRefund(executor, deps.clock.now(), { ...input, paymentId: null });
  if (trx) {
    const refund = await record(trx);
    if (refund.status === 'pending') completeAfterCommit(deps, refund.id);
    return { refundId: refund.id, status: refund.status };
  }
  const refund = await deps.database.db.transaction().execute(record);
  if (refund.status !== 'pending') return { refundId: refund.id, status: refund.status };
  return { refundId: refund.id, status: await completeRefund(deps, refund.id) };
}

function validateRefundInput(input: RefundInput): void {
  if (!Number.isInteger(input.amount) || input.amount <= 0) {
    throw new AppError('refund.amount_invalid', 'A refund amount is a positive whole number of minor units', {
      amount: input.amount,
    });
  }
  if (input.idempotencyKey.length === 0 || input.idempotencyKey.length > 255) {
    throw new AppError('request.invalid', 'A refund needs an idempotency key of 1 to 255 characters');
  }
  if (input.reason.trim().length === 0) throw new AppError('request.invalid', 'A refund needs a reason');
}

/**
 * Records a pending refund under the order and payment locks. A refund already recorded under the key is
 * returned as it is. `paymentId` names the payment to refund; null means the payment that paid the order.
 */
export async function recordRefund(
  trx: Transaction<Database>,
  now: Date,
  input: RefundInput & { paymentId: string | null },
): Promise<RefundRow> {
  const order = await lockOrder(trx, input.orderId);
  if (!order) throw notFound('Order', input.orderId);
  // Checked under the order lock, so two calls with one key cannot both pass.
  const previous = await findRefundByKey(trx, input.idempotencyKey);
  if (previous) {
    if (previous.order_id !== input.orderId || previous.amount !== input.amount) {
      throw new AppError('refund.key_reused', 'This idempotency key was used for another refund', {
        refundId: previous.id,
      });
    }
    return previous;
  }
  const candidate = input.paymentId ? { id: input.paymentId } : await findPaymentOfOrder(trx, order.id);
  const payment = candidate ? await lockPayment(trx, candidate.id) : undefined;
  if (!payment || payment.order_id !== order.id || payment.succeeded_at === null) {
    throw new AppError('refund.not_refundable', `Order ${order.id} has no payment to refund`);
  }
  const refundable = payment.amount - (await committedRefundAmount(trx, payment.id));
  if (input.amount > refundable) {
    throw new AppError('refund.amount_invalid', `At most ${refundable} can still be refunded`, {
      amount: input.amount,
      refundable,
    });
  }
  const refund: RefundRow = {
    id: newId('refund'),
    order_id: order.id,
    payment_id: payment.id,
    amount: input.amount,
    status: 'pending',
    reason: input.reason.slice(0, 1000),
    provider_refund_id: null,
    idempotency_key: input.idempotencyKey,
    created_at: now,
    completed_at: null,
  };
  await insertRefund(trx, refund);
  if (!isPaymentOnlyRefund(refund)) await setOrderRefundStatus(trx, order.id, 'pending', now);
  return refund;
}

/** Why a refund happened, from its key: a payment that came too late, a duplicate payment, a cancellation. */
function refundCauseOf(refund: Pick<RefundRow, 'idempotency_key'>): 'auto' | 'duplicate' | 'cancellation' {
  if (refund.idempotency_key.startsWith(AUTO_REFUND_PREFIX)) return 'auto';
  if (refund.idempotency_key.startsWith(DUPLICATE_REFUND_PREFIX)) return 'duplicate';
  return 'cancellation';
}

/** A refund of a duplicate payment gives back money that never counted for the order. */
function isPaymentOnlyRefund(refund: Pick<RefundRow, 'idempotency_key'>): boolean {
  return refund.idempotency_key.startsWith(DUPLICATE_REFUND_PREFIX);
}

/**
 * Sends a recorded refund to the provider and records the answer. Safe to call again and from several
 * processes: the provider refund is idempotent by the refund's key, and the answer is applied once, under
 * the refund row lock. Returns the refund's status afterwards.
 */
export async function completeRefund(deps: AppDeps, refundId: string): Promise<RefundOutcome['status']> {
  const db = deps.database.db;
  const log = paymentLoggerFor(deps);
  const refund = await findRefund(db, refundId);
  if (!refund) throw notFound('Refund', refundId);
  if (refund.status !== 'pending') return refund.status;
  const payment = await findPayment(db, refund.payment_id);
  const provider = await paymentProviderFor(deps);
  if (!payment || payment.provider !== provider.name) {
    log.error({ refundId, provider: payment?.provider }, 'refund left pending: its payment provider is not configured');
    return 'pending';
  }
  let answer: { providerRefundId: string; ok: boolean } | null;
  try {
    const result = await provider.refund(payment.provider_payment_id, refund.amount, refund.idempotency_key);
    // A provider's `pending` refund has been accepted and settles on its own (card refunds take days).
    answer = { providerRefundId: result.providerRefundId, ok: result.status !== 'failed' };
  } catch (error) {
    if (error instanceof AppError && error.code === 'payment.provider_rejected') {
      log.error({ refundId, err: error }, 'the payment provider refused a refund');
      answer = null;
    } else {
      log.warn({ refundId, err: error }, 'refund not sent yet: the payment provider is unavailable; will retry');
      return 'pending';
    }
  }
  return db.transaction().execute(async (trx) => {
    const order = await lockOrder(trx, refund.order_id);
    const locked = await lockRefund(trx, refundId);
    if (!order || !locked || locked.status !== 'pending') return locked?.status ?? 'failed';
    const now = deps.clock.now();
    const orderScope = !isPaymentOnlyRefund(locked);
    if (answer?.ok) {
      await markRefundDone(trx, locked.id, answer.providerRefundId, now);
      await addRefundToPayment(trx, locked.payment_id, locked.amount, now);
      if (orderScope) await addRefundToOrder(trx, locked.order_id, locked.amount, now);
      // The buyer is told the money is back, and why; order.refunded webhooks fire.
      await enqueueDomainEvent(
        trx,
        order.organizer_id,
        {
          type: 'order.refunded',
          orderId: locked.order_id,
          refundId: locked.id,
          amount: locked.amount,
          reason: locked.reason,
          cause: refundCauseOf(locked),
        },
        now,
      );
    } else {
      await markRefundFailed(trx, locked.id, now);
    }
    if (orderScope) {
      const stillPending = await hasOtherPendingRefunds(trx, locked.order_id, locked.id);
      await setOrderRefundStatus(trx, locked.order_id, stillPending ? 'pending' : answer?.ok ? 'done' : 'failed', now);
    }
    return answer?.ok ? 'done' : 'failed';
  });
}

// ── Refunds sent after their transaction commits, and retried when a provider was away ──────────────

interface RefundRunner {
  stopped: boolean;
  timers: Set<NodeJS.Timeout>;
}

const runners = new WeakMap<AppDeps, RefundRunner>();

function runnerFor(deps: AppDeps): RefundRunner {
  let runner = runners.get(deps);
  if (!runner) {
    runner = { stopped: false, timers: new Set() };
    runners.set(deps, runner);
  }
  return runner;
}

/** Stops background refund work for these dependencies (the app is closing). */
export function stopRefundRunner(deps: AppDeps): void {
  const runner = runnerFor(deps);
  runner.stopped = true;
  for (const timer of runner.timers) clearTimeout(timer);
  runner.timers.clear();
}

/** Polls until the caller's transaction made the refund visible, then completes it (gives up after ~1 min). */
const AFTER_COMMIT_DELAYS_MS = [5, 20, 50, 100, 250, 500, 1000, 2000, 4000, 8000, 15_000, 30_000];

function completeAfterCommit(deps: AppDeps, refundId: string, attempt = 0): void {
  const runner = runnerFor(deps);
  const delay = AFTER_COMMIT_DELAYS_MS[attempt];
  if (runner.stopped || delay === undefined) return;
  const timer = setTimeout(() => {
    runner.timers.delete(timer);
    if (runner.stopped) return;
    void (async () => {
      try {
        const refund = await findRefund(deps.database.db, refundId);
        if (!refund) return completeAfterCommit(deps, refundId, attempt + 1);
        if (refund.status === 'pending') await completeRefund(deps, refundId);
      } catch (error) {
        if (!runner.stopped) paymentLoggerFor(deps).warn({ refundId, err: error }, 'refund after commit failed');
      }
    })();
  }, delay);
  timer.unref();
  runner.timers.add(timer);
}

/** Sends refunds still pending a while after they were recorded; returns how many it tried. */
export async function retryPendingRefunds(deps: AppDeps, olderThanMs = 60_000, limit = 50): Promise<number> {
  const ids = await findStalePendingRefunds(
    deps.database.db,
    new Date(deps.clock.now().getTime() - olderThanMs),
    limit,
  );
  for (const id of ids) {
    if (runnerFor(deps).stopped) break;
    await completeRefund(deps, id);
  }
  return ids.length;
}
