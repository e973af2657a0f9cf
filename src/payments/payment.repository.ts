import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, OrdersTable, PaymentsTable, RefundsTable } from '../db/schema.js';
import type { ProviderName } from './payment-provider.js';

/**
 * All SQL of payments, their provider events and refunds. Functions take the db or a transaction first,
 * so callers show where a transaction starts. Lock order everywhere: order, then payment, then refund.
 */
type Executor = Db | Transaction<Database>;

export type PaymentRow = Selectable<PaymentsTable>;
export type RefundRow = Selectable<RefundsTable>;
export type OrderToPay = Pick<
  Selectable<OrdersTable>,
  | 'id'
  | 'code'
  | 'user_id'
  | 'organizer_id'
  | 'status'
  | 'payment_status'
  | 'total'
  | 'refunded_amount'
  | 'currency'
  | 'expires_at'
>;

const ORDER_COLUMNS = [
  'id',
  'code',
  'user_id',
  'organizer_id',
  'status',
  'payment_status',
  'total',
  'refunded_amount',
  'currency',
  'expires_at',
] as const;

/** Key prefixes of the refunds Boxoffice makes by itself (see refundPaymentInFull). */
export const AUTO_REFUND_PREFIX = 'auto:';
export const DUPLICATE_REFUND_PREFIX = 'duplicate:';

export function findOrderToPay(db: Executor, orderId: string): Promise<OrderToPay | undefined> {
  return db.selectFrom('orders').select(ORDER_COLUMNS).where('id', '=', orderId).executeTakeFirst();
}

/**
 * Locks an order row for this transaction. With noWait a lock held by someone else fails at once with
 * lock_not_available (55P03) — a webhook answers 503 and the provider retries — instead of queueing.
 */
export async function lockOrder(
  trx: Transaction<Database>,
  orderId: string,
  options: { noWait?: boolean } = {},
): Promise<OrderToPay | undefined> {
  const query = trx.selectFrom('orders').select(ORDER_COLUMNS).where('id', '=', orderId).forUpdate();
  return (options.noWait ? query.noWait() : query).executeTakeFirst();
}

