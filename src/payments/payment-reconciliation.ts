import type { Transaction } from 'kysely';
import type { AppDeps } from '../container.js';
import type { Database } from '../db/schema.js';
import { enqueueJob, QUEUES } from '../jobs/job-queue.js';
import { paymentLoggerFor } from './payment-providers.js';
import { reconcilePayment, type ReconciliationOutcome } from './payment-webhook.service.js';

/** The job of one payment's reconciliation. */
export interface PaymentReconciliationJob {
  paymentId: string;
  organizerId: string;
  /** 0 for the first check; each later one waits longer. */
  check: number;
}

/**
 * When to ask the provider, counted from the order's expiry: soon after (a webhook lost on the way), then
 * less and less often for buyers who pay late on the provider's page (Stripe keeps a checkout open 24 h).
 */
const CHECK_DELAYS_MS = [2 * 60_000, 15 * 60_000, 60 * 60_000, 6 * 3_600_000, 25 * 3_600_000];

/** Schedules the first reconciliation of a new payment, in the transaction that records it. */
export async function schedulePaymentReconciliation(
  trx: Transaction<Database>,
  input: { paymentId: string; organizerId: string; expiresAt: Date },
): Promise<void> {
  const job: PaymentReconciliationJob = { paymentId: input.paymentId, organizerId: input.organizerId, check: 0 };
  await enqueueJob(trx, QUEUES.paymentReconcile, job, {
    startAfter: new Date(input.expiresAt.getTime() + CHECK_DELAYS_MS[0]!),
  });
}

/**
 * Reconciles one payment (the job of QUEUES.paymentReconcile): paid at the provider → confirmed or
 * refunded as a webhook would have done; failed → failed; still open → asked again later, up to the last
 * check. A provider that cannot be reached throws, so the job retries with backoff.
 */
export async function handlePaymentReconciliation(
  deps: AppDeps,
  job: PaymentReconciliationJob,
): Promise<ReconciliationOutcome> {
  const outcome = await reconcilePayment(deps, job.paymentId);
  if (outcome === 'still_pending') {
    const nextDelay = CHECK_DELAYS_MS[job.check + 1];
    if (nextDelay !== undefined) {
      const order = await deps.database.db
        .selectFrom('payments')
        .innerJoin('orders', 'orders.id', 'payments.order_id')
        .select('orders.expires_at')
        .where('payments.id', '=', job.paymentId)
        .executeTakeFirst();
      const from = order?.expires_at ?? deps.clock.now();
      await enqueueJob(
        deps.database.db,
        QUEUES.paymentReconcile,
        { ...job, check: job.check + 1 },
        { startAfter: new Date(Math.max(from.getTime() + nextDelay, deps.clock.now().getTime() + 60_000)) },
      );
    }
  } else if (outcome !== 'not_pending' && outcome !== 'duplicate' && outcome !== 'ignored') {
    paymentLoggerFor(deps).info({ paymentId: job.paymentId, outcome }, 'payment reconciled with its provider');
  }
  return outcome;
}
