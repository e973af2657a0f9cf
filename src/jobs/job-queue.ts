import { CompiledQuery, type Transaction } from 'kysely';
import PgBoss from 'pg-boss';
import type pg from 'pg';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import type { Database } from '../db/schema.js';

/**
 * The job queue: pg-boss 10 in the application's own database (schema `pgboss`), reached through the one
 * pg.Pool the app already has — PGlite included, where that pool has a single connection. A job is a row
 * in that database, so enqueueing inside a Kysely transaction makes the job commit or roll back with the
 * state change that caused it (ADR 0015).
 */

/** Every queue Boxoffice uses. Names are stable: they are stored in the database with each job. */
export const QUEUES = {
  /** A state change (order confirmed, trip delayed…) fanned out to notifications and webhooks. */
  domainEvents: 'domain-events',
  email: 'notify-email',
  sms: 'notify-sms',
  webhook: 'webhook-delivery',
  /** One payment whose order's hold has run out: ask the provider, then confirm or refund. */
  paymentReconcile: 'payments-reconcile',
  holdSweep: 'holds-sweep',
  refundRetry: 'refunds-retry',
  reminders: 'reminders-scan',
  dailySummary: 'daily-summary',
  /** Orders whose time to pay ran out: marked expired, their coupon use returned. */
  orderExpiry: 'orders-expire',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** How a queue retries; periodic queues have no dead-letter queue (their next run comes anyway). */
export interface QueuePolicy {
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
  /** A handler running longer than this is failed (and retried): a hung SMTP or HTTP call cannot stall it. */
  expireInSeconds: number;
  deadLetter: boolean;
}

export function queuePolicies(config: Config): Record<QueueName, QueuePolicy> {
  const retrying = (retryLimit: number, expireInSeconds: number): QueuePolicy => ({
    retryLimit,
    retryDelay: config.jobsRetryDelaySeconds,
    retryBackoff: true,
    expireInSeconds,
    deadLetter: true,
  });
  const periodic: QueuePolicy = {
    retryLimit: 0,
    retryDelay: 0,
    retryBackoff: false,
    expireInSeconds: 300,
    deadLetter: false,
  };
  return {
    [QUEUES.domainEvents]: retrying(config.jobsRetryLimit, 120),
    [QUEUES.email]: retrying(config.jobsRetryLimit, 120),
    [QUEUES.sms]: retrying(config.jobsRetryLimit, 60),
    [QUEUES.webhook]: retrying(config.webhookRetryLimit, 60),
    [QUEUES.paymentReconcile]: retrying(config.jobsRetryLimit, 120),
    [QUEUES.holdSweep]: periodic,
    [QUEUES.refundRetry]: periodic,
    [QUEUES.reminders]: periodic,
    [QUEUES.dailySummary]: periodic,
    [QUEUES.orderExpiry]: periodic,
  };
}

/** The dead-letter queue of a queue: where its jobs go after their last retry failed. */
export function deadLetterQueueOf(queue: QueueName): string {
  return `${queue}-dead`;
}

export const DEAD_LETTER_SUFFIX = '-dead';

type Executor = Db | Transaction<Database>;

/** pg-boss's database interface over a Kysely executor: the pool, or one open transaction. */
export function pgBossDbOf(executor: Executor): PgBoss.Db {
  return {
    executeSql: async (text, values) => {
      const result = await executor.executeQuery(CompiledQuery.raw(text, values ?? []));
      return { rows: result.rows as unknown[] as Record<string, unknown>[] };
    },
  };
}

/** pg-boss's database interface over the pool itself (multi-statement maintenance SQL needs a plain query). */
export function pgBossDbOfPool(pool: pg.Pool): PgBoss.Db {
  return { executeSql: (text, values) => pool.query(text, values) };
}

// Sending needs only pg-boss's SQL and the connection given with each call; this instance never opens
// one of its own, so enqueueing needs no handle passed around — just the transaction.
let sender: PgBoss | undefined;
function senderBoss(): PgBoss {
  sender ??= new PgBoss({
    db: {
      executeSql: () => Promise.reject(new Error('pg-boss sender is used only with an explicit db')),
    },
    supervise: false,
    schedule: false,
    migrate: false,
  });
  return sender;
}

export interface EnqueueOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /** A job id (uuid): a second job with the same id is not created while the first exists. */
  id?: string;
  /** With singletonSeconds: at most one job per key and time slot (periodic jobs from many processes). */
  singletonKey?: string;
  singletonSeconds?: number;
}

/**
 * Puts a job on a queue through `executor` — inside a transaction, the job exists only if that
 * transaction commits. Retries, backoff and dead-lettering come from the queue (queuePolicies).
 * Returns the job id, or null when an identical job (same id or singleton slot) already exists.
 */
export async function enqueueJob(
  executor: Executor,
  queue: QueueName,
  data: object,
  options: EnqueueOptions = {},
): Promise<string | null> {
  return senderBoss().send(queue, data, {
    db: pgBossDbOf(executor),
    ...(options.startAfter ? { startAfter: options.startAfter } : {}),
    ...(options.id ? { id: options.id } : {}),
    ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    ...(options.singletonSeconds ? { singletonSeconds: options.singletonSeconds } : {}),
  });
}

/** Deletes a job of a queue through `executor` (a dead-letter entry that was retried). */
export async function deleteJob(executor: Executor, queue: string, id: string): Promise<void> {
  await senderBoss().deleteJob(queue, id, { db: pgBossDbOf(executor) });
}

/**
 * Installs or migrates pg-boss's schema and creates the queues (with their dead-letter queues), or updates
 * their retry settings when the configuration changed. Safe to run from many processes at once: pg-boss
 * takes an advisory lock, and creating a queue that exists does nothing.
 */
export async function installJobQueues(pool: pg.Pool, config: Config): Promise<void> {
  const boss = new PgBoss({ db: pgBossDbOfPool(pool), supervise: false, schedule: false, migrate: true });
  await boss.start();
  try {
    const existing = new Map((await boss.getQueues()).map((queue) => [queue.name, queue]));
    for (const [name, policy] of Object.entries(queuePolicies(config)) as [QueueName, QueuePolicy][]) {
      const deadLetter = policy.deadLetter ? deadLetterQueueOf(name) : undefined;
      if (deadLetter && !existing.has(deadLetter)) {
        // Nobody works a dead-letter queue: its jobs wait there for staff to look at and retry.
        await boss.createQueue(deadLetter, { name: deadLetter, retentionMinutes: 60 * 24 * 30 });
      }
      const options = {
        name,
        retryLimit: policy.retryLimit,
        retryDelay: policy.retryDelay,
        retryBackoff: policy.retryBackoff,
        expireInSeconds: policy.expireInSeconds,
        ...(deadLetter ? { deadLetter } : {}),
      };
      const current = existing.get(name);
      if (!current) {
        await boss.createQueue(name, options);
      } else if (
        current.retryLimit !== policy.retryLimit ||
        current.retryDelay !== policy.retryDelay ||
        current.retryBackoff !== policy.retryBackoff ||
        current.expireInSeconds !== policy.expireInSeconds ||
        (deadLetter !== undefined && current.deadLetter !== deadLetter)
      ) {
        await boss.updateQueue(name, options);
      }
    }
  } finally {
    await boss.stop({ graceful: false, close: false });
  }
}
