import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { AppDeps } from '../container.js';
import { handleDomainEvent } from '../notifications/domain-event.handler.js';
import { handleNotification, type NotificationJob } from '../notifications/notification.service.js';
import { handleReminderScan } from '../notifications/reminders.js';
import { expireLapsedOrders } from '../booking/order-expiry.js';
import { handlePaymentReconciliation, type PaymentReconciliationJob } from '../payments/payment-reconciliation.js';
import { retryPendingRefunds } from '../payments/payment.service.js';
import { handleDailySummary } from '../reporting/daily-summary.js';
import { handleWebhookDelivery, type WebhookDeliveryJob } from '../webhooks/webhook-delivery.js';
import type { DomainEvent } from './domain-events.js';
import { enqueueJob, QUEUES, type QueueName } from './job-queue.js';

export interface JobLogger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

/** What a handler learns about the attempt it runs. */
export interface JobAttempt {
  /** The last try: a failure now sends the job to its dead-letter queue. */
  finalAttempt: boolean;
}

type Handler = (deps: AppDeps, data: never, attempt: JobAttempt) => Promise<unknown>;

/** Every queue's handler (`handle<Thing>`). All are idempotent: a job may run more than once. */
const HANDLERS: Record<QueueName, Handler> = {
  [QUEUES.domainEvents]: (deps, data: DomainEvent) => handleDomainEvent(deps, data),
  [QUEUES.email]: (deps, data: NotificationJob, attempt) => handleNotification(deps, data, attempt),
  [QUEUES.sms]: (deps, data: NotificationJob, attempt) => handleNotification(deps, data, attempt),
  [QUEUES.webhook]: (deps, data: WebhookDeliveryJob, attempt) => handleWebhookDelivery(deps, data, attempt),
  [QUEUES.paymentReconcile]: (deps, data: PaymentReconciliationJob) => handlePaymentReconciliation(deps, data),
  [QUEUES.holdSweep]: async (deps) => {
    // Tidying only: availability already ignores expired holds.
    const swept = await deps.holdStore.sweepExpired();
    deps.metrics.holdsExpired.inc(swept);
    return { swept };
  },
  [QUEUES.refundRetry]: async (deps) => ({ tried: await retryPendingRefunds(deps) }),
  [QUEUES.reminders]: async (deps) => ({ requested: await handleReminderScan(deps) }),
  [QUEUES.dailySummary]: async (deps) => ({ requested: await handleDailySummary(deps) }),
  [QUEUES.orderExpiry]: async (deps) => ({ expired: await expireLapsedOrders(deps) }),
};

/** Scheduled work with pg-boss cron (UTC): one job per minute slot however many workers run. */
const SCHEDULES: { queue: QueueName; cron: string }[] = [
  { queue: QUEUES.refundRetry, cron: '* * * * *' },
  { queue: QUEUES.orderExpiry, cron: '* * * * *' },
  { queue: QUEUES.reminders, cron: '*/10 * * * *' },
  // Hourly: each organizer's summary goes out at DAILY_SUMMARY_HOUR in its own time zone.
  { queue: QUEUES.dailySummary, cron: '2 * * * *' },
];

/**
 * pg-boss's connection for workers, cron and maintenance. pg-boss does not await some of its own
 * bookkeeping (completing a job after its handler returned), so a failed statement must not become an
 * unhandled rejection: it is logged and answered with no rows. The job then stays active, expires and is
 * retried — at least once, which idempotent handlers make harmless.
 */
function workerDb(pool: pg.Pool, log: JobLogger): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      try {
        return await pool.query(text, values);
      } catch (error) {
        log.warn({ err: error }, 'job queue statement failed');
        return { rows: [] };
      }
    },
  };
}

/** A running set of job workers: one per queue, plus the cron and the hold-sweep ticker. */
export interface JobRunner {
  /** Stops fetching, waits for running jobs (up to `timeoutMs`), then returns. */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Starts working every queue in this process (`boxoffice worker`, or `serve` with JOBS_IN_PROCESS). Many
 * runners may work one database: pg-boss hands each job to one of them (SKIP LOCKED), schedules fire once
 * per slot, and the hold sweep is enqueued once per SWEEP_INTERVAL_SECONDS slot whoever enqueues it.
 */
export async function startJobRunner(deps: AppDeps, log: JobLogger): Promise<JobRunner> {
  const { config, metrics } = deps;
  const pollingIntervalSeconds = config.jobsPollIntervalMs / 1000;
  const boss = new PgBoss({
    db: workerDb(deps.database.pool, log),
    migrate: false,
    supervise: true,
    schedule: true,
    pollingIntervalSeconds,
    maintenanceIntervalSeconds: 60,
  });
  boss.on('error', (error) => log.warn({ err: error }, 'job queue error'));
  await boss.start();

  for (const [queue, handler] of Object.entries(HANDLERS) as [QueueName, Handler][]) {
    await boss.work<object>(queue, { includeMetadata: true, batchSize: 1, pollingIntervalSeconds }, async ([job]) => {
      if (!job) return;
      const finalAttempt = job.retryCount >= job.retryLimit;
      try {
        const result = await handler(deps, job.data as never, { finalAttempt });
        metrics.jobsCompleted.inc({ queue });
        return result;
      } catch (error) {
        metrics.jobsFailed.inc({ queue });
        if (finalAttempt) metrics.jobsDeadLettered.inc({ queue });
        log.warn(
          { err: error, queue, jobId: job.id, attempt: job.retryCount + 1, of: job.retryLimit + 1 },
          finalAttempt ? 'job failed for the last time: moved to the dead-letter queue' : 'job failed; will retry',
        );
        throw error;
      }
    });
  }
  for (const { queue, cron } of SCHEDULES) await boss.schedule(queue, cron);

  const sweepSeconds = config.sweepIntervalSeconds;
  const sweep = () =>
    enqueueJob(deps.database.db, QUEUES.holdSweep, {}, { singletonKey: 'sweep', singletonSeconds: sweepSeconds }).catch(
      (error: unknown) => log.warn({ err: error }, 'could not enqueue the hold sweep'),
    );
  const ticker = setInterval(() => void sweep(), sweepSeconds * 1000);
  ticker.unref();

  let stopped = false;
  return {
    stop: async (timeoutMs = 15_000) => {
      if (stopped) return;
      stopped = true;
      clearInterval(ticker);
      await boss.stop({ graceful: true, close: false, timeout: timeoutMs, wait: true });
    },
  };
}
