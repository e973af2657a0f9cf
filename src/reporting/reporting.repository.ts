import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/client.js';
import type { EventStatus, InventoryKind, TripStatus } from '../db/schema.js';

/**
 * All SQL of the organizer reports. `organizerId` undefined means every organizer (platform admins).
 * Sales count an order when it was confirmed (paid); its refunds count against it, whenever they happened.
 */
export interface Period {
  from: Date;
  to: Date;
}

const byOrganizer = (column: RawBuilder<unknown>, organizerId: string | undefined) =>
  organizerId === undefined ? sql`TRUE` : sql`${column} = ${organizerId}`;

export interface SalesTotalsRow {
  currency: string;
  orders: number;
  tickets: number;
  cancelled_tickets: number;
  gross: number;
  refunded: number;
}

/** Orders confirmed in the period per currency: orders, tickets, tickets since cancelled, money in and back. */
export async function sumSales(db: Db, organizerId: string | undefined, period: Period): Promise<SalesTotalsRow[]> {
  const { rows } = await sql<SalesTotalsRow>`
    WITH sold AS (
      SELECT o.id, o.currency, o.total, o.refunded_amount FROM orders o
       WHERE o.confirmed_at >= ${period.from} AND o.confirmed_at < ${period.to}
         AND ${byOrganizer(sql`o.organizer_id`, organizerId)}
    ), lines AS (
      SELECT l.order_id, count(*) AS tickets, count(*) FILTER (WHERE l.status = 'cancelled') AS cancelled
        FROM order_lines l JOIN sold ON sold.id = l.order_id GROUP BY l.order_id
    )
    SELECT sold.currency, count(*)::int AS orders, coalesce(sum(lines.tickets), 0)::int AS tickets,
           coalesce(sum(lines.cancelled), 0)::int AS cancelled_tickets,
           sum(sold.total)::bigint AS gross, sum(sold.refunded_amount)::bigint AS refunded
      FROM sold LEFT JOIN lines ON lines.order_id = sold.id
     GROUP BY sold.currency ORDER BY sold.currency`.execute(db);
  return rows;
}

/** Holds granted in the period on the organizer's events and trips (from the hold tally). */
export async function sumHoldsCreated(db: Db, organizerId: string | undefined, period: Period): Promise<number> {
  const owned =
    organizerId === undefined
      ? sql`TRUE`
      : sql`hs.inventory_id IN (SELECT id FROM events WHERE organizer_id = ${organizerId}
                                UNION ALL SELECT id FROM trips WHERE organizer_id = ${organizerId})`;
  const { rows } = await sql<{ created: number | null }>`
    SELECT sum(hs.holds_created)::bigint AS created FROM hold_stats hs
     WHERE hs.bucket >= ${period.from} AND hs.bucket < ${period.to} AND ${owned}`.execute(db);
  return rows[0]?.created ?? 0;
}

export interface DailySalesRow {
  day: string;
  currency: string;
  orders: number;
  tickets: number;
  gross: number;
  refunded: number;
}

