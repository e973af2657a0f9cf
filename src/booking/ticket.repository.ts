import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, InventoryKind } from '../db/schema.js';

/** SQL of tickets: reading them with what a ticket shows, and checking them in. */
type Executor = Db | Transaction<Database>;

/** A ticket with its order, line, and the event (venue) or trip (stops) it is for. */
export interface TicketDetailRow {
  id: string;
  code: string;
  order_id: string;
  order_code: string;
  user_id: string;
  organizer_id: string;
  inventory_kind: InventoryKind;
  inventory_id: string;
  seat_id: string | null;
  area_id: string | null;
  from_index: number;
  to_index: number;
  status: 'valid' | 'cancelled';
  checked_in_at: Date | null;
  created_at: Date;
  label: string;
  category: string;
  passenger_name: string | null;
  title: string;
  starts_at: Date;
  organizer_name: string;
  venue_name: string | null;
  venue_city: string | null;
  venue_address: string | null;
  venue_timezone: string | null;
  from_stop_id: string | null;
  from_stop_name: string | null;
  from_stop_timezone: string | null;
  departs_at: Date | null;
  to_stop_id: string | null;
  to_stop_name: string | null;
  to_stop_timezone: string | null;
  arrives_at: Date | null;
}

const selectDetails = sql`
  SELECT t.id, t.code, t.order_id, o.code AS order_code, o.user_id, t.organizer_id, t.inventory_kind,
         t.inventory_id, t.seat_id, t.area_id, t.from_index, t.to_index, t.status, t.checked_in_at, t.created_at,
         l.label, l.category, l.passenger_name,
         coalesce(e.title, r.name, '') AS title,
         coalesce(e.starts_at, bs.departs_at, t.created_at) AS starts_at,
         org.name AS organizer_name,
         v.name AS venue_name, v.city AS venue_city, v.address AS venue_address, v.timezone AS venue_timezone,
         fs.id AS from_stop_id, fs.name AS from_stop_name, fs.timezone AS from_stop_timezone,
         bs.departs_at,
         ts.id AS to_stop_id, ts.name AS to_stop_name, ts.timezone AS to_stop_timezone, als.arrives_at
    FROM tickets t
    JOIN orders o ON o.id = t.order_id
    JOIN order_lines l ON l.id = t.order_line_id
    JOIN organizers org ON org.id = t.organizer_id
    LEFT JOIN events e ON t.inventory_kind = 'event' AND e.id = t.inventory_id
    LEFT JOIN venues v ON v.id = e.venue_id
    LEFT JOIN trips tr ON t.inventory_kind = 'trip' AND tr.id = t.inventory_id
    LEFT JOIN routes r ON r.id = tr.route_id
    LEFT JOIN trip_stops bs ON bs.trip_id = tr.id AND bs.stop_index = t.from_index
    LEFT JOIN stops fs ON fs.id = bs.stop_id
    LEFT JOIN trip_stops als ON als.trip_id = tr.id AND als.stop_index = t.to_index
    LEFT JOIN stops ts ON ts.id = als.stop_id`;

export async function findTicketDetail(db: Executor, ticketId: string): Promise<TicketDetailRow | undefined> {
  const { rows } = await sql<TicketDetailRow>`${selectDetails} WHERE t.id = ${ticketId}`.execute(db);
  return rows[0];
}

export async function findTicketDetailsOfOrder(db: Executor, orderId: string): Promise<TicketDetailRow[]> {
  const { rows } = await sql<TicketDetailRow>`
    ${selectDetails} WHERE t.order_id = ${orderId} ORDER BY l.label, l.id`.execute(db);
  return rows;
}

export async function findTicketDetailByCode(db: Executor, code: string): Promise<TicketDetailRow | undefined> {
  const { rows } = await sql<TicketDetailRow>`${selectDetails} WHERE t.code = ${code}`.execute(db);
  return rows[0];
}

/**
 * Marks a valid, unused ticket checked in. One conditional UPDATE: of two scans at the same moment the
 * row lock lets one through and the other then sees checked_in_at set and updates nothing.
 */
export async function markCheckedIn(
  db: Executor,
  ticketId: string,
  staffUserId: string,
  at: Date,
): Promise<Date | null> {
  const row = await db
    .updateTable('tickets')
    .set({ checked_in_at: at, checked_in_by: staffUserId })
    .where('id', '=', ticketId)
    .where('status', '=', 'valid')
    .where('checked_in_at', 'is', null)
    .returning('checked_in_at')
    .executeTakeFirst();
  return row?.checked_in_at ?? null;
}

export function findTicketState(db: Executor, ticketId: string) {
  return db.selectFrom('tickets').select(['status', 'checked_in_at']).where('id', '=', ticketId).executeTakeFirst();
}

/** Where a stop comes on a trip (a loop may pass it more than once). */
export async function findTripStopIndexes(db: Executor, tripId: string, stopId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('trip_stops')
    .select('stop_index')
    .where('trip_id', '=', tripId)
    .where('stop_id', '=', stopId)
    .execute();
  return rows.map((row) => row.stop_index);
}