/** The order's payment still waiting for the buyer with this provider, if any. */
export function findPendingPaymentOfOrder(
  db: Executor,
  orderId: string,
  provider: ProviderName,
): Promise<PaymentRow | undefined> {
  return db
    .selectFrom('payments')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('provider', '=', provider)
    .where('status', '=', 'pending')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function insertPayment(trx: Transaction<Database>, payment: Insertable<PaymentsTable>): Promise<void> {
  await trx.insertInto('payments').values(payment).execute();
}

export async function saveCheckout(
  db: Executor,
  paymentId: string,
  checkout: { providerPaymentId: string; checkoutUrl: string },
  now: Date,
): Promise<PaymentRow | undefined> {
  return db
    .updateTable('payments')
    .set({ provider_payment_id: checkout.providerPaymentId, checkout_url: checkout.checkoutUrl, updated_at: now })
    .where('id', '=', paymentId)
    .returningAll()
    .executeTakeFirst();
}

export function findPayment(db: Executor, paymentId: string): Promise<PaymentRow | undefined> {
  return db.selectFrom('payments').selectAll().where('id', '=', paymentId).executeTakeFirst();
}

export async function lockPayment(
  trx: Transaction<Database>,
  paymentId: string,
  options: { noWait?: boolean } = {},
): Promise<PaymentRow | undefined> {
  const query = trx.selectFrom('payments').selectAll().where('id', '=', paymentId).forUpdate();
  return (options.noWait ? query.noWait() : query).executeTakeFirst();
}

export async function markPaymentSucceeded(trx: Transaction<Database>, paymentId: string, now: Date): Promise<void> {
  await trx
    .updateTable('payments')
    .set({ status: 'succeeded', succeeded_at: now, updated_at: now })
    .where('id', '=', paymentId)
    .execute();
}

export async function markPaymentFailed(db: Executor, paymentId: string, now: Date): Promise<void> {
  await db
    .updateTable('payments')
    .set({ status: 'failed', updated_at: now })
    .where('id', '=', paymentId)
    .where('status', '=', 'pending')
    .execute();
}

/** A payment by the provider's id, with whether this event of the provider was already processed. */
export async function findPaymentForEvent(
  db: Executor,
  provider: ProviderName,
  providerPaymentId: string,
  eventId: string,
): Promise<(PaymentRow & { event_recorded: boolean }) | undefined> {
  const row = await db
    .selectFrom('payments')
    .selectAll('payments')
    .select(({ exists, selectFrom }) =>
      exists(
        selectFrom('payment_events')
          .select('event_id')
          .where('payment_events.provider', '=', provider)
          .where('payment_events.event_id', '=', eventId),
      ).as('event_recorded'),
    )
    .where('provider', '=', provider)
    .where('provider_payment_id', '=', providerPaymentId)
    .executeTakeFirst();
  return row && { ...row, event_recorded: row.event_recorded === true };
}

/** What a success webhook needs to decide, read under the payment and order row locks. */
export interface PaymentUnderLock {
  payment_status: PaymentRow['status'];
  order_status: OrderToPay['status'];
  order_confirmed_at: Date | null;
  /** Another payment of the order already captured the money (and was not refunded as a duplicate). */
  other_captured: boolean;
  /** A refund Boxoffice decided on its own for this payment (late or duplicate payment), if any. */
  automatic_refund_id: string | null;
  automatic_refund_status: RefundRow['status'] | null;
}

/**
 * Locks a payment and its order in one statement, without waiting: a lock held elsewhere fails at once
 * with lock_not_available (55P03). Not waiting, it cannot take part in a deadlock whatever order others
 * lock these rows in.
 *
 * The transaction it opens commits without waiting for the WAL flush (`relaxedCommit`): what it writes
 * (the payment's success, a duplicate-refund row, the confirmation lease) is redone by the provider's next
 * delivery if a crash loses it, and the durable commit that follows (the order confirmation, or the
 * refund's result) flushes the WAL past it anyway.
 */
export async function lockPaymentAndOrderNoWait(
  trx: Transaction<Database>,
  paymentId: string,
  relaxedCommit: boolean,
): Promise<PaymentUnderLock | undefined> {
  const { rows } = await sql<PaymentUnderLock>`
    SELECT set_config('synchronous_commit', ${relaxedCommit ? 'off' : 'on'}, true) AS commit_mode,
      p.status AS payment_status, o.status AS order_status, o.confirmed_at AS order_confirmed_at,
      EXISTS (
        SELECT 1 FROM payments q
        WHERE q.order_id = p.order_id AND q.id <> p.id AND q.succeeded_at IS NOT NULL
          AND NOT EXISTS (
            SELECT 1 FROM refunds d WHERE d.payment_id = q.id AND d.idempotency_key = ${DUPLICATE_REFUND_PREFIX} || q.id)
      ) AS other_captured,
      a.id AS automatic_refund_id, a.status AS automatic_refund_status
    FROM payments p
    JOIN orders o ON o.id = p.order_id
    LEFT JOIN refunds a
      ON a.idempotency_key IN (${AUTO_REFUND_PREFIX} || p.id, ${DUPLICATE_REFUND_PREFIX} || p.id)
    WHERE p.id = ${paymentId}
    FOR UPDATE OF p, o NOWAIT`.execute(trx);
  return rows[0];
}

const CONFIRMATION_LEASE_SCOPE = 'lease:payment-confirmation';

/**
 * Claims the right to confirm a payment's order for `ttlMs` (a row in idempotency_keys, whose in-flight
 * records are exactly leases): two deliveries of one payment never confirm concurrently, in one process
 * or across several. A lease whose holder died is taken over once it expired. False when it is held.
 */
export async function claimConfirmationLease(
  db: Executor,
  paymentId: string,
  now: Date,
  ttlMs: number,
): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const row = await db
    .insertInto('idempotency_keys')
    .values({
      scope: CONFIRMATION_LEASE_SCOPE,
      key: paymentId,
      request_hash: '',
      status: 'in_flight',
      expires_at: expiresAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'key'])
        .doUpdateSet({ expires_at: expiresAt })
        .where('idempotency_keys.expires_at', '<', now),
    )
    .returning('key')
    .executeTakeFirst();
  return row !== undefined;
}

export async function releaseConfirmationLease(db: Executor, paymentId: string): Promise<void> {
  await db
    .deleteFrom('idempotency_keys')
    .where('scope', '=', CONFIRMATION_LEASE_SCOPE)
    .where('key', '=', paymentId)
    .execute();
}

