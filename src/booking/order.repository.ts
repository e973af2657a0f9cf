import { sql, type Insertable, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, OrderLinesTable, OrdersTable, TicketsTable } from '../db/schema.js';
import type { InventoryRef } from '../inventory/hold-store.js';
import { toRange, type Segment } from '../inventory/segments.js';

/**
 * All SQL of orders, their lines, the seat sales that confirm them and their tickets. Functions take the
 * db or a transaction first, so callers show where a transaction starts.
 */
type Executor = Db | Transaction<Database>;

export type OrderRow = Selectable<OrdersTable>;
export type OrderLineRow = Selectable<OrderLinesTable>;
export type NewOrder = Insertable<OrdersTable>;
export type NewOrderLine = Insertable<OrderLinesTable>;
export type NewTicket = Insertable<TicketsTable>;

export function findOrder(db: Executor, orderId: string): Promise<OrderRow | undefined> {
  return db.selectFrom('orders').selectAll().where('id', '=', orderId).executeTakeFirst();
}

/**
 * Locks an order row for this transaction without waiting: a second confirmation of the same order fails
 * at once with lock_not_available (55P03) instead of queueing behind the first.
 */
export async function lockOrderNoWait(trx: Transaction<Database>, orderId: string): Promise<OrderRow | undefined> {
  const { rows } = await sql<OrderRow>`SELECT * FROM orders WHERE id = ${orderId} FOR UPDATE NOWAIT`.execute(trx);
  return rows[0];
}

/** An order's lines in a stable order (by label, GA units after seats of the same label). */
export function findOrderLines(db: Executor, orderId: string): Promise<OrderLineRow[]> {
  return db
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('label')
    .orderBy('id')
    .execute();
}

export function findOrderLinesOf(db: Executor, orderIds: readonly string[]): Promise<OrderLineRow[]> {
  if (orderIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('order_lines')
    .selectAll()
    .where('order_id', 'in', orderIds)
    .orderBy('label')
    .orderBy('id')
    .execute();
}

/** Inserts an order and its lines in one statement (the lines' foreign key is checked at its end). */
export async function insertOrderWithLines(
  trx: Transaction<Database>,
  order: NewOrder,
  lines: readonly NewOrderLine[],
): Promise<void> {
  if (lines.length === 0) {
    await trx.insertInto('orders').values(order).execute();
    return;
  }
  await trx
    .with('new_order', (db) => db.insertInto('orders').values(order))
    .insertInto('order_lines')
    .values(lines)
    .execute();
}

/**
 * Takes transaction-scoped advisory locks on keys (a hold token, a buyer's inventory), in hash order, in
 * one statement: two bookings of the same hold, or two of one buyer for one event, then run one after the
 * other, and two bookings can never wait for each other in a circle.
 */
export async function lockKeys(trx: Transaction<Database>, keys: readonly string[]): Promise<void> {
  await sql`
    SELECT pg_advisory_xact_lock(h) FROM (
      SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest(${keys}::text[]) AS k ORDER BY 1
    ) AS ordered`.execute(trx);
}

/**
 * What a new booking must not break, read after its locks: whether the hold already has an open order
 * (pending and not expired, or confirmed), and how many seats (lines) the buyer already has on the
 * inventory in confirmed orders and in pending orders not yet expired.
 */
export async function findBookingConflicts(
  trx: Executor,
  input: { holdToken: string; userId: string; inventoryId: string; now: Date },
): Promise<{ holdBooked: boolean; buyerSeats: number }> {
  const { rows } = await sql<{ hold_booked: boolean; buyer_seats: number }>`
    SELECT
      EXISTS (SELECT 1 FROM orders
               WHERE hold_token = ${input.holdToken}
                 AND (status = 'confirmed' OR (status = 'pending_payment' AND expires_at > ${input.now}))
      ) AS hold_booked,
      (SELECT count(*)::int FROM order_lines
         JOIN orders ON orders.id = order_lines.order_id
        WHERE orders.user_id = ${input.userId} AND orders.inventory_id = ${input.inventoryId}
          AND order_lines.status = 'active'
          AND (orders.status = 'confirmed' OR (orders.status = 'pending_payment' AND orders.expires_at > ${input.now}))
      ) AS buyer_seats`.execute(trx);
  return { holdBooked: rows[0]!.hold_booked, buyerSeats: rows[0]!.buyer_seats };
}

/**
 * Records the sale of each seat line on the order's segment. The partial unique index (events) and the
 * exclusion constraint (trips) refuse a seat-leg that is already sold: 23505 / 23P01.
 */
export async function insertSeatSalesOfLines(
  trx: Transaction<Database>,
  sale: {
    inventory: InventoryRef;
    segment: Segment;
    orderId: string;
    holdToken: string | null;
    lines: readonly { lineId: string; seatId: string }[];
  },
): Promise<void> {
  if (sale.lines.length === 0) return;
  // Sorted by seat so two confirmations touching the same seats take index locks in the same order.
  const lines = [...sale.lines].sort((a, b) => (a.seatId < b.seatId ? -1 : a.seatId > b.seatId ? 1 : 0));
  await trx
    .insertInto('seat_sales')
    .values(
      lines.map((line) => ({
        inventory_kind: sale.inventory.kind,
        inventory_id: sale.inventory.id,
        seat_id: line.seatId,
        legs: toRange(sale.segment),
        hold_token: sale.holdToken,
        order_id: sale.orderId,
        order_line_id: line.lineId,
      })),
    )
    .execute();
}

/** Adds sold GA units; the CHECK (sold <= capacity) refuses an oversale (23514). False if no such area. */
export async function addGaSold(
  trx: Transaction<Database>,
  inventoryId: string,
  areaId: string,
  quantity: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('ga_inventory')
    .set((eb) => ({ sold: eb('sold', '+', quantity) }))
    .where('inventory_id', '=', inventoryId)
    .where('area_id', '=', areaId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertTickets(trx: Transaction<Database>, tickets: readonly NewTicket[]): Promise<void> {
  if (tickets.length > 0) await trx.insertInto('tickets').values(tickets).execute();
}

export async function findTicketIdsOfOrder(db: Executor, orderId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('tickets')
    .innerJoin('order_lines', 'order_lines.id', 'tickets.order_line_id')
    .select('tickets.id')
    .where('tickets.order_id', '=', orderId)
    .orderBy('order_lines.label')
    .orderBy('order_lines.id')
    .execute();
  return rows.map((row) => row.id);
}

export async function markOrderConfirmed(trx: Transaction<Database>, orderId: string, now: Date): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ status: 'confirmed', payment_status: 'paid', confirmed_at: now, updated_at: now })
    .where('id', '=', orderId)
    .execute();
}

