import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { CancellationCodesTable, Database, InventoryKind, OrdersTable } from '../db/schema.js';

/** All SQL of cancellations: order locks, lines with their tickets, un-selling seats, one-time codes. */
type Executor = Db | Transaction<Database>;

export type CancellableOrderRow = Selectable<OrdersTable>;
export type CancellationCodeRow = Selectable<CancellationCodesTable>;

export function findOrderById(db: Executor, orderId: string): Promise<CancellableOrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
}

/**
 * Locks an order row until the transaction ends, waiting for another holder (lock_timeout bounds the
 * wait on PostgreSQL). Two cancellations of one order therefore run one after the other, and the second
 * sees what the first changed.
 */
export function lockOrderForCancellation(
  trx: Transaction<Database>,
  orderId: string,
): Promise<CancellableOrderRow | undefined> {
  return trx.selectFrom('orders').selectAll().where('id', '=', orderId).forUpdate().executeTakeFirst();
}

/** An order line with what cancelling it needs to know: its ticket's state. */
export interface LineForCancellation {
  id: string;
  label: string;
  category: string;
  seat_id: string | null;
  area_id: string | null;
  total: number;
  refunded_amount: number;
  status: 'active' | 'cancelled';
  ticket_id: string | null;
  checked_in_at: Date | null;
}

export function findLinesForCancellation(db: Executor, orderId: string): Promise<LineForCancellation[]> {
  return db
    .selectFrom('order_lines')
    .leftJoin('tickets', 'tickets.order_line_id', 'order_lines.id')
    .select([
      'order_lines.id',
      'order_lines.label',
      'order_lines.category',
      'order_lines.seat_id',
      'order_lines.area_id',
      'order_lines.total',
      'order_lines.refunded_amount',
      'order_lines.status',
      'tickets.id as ticket_id',
      'tickets.checked_in_at',
    ])
    .where('order_lines.order_id', '=', orderId)
    .orderBy('order_lines.label')
    .orderBy('order_lines.id')
    .execute();
}

/** When the sale starts: the event's start, or the departure from the order's boarding stop. */
export interface SaleStart {
  startsAt: Date;
  eventId: string | null;
  routeId: string | null;
}

export async function findSaleStart(
  db: Executor,
  order: { inventory_kind: InventoryKind; inventory_id: string; from_index: number },
): Promise<SaleStart | undefined> {
  if (order.inventory_kind === 'event') {
    const event = await db
      .selectFrom('events')
      .select(['id', 'starts_at'])
      .where('id', '=', order.inventory_id)
      .executeTakeFirst();
    return event && { startsAt: event.starts_at, eventId: event.id, routeId: null };
  }
  const trip = await db
    .selectFrom('trips')
    .innerJoin('trip_stops', 'trip_stops.trip_id', 'trips.id')
    .select(['trips.route_id', 'trip_stops.departs_at'])
    .where('trips.id', '=', order.inventory_id)
    .where('trip_stops.stop_index', '=', order.from_index)
    .executeTakeFirst();
  return trip && { startsAt: trip.departs_at, eventId: null, routeId: trip.route_id };
}

/** Cancels lines, keeping per line what is refunded for it. */
export async function markLinesCancelled(
  trx: Transaction<Database>,
  lines: readonly { id: string; refund: number }[],
  now: Date,
): Promise<void> {
  for (const line of lines) {
    await trx
      .updateTable('order_lines')
      .set((eb) => ({
        status: 'cancelled',
        cancelled_at: now,
        refunded_amount: eb('refunded_amount', '+', line.refund),
      }))
      .where('id', '=', line.id)
      .where('status', '=', 'active')
      .execute();
  }
}

export async function markTicketsCancelled(trx: Transaction<Database>, lineIds: readonly string[]): Promise<void> {
  if (lineIds.length === 0) return;
  await trx.updateTable('tickets').set({ status: 'cancelled' }).where('order_line_id', 'in', lineIds).execute();
}

/**
 * Un-sells the seats of these lines: their confirmed seat_sales rows become cancelled, which takes them
 * out of the partial unique index and the exclusion constraint, so the seat-legs can be sold again at once.
 */
