import type { IncomingHttpHeaders } from 'node:http';
import { confirmPaidOrder } from '../booking/order-confirmation.service.js';
import type { AppDeps } from '../container.js';
import { AppError } from '../shared/errors.js';
import type { PaymentProvider, ProviderName, WebhookEvent } from './payment-provider.js';
import { paymentLoggerFor, paymentProviderFor } from './payment-providers.js';
import {
  AUTO_REFUND_PREFIX,
  claimConfirmationLease,
  DUPLICATE_REFUND_PREFIX,
  findPayment,
  findPaymentForEvent,
  isEventRecorded,
  lockPayment,
  lockPaymentAndOrderNoWait,
  markPaymentFailed,
  markPaymentSucceeded,
  recordEvent,
  releaseConfirmationLease,
  saveCheckout,
  type PaymentRow,
  type RefundRow,
} from './payment.repository.js';
import { completeRefund, isUnassignedProviderId, recordRefund } from './payment.service.js';

/** What a webhook delivery led to (returned to the provider, and logged). */
export type WebhookOutcome =
  | 'duplicate' // this event was processed before: nothing done
  | 'ignored' // an event type or payment Boxoffice does not act on
  | 'payment_failed' // a pending payment is now failed
  | 'stale' // the payment is already past the state this event moves it from
  | 'rejected' // re-fetching the payment contradicted the event: nothing done
  | 'confirmed' // the order is confirmed and its tickets issued
  | 'already_confirmed' // the order was confirmed before (by an earlier delivery)
  | 'refunded'; // the money came but the order cannot have it: refunded in full

const DUPLICATE_PAYMENT_REASON =
  'The order was already paid by another payment, so this second payment is refunded in full';

/**
 * Handles one webhook delivery. Verified first (a bad signature is 400 and changes nothing), then
 * deduplicated by the provider's event id, then acted on only from the state the event moves the payment
 * from — the order of arrival does not matter:
 *
 * - payment.succeeded: the payment is re-fetched from the provider; unless it is paid, for this amount and
 *   currency, nothing happens. Then, under the order and payment locks taken without waiting (contention →
 *   503 so the provider retries), pending (or failed: a buyer may pay after a decline) becomes succeeded.
 *   A payment that succeeds while another one already paid the order is a duplicate and is refunded in
 *   full. Otherwise confirmPaidOrder issues the tickets — or answers refund_required (the seats went to
 *   someone else after the hold expired, or the order was cancelled), and the payment is refunded in full.
 * - payment.failed: pending becomes failed; a failure after a success is ignored.
 *
 * The event is recorded as processed only once all of that is done, so a delivery that fails half-way is
 * redone in full by the provider's retry; every step is idempotent (the state transition, the
 * confirmation, refunds keyed `auto:<paymentId>` / `duplicate:<paymentId>`).
 */
export async function handleWebhook(
  deps: AppDeps,
  providerName: ProviderName,
  rawBody: Buffer,
  headers: IncomingHttpHeaders,
): Promise<{ outcome: WebhookOutcome; paymentId?: string }> {
  const provider = await paymentProviderFor(deps);
  if (provider.name !== providerName) {
    throw new AppError('resource.not_found', `The ${providerName} payment provider is not enabled`);
  }
  const event = provider.parseWebhook(rawBody, headers);
  const db = deps.database.db;
  // The usual case in one query: the payment, and whether this event was processed before.
  const found =
    event.type !== 'other' && event.providerPaymentId
      ? await findPaymentForEvent(db, provider.name, event.providerPaymentId, event.id)
      : undefined;
  if (found?.event_recorded) return { outcome: 'duplicate' };
  if (!found && (await isEventRecorded(db, provider.name, event.id))) return { outcome: 'duplicate' };

  const payment = found ?? (event.type === 'other' ? undefined : await paymentByReference(deps, provider, event));
  if (!payment) {
    if (event.type !== 'other') {
      paymentLoggerFor(deps).warn({ eventId: event.id, type: event.providerType }, 'webhook for an unknown payment');
    }
    await recordEvent(db, { provider: provider.name, eventId: event.id, paymentId: null, type: event.providerType });
    return { outcome: 'ignored' };
  }
  const { outcome, leaseHeld } =
    event.type === 'payment.succeeded'
      ? await applySucceeded(deps, provider, payment, event)
      : { outcome: await applyFailed(deps, payment), leaseHeld: false };
  try {
    await recordEvent(
      db,
      { provider: provider.name, eventId: event.id, paymentId: payment.id, type: event.providerType },
      { releaseLease: leaseHeld },
    );
  } catch (error) {
    if (leaseHeld) await releaseConfirmationLease(db, payment.id).catch(() => undefined);
    throw error;
  }
  return { outcome, paymentId: payment.id };
}