/** Confirmed orders per local day (in `timeZone`) and currency. */
export async function sumSalesByDay(
  db: Db,
  organizerId: string | undefined,
  period: Period,
  timeZone: string,
): Promise<DailySalesRow[]> {
  const { rows } = await sql<DailySalesRow>`
    SELECT to_char(o.confirmed_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD') AS day, o.currency,
           count(*)::int AS orders,
           sum((SELECT count(*) FROM order_lines l WHERE l.order_id = o.id))::int AS tickets,
           sum(o.total)::bigint AS gross, sum(o.refunded_amount)::bigint AS refunded
      FROM orders o
     WHERE o.confirmed_at >= ${period.from} AND o.confirmed_at < ${period.to}
       AND ${byOrganizer(sql`o.organizer_id`, organizerId)}
     GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return rows;
}

export interface InventorySalesRow {
  inventory_id: string;
  title: string;
  starts_at: Date;
  timezone: string;
  currency: string;
  orders: number;
  tickets: number;
  gross: number;
  refunded: number;
}

/** Confirmed orders per event or per trip, for those sold in the period. */
export async function sumSalesByInventory(
  db: Db,
  organizerId: string | undefined,
  period: Period,
  kind: InventoryKind,
): Promise<InventorySalesRow[]> {
  const described =
    kind === 'event'
      ? sql`SELECT e.id, e.title, e.starts_at, v.timezone FROM events e JOIN venues v ON v.id = e.venue_id`
      : sql`SELECT t.id, r.code || ' · ' || r.name AS title, t.departs_at AS starts_at, s.timezone
              FROM trips t JOIN routes r ON r.id = t.route_id
              JOIN trip_stops ts ON ts.trip_id = t.id AND ts.stop_index = 0 JOIN stops s ON s.id = ts.stop_id`;
  const { rows } = await sql<InventorySalesRow>`
    WITH sold AS (
      SELECT o.inventory_id, o.currency, count(*) AS orders,
             sum((SELECT count(*) FROM order_lines l WHERE l.order_id = o.id)) AS tickets,
             sum(o.total) AS gross, sum(o.refunded_amount) AS refunded
        FROM orders o
       WHERE o.inventory_kind = ${kind} AND o.confirmed_at >= ${period.from} AND o.confirmed_at < ${period.to}
         AND ${byOrganizer(sql`o.organizer_id`, organizerId)}
       GROUP BY o.inventory_id, o.currency
    )
    SELECT sold.inventory_id, d.title, d.starts_at, d.timezone, sold.currency, sold.orders::int,
           sold.tickets::int, sold.gross::bigint, sold.refunded::bigint
      FROM sold JOIN (${described}) AS d(id, title, starts_at, timezone) ON d.id = sold.inventory_id
     ORDER BY d.starts_at, sold.inventory_id, sold.currency`.execute(db);
  return rows;
}

export interface EventCapacityRow {
  id: string;
  title: string;
  starts_at: Date;
  timezone: string;
  status: EventStatus;
  venue_name: string;
  seat_count: number;
  blocked: number;
  ga_capacity: number;
  seats_sold: number;
  ga_sold: number;
}

/** Events starting in the period with what they can sell and what they sold. */
export async function findEventCapacities(
  db: Db,
  organizerId: string | undefined,
  period: Period,
  page: { limit: number; offset: number },
): Promise<{ rows: EventCapacityRow[]; total: number }> {
  const where = sql`e.starts_at >= ${period.from} AND e.starts_at < ${period.to}
                    AND ${byOrganizer(sql`e.organizer_id`, organizerId)}`;
  const [{ rows }, count] = await Promise.all([
    sql<EventCapacityRow>`
      SELECT e.id, e.title, e.starts_at, v.timezone, e.status, v.name AS venue_name, l.seat_count,
             (SELECT count(*) FROM layout_seats ls WHERE ls.layout_id = e.layout_id AND 'blocked' = ANY(ls.flags))::int
               AS blocked,
             coalesce((SELECT sum(g.capacity) FROM ga_inventory g WHERE g.inventory_id = e.id), 0)::int AS ga_capacity,
             (SELECT count(*) FROM seat_sales ss WHERE ss.inventory_id = e.id AND ss.status = 'confirmed')::int
               AS seats_sold,
             coalesce((SELECT sum(g.sold) FROM ga_inventory g WHERE g.inventory_id = e.id), 0)::int AS ga_sold
        FROM events e JOIN venues v ON v.id = e.venue_id JOIN seat_layouts l ON l.id = e.layout_id
       WHERE ${where}
       ORDER BY e.starts_at, e.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db),
    sql<{ total: number }>`SELECT count(*)::int AS total FROM events e WHERE ${where}`.execute(db),
  ]);
  return { rows, total: count.rows[0]?.total ?? 0 };
}