export async function cancelSeatSalesOfLines(
  trx: Transaction<Database>,
  orderId: string,
  lineIds: readonly string[],
): Promise<number> {
  if (lineIds.length === 0) return 0;
  const result = await trx
    .updateTable('seat_sales')
    .set({ status: 'cancelled' })
    .where('order_id', '=', orderId)
    .where('order_line_id', 'in', lineIds)
    .where('status', '=', 'confirmed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Gives sold general-admission units back to an area. */
export async function subtractGaSold(
  trx: Transaction<Database>,
  inventoryId: string,
  areaId: string,
  quantity: number,
): Promise<void> {
  await trx
    .updateTable('ga_inventory')
    .set({ sold: sql`greatest(sold - ${quantity}, 0)` })
    .where('inventory_id', '=', inventoryId)
    .where('area_id', '=', areaId)
    .execute();
}

export async function markOrderCancelled(trx: Transaction<Database>, orderId: string, now: Date): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
    .where('id', '=', orderId)
    .execute();
}

export async function touchOrder(trx: Transaction<Database>, orderId: string, now: Date): Promise<void> {
  await trx.updateTable('orders').set({ updated_at: now }).where('id', '=', orderId).execute();
}

// ── One-time cancellation codes ──────────────────────────────────────────────────────────────────────

export async function insertCancellationCode(
  db: Executor,
  code: { id: string; orderId: string; userId: string; codeHash: string; lineIds: string[]; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('cancellation_codes')
    .values({
      id: code.id,
      order_id: code.orderId,
      user_id: code.userId,
      code_hash: code.codeHash,
      line_ids: code.lineIds,
      expires_at: code.expiresAt,
    })
    .execute();
}

export async function countCodesSince(db: Executor, orderId: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('cancellation_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('order_id', '=', orderId)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The newest code issued for an order to this user, locked: only the newest one is ever accepted. */
export function lockLatestCancellationCode(
  trx: Transaction<Database>,
  orderId: string,
  userId: string,
): Promise<CancellationCodeRow | undefined> {
  return trx
    .selectFrom('cancellation_codes')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

export async function addCodeAttempt(trx: Transaction<Database>, codeId: string): Promise<void> {
  await trx
    .updateTable('cancellation_codes')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', codeId)
    .execute();
}

export async function markCodeUsed(trx: Transaction<Database>, codeId: string, now: Date): Promise<void> {
  await trx.updateTable('cancellation_codes').set({ used_at: now }).where('id', '=', codeId).execute();
}

// ── Organizer cancellation of a whole event or trip ──────────────────────────────────────────────────

export function lockEventForCancellation(trx: Transaction<Database>, eventId: string) {
  return trx
    .selectFrom('events')
    .select(['id', 'organizer_id', 'status'])
    .where('id', '=', eventId)
    .forUpdate()
    .executeTakeFirst();
}

export function lockTripForCancellation(trx: Transaction<Database>, tripId: string) {
  return trx
    .selectFrom('trips')
    .select(['id', 'organizer_id', 'status'])
    .where('id', '=', tripId)
    .forUpdate()
    .executeTakeFirst();
}

export async function setEventCancelled(trx: Transaction<Database>, eventId: string, now: Date): Promise<void> {
  await trx.updateTable('events').set({ status: 'cancelled', updated_at: now }).where('id', '=', eventId).execute();
}

export async function setTripCancelled(trx: Transaction<Database>, tripId: string, now: Date): Promise<void> {
  await trx.updateTable('trips').set({ status: 'cancelled', updated_at: now }).where('id', '=', tripId).execute();
}

/** Orders of an inventory still open (confirmed, or waiting for payment), after a cursor, by id. */
export async function findOpenOrderIds(
  db: Executor,
  inventoryId: string,
  afterId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .select('id')
    .where('inventory_id', '=', inventoryId)
    .where('status', 'in', ['confirmed', 'pending_payment'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Gives back the fees kept when lines of an order were cancelled earlier (the organizer cancelled the
 * whole event or trip: everything paid comes back). Returns the amount added to those lines' refunds.
 */
export async function refundKeptFees(trx: Transaction<Database>, orderId: string): Promise<number> {
  const row = await trx
    .selectFrom('order_lines')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>(sql<number>`total - refunded_amount`), sql<number>`0`).as('kept'))
    .where('order_id', '=', orderId)
    .where('status', '=', 'cancelled')
    .executeTakeFirstOrThrow();
  const kept = Number(row.kept);
  if (kept > 0) {
    await trx
      .updateTable('order_lines')
      .set((eb) => ({ refunded_amount: eb.ref('total') }))
      .where('order_id', '=', orderId)
      .where('status', '=', 'cancelled')
      .execute();
  }
  return kept;
}
