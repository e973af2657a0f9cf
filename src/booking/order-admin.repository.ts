import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { InventoryKind, OrderStatus, PaymentStatus, RefundStatus } from '../db/schema.js';

/** SQL of the organizer's order desk: finding orders, and what an order's page shows besides its lines. */
export interface OrderSearch {
  organizerId: string | undefined;
  /** A booking code, or part of the buyer's name or email, or of a passenger's name. */
  q?: string | undefined;
  status?: OrderStatus | undefined;
  inventoryId?: string | undefined;
  limit: number;
  offset: number;
}

export interface OrderListRow {
  id: string;
  code: string;
  status: OrderStatus;
  payment_status: PaymentStatus;
  refund_status: RefundStatus;
  currency: string;
  total: number;
  refunded_amount: number;
  created_at: Date;
  confirmed_at: Date | null;
  inventory_kind: InventoryKind;
  inventory_id: string;
  organizer_id: string;
  title: string;
  starts_at: Date;
  timezone: string;
  buyer_id: string;
  buyer_name: string;
  buyer_email: string;
  tickets: number;
}

/** LIKE patterns match the text literally: %, _ and \ in what was typed are not wildcards. */
const likeEscape = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchOrders(db: Db, search: OrderSearch): Promise<{ rows: OrderListRow[]; total: number }> {
  const q = search.q?.trim();
  const pattern = q ? `%${likeEscape(q.toLowerCase())}%` : null;
  const where = sql`
        ${search.organizerId === undefined ? sql`TRUE` : sql`o.organizer_id = ${search.organizerId}`}
    AND ${search.status === undefined ? sql`TRUE` : sql`o.status = ${search.status}`}
    AND ${search.inventoryId === undefined ? sql`TRUE` : sql`o.inventory_id = ${search.inventoryId}`}
    AND ${
      pattern === null
        ? sql`TRUE`
        : sql`(o.code = ${q!.toUpperCase()}
               OR lower(u.name || ' ' || u.email) LIKE ${pattern}
               OR EXISTS (SELECT 1 FROM order_lines pl WHERE pl.order_id = o.id AND lower(pl.passenger_name) LIKE ${pattern}))`
    }`;
  const [{ rows }, count] = await Promise.all([
    sql<OrderListRow>`
      SELECT o.id, o.code, o.status, o.payment_status, o.refund_status, o.currency, o.total, o.refunded_amount,
             o.created_at, o.confirmed_at, o.inventory_kind, o.inventory_id, o.organizer_id,
             coalesce(e.title, r.code || ' · ' || r.name, '') AS title,
             coalesce(e.starts_at, bs.departs_at, o.created_at) AS starts_at,
             coalesce(v.timezone, s.timezone, 'UTC') AS timezone,
             u.id AS buyer_id, u.name AS buyer_name, u.email AS buyer_email,
             (SELECT count(*) FROM order_lines l WHERE l.order_id = o.id)::int AS tickets
        FROM orders o
        JOIN users u ON u.id = o.user_id
        LEFT JOIN events e ON o.inventory_kind = 'event' AND e.id = o.inventory_id
        LEFT JOIN venues v ON v.id = e.venue_id
        LEFT JOIN trips t ON o.inventory_kind = 'trip' AND t.id = o.inventory_id
        LEFT JOIN routes r ON r.id = t.route_id
        LEFT JOIN trip_stops bs ON bs.trip_id = t.id AND bs.stop_index = o.from_index
        LEFT JOIN stops s ON s.id = bs.stop_id
       WHERE ${where}
       ORDER BY o.created_at DESC, o.id DESC
       LIMIT ${search.limit} OFFSET ${search.offset}`.execute(db),
    sql<{ total: number }>`
      SELECT count(*)::int AS total FROM orders o JOIN users u ON u.id = o.user_id WHERE ${where}`.execute(db),
  ]);
  return { rows, total: count.rows[0]?.total ?? 0 };
}

/** The buyer, and the place and time zone of what the order is for. */
export async function findOrderContext(db: Db, orderId: string) {
  const { rows } = await sql<{
    organizer_id: string;
    buyer_id: string;
    buyer_name: string;
    buyer_email: string;
    buyer_phone: string | null;
    place: string;
    timezone: string;
  }>`
    SELECT o.organizer_id, u.id AS buyer_id, u.name AS buyer_name, u.email AS buyer_email, u.phone AS buyer_phone,
           coalesce(v.name || ', ' || v.city, r.code || ' · ' || r.name, '') AS place,
           coalesce(v.timezone, s.timezone, 'UTC') AS timezone
      FROM orders o
      JOIN users u ON u.id = o.user_id
      LEFT JOIN events e ON o.inventory_kind = 'event' AND e.id = o.inventory_id
      LEFT JOIN venues v ON v.id = e.venue_id
      LEFT JOIN trips t ON o.inventory_kind = 'trip' AND t.id = o.inventory_id
      LEFT JOIN routes r ON r.id = t.route_id
      LEFT JOIN trip_stops bs ON bs.trip_id = t.id AND bs.stop_index = o.from_index
      LEFT JOIN stops s ON s.id = bs.stop_id
     WHERE o.id = ${orderId}`.execute(db);
  return rows[0];
}

export function findPaymentsOfOrder(db: Db, orderId: string) {
  return db
    .selectFrom('payments')
    .select(['id', 'provider', 'amount', 'currency', 'status', 'refunded_amount', 'created_at', 'succeeded_at'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
}

export function findRefundsOfOrder(db: Db, orderId: string) {
  return db
    .selectFrom('refunds')
    .select(['id', 'payment_id', 'amount', 'status', 'reason', 'created_at', 'completed_at'])
    .where('order_id', '=', orderId)
    .orderBy('created_at')
    .execute();
}