/**
 * A payment found by the Boxoffice reference the provider echoes (a webhook can beat the saving of the
 * checkout, whose row still has a placeholder provider id), which then completes the row.
 */
async function paymentByReference(
  deps: AppDeps,
  provider: PaymentProvider,
  event: WebhookEvent,
): Promise<PaymentRow | undefined> {
  if (!event.paymentReference || !event.providerPaymentId) return undefined;
  const payment = await findPayment(deps.database.db, event.paymentReference);
  if (!payment || payment.provider !== provider.name || !isUnassignedProviderId(payment.provider_payment_id)) {
    return undefined;
  }
  await saveCheckout(
    deps.database.db,
    payment.id,
    { providerPaymentId: event.providerPaymentId, checkoutUrl: payment.checkout_url ?? '' },
    deps.clock.now(),
  );
  return { ...payment, provider_payment_id: event.providerPaymentId };
}

/** Locks without waiting; a lock held elsewhere becomes 503 (the provider retries the delivery). */
function unavailableOnLockContention(error: unknown): never {
  if ((error as { code?: unknown }).code === '55P03') {
    throw new AppError('service.unavailable', 'This payment is being processed right now; retry shortly');
  }
  throw error;
}

async function applyFailed(deps: AppDeps, payment: PaymentRow): Promise<WebhookOutcome> {
  return deps.database.db
    .transaction()
    .execute(async (trx) => {
      const locked = await lockPayment(trx, payment.id, { noWait: true });
      if (!locked || locked.status !== 'pending') return 'stale' as const;
      await markPaymentFailed(trx, payment.id, deps.clock.now());
      return 'payment_failed' as const;
    })
    .catch(unavailableOnLockContention);
}

/** How long one delivery may spend confirming before another may take over (its process died). */
const CONFIRMATION_LEASE_MS = 60_000;

type Decision =
  | { next: 'stale' }
  | { next: 'already_confirmed' }
  | { next: 'finish_refund'; refundId: string; refundStatus: RefundRow['status'] }
  | { next: 'confirm' };

async function applySucceeded(
  deps: AppDeps,
  provider: PaymentProvider,
  payment: PaymentRow,
  event: WebhookEvent,
): Promise<{ outcome: WebhookOutcome; leaseHeld: boolean }> {
  const log = paymentLoggerFor(deps);
  const db = deps.database.db;
  // Never act on a payload alone: ask the provider (its errors: unreachable → 503, so it retries).
  const remote = await provider.retrievePayment(payment.provider_payment_id);
  if (
    remote.status !== 'succeeded' ||
    remote.amount !== payment.amount ||
    remote.currency.toUpperCase() !== payment.currency.toUpperCase()
  ) {
    log.warn(
      {
        eventId: event.id,
        paymentId: payment.id,
        expected: { amount: payment.amount, currency: payment.currency },
        remote,
      },
      'webhook says paid but the provider disagrees; not confirming',
    );
    return { outcome: 'rejected', leaseHeld: false };
  }

  // One short transaction under the payment and order locks decides what this delivery does.
  const decision = await db
    .transaction()
    .execute(async (trx): Promise<Decision> => {
      const locked = await lockPaymentAndOrderNoWait(trx, payment.id, true);
      if (!locked || locked.payment_status === 'refunded' || locked.payment_status === 'partially_refunded') {
        return { next: 'stale' };
      }
      if (locked.automatic_refund_id) {
        return {
          next: 'finish_refund',
          refundId: locked.automatic_refund_id,
          refundStatus: locked.automatic_refund_status!,
        };
      }
      const now = deps.clock.now();
      if (locked.payment_status !== 'succeeded') {
        await markPaymentSucceeded(trx, payment.id, now);
        if (locked.other_captured) {
          // The order was paid by another payment already (a second tab): give this one back.
          const refund = await recordRefund(trx, now, {
            orderId: payment.order_id,
            paymentId: payment.id,
            amount: payment.amount,
            reason: DUPLICATE_PAYMENT_REASON,
            idempotencyKey: `${DUPLICATE_REFUND_PREFIX}${payment.id}`,
          });
          return { next: 'finish_refund', refundId: refund.id, refundStatus: refund.status };
        }
      } else if (locked.order_status === 'confirmed' || locked.order_confirmed_at !== null) {
        return { next: 'already_confirmed' };
      }
      // Two deliveries of one payment never confirm at once (a re-hold of one would fail the other's).
      if (!(await claimConfirmationLease(trx, payment.id, now, CONFIRMATION_LEASE_MS))) {
        throw new AppError('service.unavailable', 'This payment is being confirmed right now; retry shortly');
      }
      return { next: 'confirm' };
    })
    .catch(unavailableOnLockContention);

  switch (decision.next) {
    case 'stale':
    case 'already_confirmed':
      return { outcome: decision.next, leaseHeld: false };
    case 'finish_refund':
      if (decision.refundStatus === 'pending') await completeRefund(deps, decision.refundId);
      return { outcome: 'refunded', leaseHeld: false };
    case 'confirm':
      try {
        // The lease is released with the event record (one statement), or at once when this throws.
        return { outcome: await confirmAndSettle(deps, payment), leaseHeld: true };
      } catch (error) {
        await releaseConfirmationLease(db, payment.id);
        throw error;
      }
  }
}