/**
 * The money came in but the seats cannot be sold: the order is cancelled with its lines, the payment
 * counts as paid and a refund is due. Later deliveries of the same payment then find a cancelled order
 * and never confirm it after the refund went out.
 */
export async function markOrderRefundRequired(trx: Transaction<Database>, orderId: string, now: Date): Promise<void> {
  await trx
    .updateTable('orders')
    .set({ status: 'cancelled', payment_status: 'paid', refund_status: 'pending', cancelled_at: now, updated_at: now })
    .where('id', '=', orderId)
    .execute();
  await trx
    .updateTable('order_lines')
    .set({ status: 'cancelled', cancelled_at: now })
    .where('order_id', '=', orderId)
    .where('status', '=', 'active')
    .execute();
}

/** Orders still awaiting payment whose time to pay has run out, oldest first. */
export async function findLapsedOrderIds(db: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('orders')
    .select('id')
    .where('status', '=', 'pending_payment')
    .where('expires_at', '<=', now)
    .orderBy('expires_at')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Locks an order that is still lapsed; null when it changed, or another transaction holds it (skipped). */
export async function lockLapsedOrder(trx: Transaction<Database>, orderId: string, now: Date): Promise<boolean> {
  const row = await trx
    .selectFrom('orders')
    .select('id')
    .where('id', '=', orderId)
    .where('status', '=', 'pending_payment')
    .where('expires_at', '<=', now)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  return row !== undefined;
}

export async function markOrderExpired(trx: Transaction<Database>, orderId: string, now: Date): Promise<void> {
  await trx.updateTable('orders').set({ status: 'expired', updated_at: now }).where('id', '=', orderId).execute();
}

/** The status of an event or a trip, read now; undefined when there is none. */
export async function findInventoryStatus(db: Executor, inventory: InventoryRef): Promise<string | undefined> {
  const row =
    inventory.kind === 'event'
      ? await db.selectFrom('events').select('status').where('id', '=', inventory.id).executeTakeFirst()
      : await db.selectFrom('trips').select('status').where('id', '=', inventory.id).executeTakeFirst();
  return row?.status;
}

/** Terms an organizer sets for orders: money, fees, tax and limits. */
export function findOrganizerTerms(db: Executor, organizerId: string) {
  return db
    .selectFrom('organizers')
    .select(['id', 'currency', 'tax_rate_bp', 'booking_fee_per_seat', 'max_seats_per_order', 'max_seats_per_buyer'])
    .where('id', '=', organizerId)
    .executeTakeFirst();
}

export async function findEventPriceMap(db: Executor, eventId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('event_prices')
    .select(['category', 'amount'])
    .where('event_id', '=', eventId)
    .execute();
  return new Map(rows.map((row) => [row.category, row.amount]));
}

export function findGaAreasOfLayout(db: Executor, layoutId: string) {
  return db
    .selectFrom('layout_ga_areas')
    .select(['id', 'name', 'category'])
    .where('layout_id', '=', layoutId)
    .execute();
}

export function findEventForBooking(db: Executor, eventId: string) {
  return db
    .selectFrom('events')
    .select(['id', 'organizer_id', 'layout_id', 'status', 'starts_at', 'title'])
    .where('id', '=', eventId)
    .executeTakeFirst();
}

export function findTripForBooking(db: Executor, tripId: string) {
  return db
    .selectFrom('trips')
    .innerJoin('routes', 'routes.id', 'trips.route_id')
    .select(['trips.id', 'trips.organizer_id', 'trips.route_id', 'trips.layout_id', 'trips.status', 'routes.name'])
    .where('trips.id', '=', tripId)
    .executeTakeFirst();
}

export function findTripStopIds(db: Executor, tripId: string) {
  return db
    .selectFrom('trip_stops')
    .select(['stop_index', 'stop_id', 'departs_at'])
    .where('trip_id', '=', tripId)
    .orderBy('stop_index')
    .execute();
}

export function findFaresOfRoute(db: Executor, routeId: string) {
  return db
    .selectFrom('fares')
    .select(['from_index', 'to_index', 'seat_class', 'amount'])
    .where('route_id', '=', routeId)
    .execute();
}

/** An order with what a buyer needs to recognise it: title, start time, and stops for trips. */
export interface OrderSummaryRow extends OrderRow {
  title: string;
  starts_at: Date;
  from_stop_id: string | null;
  to_stop_id: string | null;
  /** The venue's time zone, or the boarding stop's. */
  timezone: string;
  /** The venue's name, or "boarding stop → alighting stop". */
  place: string;
}

function selectOrderSummaries(db: Executor) {
  return db
    .selectFrom('orders')
    .leftJoin('events', (join) =>
      join.onRef('events.id', '=', 'orders.inventory_id').on('orders.inventory_kind', '=', 'event'),
    )
    .leftJoin('trips', (join) =>
      join.onRef('trips.id', '=', 'orders.inventory_id').on('orders.inventory_kind', '=', 'trip'),
    )
    .leftJoin('routes', 'routes.id', 'trips.route_id')
    .leftJoin('trip_stops as boarding', (join) =>
      join.onRef('boarding.trip_id', '=', 'trips.id').onRef('boarding.stop_index', '=', 'orders.from_index'),
    )
    .leftJoin('trip_stops as alighting', (join) =>
      join.onRef('alighting.trip_id', '=', 'trips.id').onRef('alighting.stop_index', '=', 'orders.to_index'),
    )
    .leftJoin('venues', 'venues.id', 'events.venue_id')
    .leftJoin('stops as boarding_stop', 'boarding_stop.id', 'boarding.stop_id')
    .leftJoin('stops as alighting_stop', 'alighting_stop.id', 'alighting.stop_id')
    .selectAll('orders')
    .select([
      sql<string>`coalesce(events.title, routes.name, '')`.as('title'),
      sql<Date>`coalesce(events.starts_at, boarding.departs_at, orders.created_at)`.as('starts_at'),
      'boarding.stop_id as from_stop_id',
      'alighting.stop_id as to_stop_id',
      sql<string>`coalesce(venues.timezone, boarding_stop.timezone, 'UTC')`.as('timezone'),
      sql<string>`coalesce(venues.name, boarding_stop.name || ' → ' || alighting_stop.name, '')`.as('place'),
    ]);
}

export function findOrderSummary(db: Executor, orderId: string): Promise<OrderSummaryRow | undefined> {
  return selectOrderSummaries(db).where('orders.id', '=', orderId).executeTakeFirst();
}

/** A buyer's orders whose event or departure is still ahead (upcoming, soonest first) or behind (past). */
export function listOrdersOfUser(
  db: Executor,
  filter: { userId: string; scope: 'upcoming' | 'past'; now: Date; limit: number; offset: number },
): Promise<OrderSummaryRow[]> {
  const startsAt = sql<Date>`coalesce(events.starts_at, boarding.departs_at, orders.created_at)`;
  const query = selectOrderSummaries(db).where('orders.user_id', '=', filter.userId);
  return (
    filter.scope === 'upcoming'
      ? query.where(startsAt, '>=', filter.now).orderBy(startsAt, 'asc')
      : query.where(startsAt, '<', filter.now).orderBy(startsAt, 'desc')
  )
    .orderBy('orders.created_at', 'desc')
    .limit(filter.limit)
    .offset(filter.offset)
    .execute();
}

export function findCouponCode(db: Executor, couponId: string) {
  return db.selectFrom('coupons').select('code').where('id', '=', couponId).executeTakeFirst();
}

export function findPaymentOrderId(db: Executor, paymentId: string) {
  return db.selectFrom('payments').select('order_id').where('id', '=', paymentId).executeTakeFirst();
}