export async function isEventRecorded(db: Executor, provider: ProviderName, eventId: string): Promise<boolean> {
  const row = await db
    .selectFrom('payment_events')
    .select('event_id')
    .where('provider', '=', provider)
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a processed provider event — a second delivery of it is then a no-op — and, in the same
 * statement, releases this delivery's confirmation lease. Committed without waiting for the WAL flush:
 * losing this record in a crash only means the provider's next delivery is processed again, which every
 * step allows (the state, the confirmation and the refunds are idempotent and durably committed before).
 */
export async function recordEvent(
  db: Executor,
  event: { provider: ProviderName; eventId: string; paymentId: string | null; type: string },
  options: { releaseLease?: boolean } = {},
): Promise<void> {
  await sql`
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)),
    released AS (
      DELETE FROM idempotency_keys
       WHERE ${options.releaseLease === true} AND scope = ${CONFIRMATION_LEASE_SCOPE} AND key = ${event.paymentId}
    )
    INSERT INTO payment_events (provider, event_id, payment_id, type)
    SELECT ${event.provider}, ${event.eventId}, ${event.paymentId}, ${event.type} FROM relaxed
    ON CONFLICT (provider, event_id) DO NOTHING`.execute(db);
}

// ── Refunds ──────────────────────────────────────────────────────────────────────────────────────────

export function findRefund(db: Executor, refundId: string): Promise<RefundRow | undefined> {
  return db.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirst();
}

export function findRefundByKey(db: Executor, idempotencyKey: string): Promise<RefundRow | undefined> {
  return db.selectFrom('refunds').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

export function lockRefund(trx: Transaction<Database>, refundId: string): Promise<RefundRow | undefined> {
  return trx.selectFrom('refunds').selectAll().where('id', '=', refundId).forUpdate().executeTakeFirst();
}

/**
 * The payment that paid for the order: the first captured one that was not itself refunded as a
 * duplicate and still has money left to refund.
 */
export function findPaymentOfOrder(trx: Transaction<Database>, orderId: string): Promise<PaymentRow | undefined> {
  return trx
    .selectFrom('payments as p')
    .selectAll('p')
    .where('p.order_id', '=', orderId)
    .where('p.succeeded_at', 'is not', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('refunds as r')
            .select('r.id')
            .whereRef('r.payment_id', '=', 'p.id')
            .where('r.idempotency_key', '=', sql<string>`${DUPLICATE_REFUND_PREFIX} || p.id`),
        ),
      ),
    )
    .orderBy('p.succeeded_at')
    .orderBy('p.id')
    .executeTakeFirst();
}

/** Money of a payment already refunded or on its way back (pending and done refunds). */
export async function committedRefundAmount(trx: Transaction<Database>, paymentId: string): Promise<number> {
  const row = await trx
    .selectFrom('refunds')
    .select(sql<number>`coalesce(sum(amount), 0)::int`.as('total'))
    .where('payment_id', '=', paymentId)
    .where('status', 'in', ['pending', 'done'])
    .executeTakeFirstOrThrow();
  return row.total;
}

export async function insertRefund(trx: Transaction<Database>, refund: Insertable<RefundsTable>): Promise<void> {
  await trx.insertInto('refunds').values(refund).execute();
}

export async function markRefundDone(
  trx: Transaction<Database>,
  refundId: string,
  providerRefundId: string,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('refunds')
    .set({ status: 'done', provider_refund_id: providerRefundId, completed_at: now })
    .where('id', '=', refundId)
    .execute();
}

export async function markRefundFailed(trx: Transaction<Database>, refundId: string, now: Date): Promise<void> {
  await trx.updateTable('refunds').set({ status: 'failed', completed_at: now }).where('id', '=', refundId).execute();
}

export async function addRefundToPayment(
  trx: Transaction<Database>,
  paymentId: string,
  amount: number,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('payments')
    .set({
      refunded_amount: sql<number>`refunded_amount + ${amount}`,
      status: sql<'refunded' | 'partially_refunded'>`CASE WHEN refunded_amount + ${amount} >= amount
        THEN 'refunded' ELSE 'partially_refunded' END`,
      updated_at: now,
    })
    .where('id', '=', paymentId)
    .execute();
}

export async function addRefundToOrder(
  trx: Transaction<Database>,
  orderId: string,
  amount: number,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('orders')
    .set({
      refunded_amount: sql<number>`refunded_amount + ${amount}`,
      payment_status: sql<'refunded' | 'partially_refunded'>`CASE WHEN refunded_amount + ${amount} >= total
        THEN 'refunded' ELSE 'partially_refunded' END`,
      updated_at: now,
    })
    .where('id', '=', orderId)
    .execute();
}

export async function setOrderRefundStatus(
  trx: Transaction<Database>,
  orderId: string,
  status: 'pending' | 'done' | 'failed',
  now: Date,
): Promise<void> {
  await trx.updateTable('orders').set({ refund_status: status, updated_at: now }).where('id', '=', orderId).execute();
}

/** Whether the order has refunds still on their way, other than this one. */
export async function hasOtherPendingRefunds(
  trx: Transaction<Database>,
  orderId: string,
  refundId: string,
): Promise<boolean> {
  const row = await trx
    .selectFrom('refunds')
    .select('id')
    .where('order_id', '=', orderId)
    .where('id', '<>', refundId)
    .where('status', '=', 'pending')
    .where('idempotency_key', 'not like', `${DUPLICATE_REFUND_PREFIX}%`)
    .executeTakeFirst();
  return row !== undefined;
}

/** Pending refunds created before a time (their first attempt failed, or their process stopped). */
export async function findStalePendingRefunds(db: Executor, createdBefore: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('refunds')
    .select('id')
    .where('status', '=', 'pending')
    .where('created_at', '<', createdBefore)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}