/** Confirms the order; when it cannot take the money, refunds the payment in full and says why. */
async function confirmAndSettle(deps: AppDeps, payment: PaymentRow): Promise<WebhookOutcome> {
  const result = await confirmPaidOrder(deps, { orderId: payment.order_id, paymentId: payment.id });
  if (result.outcome !== 'refund_required') return result.outcome;

  const reason = result.reason ?? 'The order could not be confirmed';
  const refund = await deps.database.db.transaction().execute((trx) =>
    recordRefund(trx, deps.clock.now(), {
      orderId: payment.order_id,
      paymentId: payment.id,
      amount: payment.amount,
      reason,
      idempotencyKey: `${AUTO_REFUND_PREFIX}${payment.id}`,
    }),
  );
  const status = refund.status === 'pending' ? await completeRefund(deps, refund.id) : refund.status;
  // The notifications issue mails this to the buyer; until then the log carries it.
  paymentLoggerFor(deps).warn(
    { orderId: payment.order_id, paymentId: payment.id, refundId: refund.id, refundStatus: status, reason },
    'payment refunded in full: the order could not be confirmed',
  );
  return 'refunded';
}

/** What reconciling one payment found. */
export type ReconciliationOutcome = WebhookOutcome | 'still_pending' | 'not_pending';

/**
 * Payment reconciliation (a scheduled job, once the order's hold has run out): asks the provider about a
 * payment Boxoffice still has as pending — in case a webhook never came — and acts exactly as the webhook
 * would have: paid → confirm the order (or refund it in full when the seats are gone); failed → failed.
 */
export async function reconcilePayment(deps: AppDeps, paymentId: string): Promise<ReconciliationOutcome> {
  const payment = await findPayment(deps.database.db, paymentId);
  if (!payment || (payment.status !== 'pending' && payment.status !== 'failed')) return 'not_pending';
  const provider = await paymentProviderFor(deps);
  if (payment.provider !== provider.name || isUnassignedProviderId(payment.provider_payment_id)) return 'not_pending';
  const remote = await provider.retrievePayment(payment.provider_payment_id);
  if (remote.status === 'failed') {
    return payment.status === 'pending' ? applyFailed(deps, payment) : 'not_pending';
  }
  if (remote.status !== 'succeeded') return 'still_pending';
  const event: WebhookEvent = {
    id: `reconcile:${payment.id}`,
    type: 'payment.succeeded',
    providerType: 'reconciliation',
    providerPaymentId: payment.provider_payment_id,
    paymentReference: payment.id,
  };
  const { outcome, leaseHeld } = await applySucceeded(deps, provider, payment, event);
  if (leaseHeld) await releaseConfirmationLease(deps.database.db, payment.id);
  return outcome;
}