export interface TripCapacityRow {
  id: string;
  title: string;
  starts_at: Date;
  timezone: string;
  status: TripStatus;
  stop_count: number;
  seat_count: number;
  blocked: number;
  seats_sold: number;
  seat_legs_sold: number;
  peak_leg_sold: number;
}

/** Trips departing in the period with seats, seats sold on any leg, seat-legs sold and the busiest leg. */
export async function findTripCapacities(
  db: Db,
  organizerId: string | undefined,
  period: Period,
  page: { limit: number; offset: number },
): Promise<{ rows: TripCapacityRow[]; total: number }> {
  const where = sql`t.departs_at >= ${period.from} AND t.departs_at < ${period.to}
                    AND ${byOrganizer(sql`t.organizer_id`, organizerId)}`;
  const [{ rows }, count] = await Promise.all([
    sql<TripCapacityRow>`
      SELECT t.id, r.code || ' · ' || r.name AS title, t.departs_at AS starts_at, s.timezone, t.status,
             (SELECT count(*) FROM trip_stops x WHERE x.trip_id = t.id)::int AS stop_count, l.seat_count,
             (SELECT count(*) FROM layout_seats ls WHERE ls.layout_id = t.layout_id AND 'blocked' = ANY(ls.flags))::int
               AS blocked,
             (SELECT count(DISTINCT ss.seat_id) FROM seat_sales ss
               WHERE ss.inventory_id = t.id AND ss.status = 'confirmed')::int AS seats_sold,
             coalesce((SELECT sum(upper(ss.legs) - lower(ss.legs)) FROM seat_sales ss
               WHERE ss.inventory_id = t.id AND ss.status = 'confirmed'), 0)::int AS seat_legs_sold,
             coalesce((SELECT max(on_leg) FROM (
                 SELECT count(*) AS on_leg FROM seat_sales ss
                  CROSS JOIN LATERAL generate_series(lower(ss.legs), upper(ss.legs) - 1) AS leg(i)
                  WHERE ss.inventory_id = t.id AND ss.status = 'confirmed' GROUP BY leg.i) AS legs), 0)::int
               AS peak_leg_sold
        FROM trips t JOIN routes r ON r.id = t.route_id JOIN seat_layouts l ON l.id = t.layout_id
        JOIN trip_stops ts ON ts.trip_id = t.id AND ts.stop_index = 0 JOIN stops s ON s.id = ts.stop_id
       WHERE ${where}
       ORDER BY t.departs_at, t.id LIMIT ${page.limit} OFFSET ${page.offset}`.execute(db),
    sql<{ total: number }>`SELECT count(*)::int AS total FROM trips t WHERE ${where}`.execute(db),
  ]);
  return { rows, total: count.rows[0]?.total ?? 0 };
}

/** Ids of the organizer's events and trips that have not ended (whose holds can still be live). */
export async function findOpenInventoryIds(db: Db, organizerId: string | undefined, now: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    SELECT e.id FROM events e
     WHERE e.ends_at > ${now} AND e.status <> 'cancelled' AND ${byOrganizer(sql`e.organizer_id`, organizerId)}
    UNION ALL
    SELECT t.id FROM trips t
     WHERE t.status <> 'cancelled' AND ${byOrganizer(sql`t.organizer_id`, organizerId)}
       AND EXISTS (SELECT 1 FROM trip_stops ts WHERE ts.trip_id = t.id AND ts.departs_at > ${now})`.execute(db);
  return rows.map((row) => row.id);
}

/** The organizer's time zone and currency; undefined when there is no such organizer. */
export function findOrganizerSettings(db: Db, organizerId: string) {
  return db
    .selectFrom('organizers')
    .select(['id', 'name', 'timezone', 'currency'])
    .where('id', '=', organizerId)
    .executeTakeFirst();
}
