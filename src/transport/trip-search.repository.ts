import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { RouteRow, TripStatus } from '../db/schema.js';
import type { Fare } from './fare-quote.js';

/** Reads behind trip search and the public trip pages. */

export interface SearchStopRow {
  id: string;
  code: string;
  name: string;
  city: string;
  timezone: string;
  /** The requested date's local midnight at this stop, and the next one, as UTC instants. */
  day_starts_at: Date;
  day_ends_at: Date;
}

/** Stops by id, each with the UTC bounds of `date` in the stop's own time zone. */
export async function findStopsWithLocalDay(db: Db, stopIds: string[], date: string): Promise<SearchStopRow[]> {
  const { rows } = await sql<SearchStopRow>`
    SELECT id, code, name, city, timezone,
           (${date}::date::timestamp AT TIME ZONE timezone) AS day_starts_at,
           ((${date}::date + 1)::timestamp AT TIME ZONE timezone) AS day_ends_at
      FROM stops
     WHERE id = ANY(${stopIds}::text[])`.execute(db);
  return rows;
}

export interface TripCandidateRow {
  trip_id: string;
  route_id: string;
  route_name: string;
  mode: RouteRow['mode'];
  vehicle_type: 'bus' | 'sleeper_bus' | 'train_coach' | 'train' | null;
  layout_id: string;
  currency: string;
  from_index: number;
  to_index: number;
  departs_at: Date;
  arrives_at: Date;
}

/**
 * Scheduled trips that call at `from` and later at `to`, leaving `from` inside [departsFrom, departsBefore)
 * and after `now`. The calls are found first, in a materialized CTE: the (stop_id, departs_at) index finds
 * the boarding calls, the (stop_id, trip_id) index the alighting call of each — a few hundred probes at
 * the busiest station. Left to itself, the planner joined every trip of the network first (a hash join
 * over all 57,000 trips of a week of Indian Railways, 100 ms instead of 10).
 */
export function findTripCandidates(
  db: Db,
  search: {
    fromStopId: string;
    toStopId: string;
    departsFrom: Date;
    departsBefore: Date;
    now: Date;
    mode?: RouteRow['mode'];
    limit: number;
  },
): Promise<TripCandidateRow[]> {
  let calls = db
    .with(
      (cte) => cte('calls').materialized(),
      (qb) =>
        qb
          .selectFrom('trip_stops as f')
          .innerJoin('trip_stops as t', (join) =>
            join.onRef('t.trip_id', '=', 'f.trip_id').onRef('t.stop_index', '>', 'f.stop_index'),
          )
          .select([
            'f.trip_id',
            'f.stop_index as from_index',
            't.stop_index as to_index',
            'f.departs_at',
            't.arrives_at',
          ])
          .where('f.stop_id', '=', search.fromStopId)
          .where('t.stop_id', '=', search.toStopId)
          .where('f.departs_at', '>=', search.departsFrom)
          .where('f.departs_at', '<', search.departsBefore)
          .where('f.departs_at', '>', search.now),
    )
    .selectFrom('calls as c')
    .innerJoin('trips as tr', 'tr.id', 'c.trip_id')
    .innerJoin('routes as r', 'r.id', 'tr.route_id')
    .innerJoin('seat_layouts as l', 'l.id', 'tr.layout_id')
    .innerJoin('organizers as o', 'o.id', 'tr.organizer_id')
    .where('tr.status', '=', 'scheduled');
  if (search.mode) calls = calls.where('r.mode', '=', search.mode);
  // A route that passes a stop twice (a loop) matches more than once: keep the first boarding call and
  // the first alighting call after it, which is the segment a hold on these stop ids gets.
  const firstCallPerTrip = calls
    .distinctOn('c.trip_id')
    .select([
      'c.trip_id',
      'tr.route_id',
      'r.name as route_name',
      'r.mode',
      'l.vehicle_type',
      'tr.layout_id',
      sql<string>`o.currency`.as('currency'),
      'c.from_index',
      'c.to_index',
      'c.departs_at',
      'c.arrives_at',
    ])
    .orderBy('c.trip_id')
    .orderBy('c.from_index')
    .orderBy('c.to_index');
  return db
    .selectFrom(firstCallPerTrip.as('c'))
    .selectAll()
    .orderBy('c.departs_at')
    .orderBy('c.trip_id')
    .limit(search.limit)
    .execute();
}

/** Every fare of the given routes (a route has at most a few hundred). */
export async function findRouteFares(db: Db, routeIds: readonly string[]): Promise<Map<string, Fare[]>> {
  const fares = new Map<string, Fare[]>(routeIds.map((id) => [id, []]));
  if (routeIds.length === 0) return fares;
  const rows = await db
    .selectFrom('fares')
    .select(['route_id', 'from_index', 'to_index', 'seat_class', 'amount'])
    .where('route_id', 'in', routeIds)
    .execute();
  for (const row of rows) {
    fares.get(row.route_id)?.push({
      fromIndex: row.from_index,
      toIndex: row.to_index,
      seatClass: row.seat_class,
      amount: row.amount,
    });
  }
  return fares;
}

export interface TripDetailRow {
  id: string;
  status: TripStatus;
  service_date: string;
  departs_at: Date;
  layout_id: string;
  currency: string;
  route_id: string;
  route_code: string;
  route_name: string;
  mode: RouteRow['mode'];
  layout_name: string;
  vehicle_type: TripCandidateRow['vehicle_type'];
  decks: number;
  seat_count: number;
}

export function findTripDetail(db: Db, tripId: string): Promise<TripDetailRow | undefined> {
  return db
    .selectFrom('trips as tr')
    .innerJoin('routes as r', 'r.id', 'tr.route_id')
    .innerJoin('seat_layouts as l', 'l.id', 'tr.layout_id')
    .innerJoin('organizers as o', 'o.id', 'tr.organizer_id')
    .select([
      'tr.id',
      'tr.status',
      'tr.service_date',
      'tr.departs_at',
      'tr.layout_id',
      sql<string>`o.currency`.as('currency'),
      'r.id as route_id',
      'r.code as route_code',
      'r.name as route_name',
      'r.mode',
      'l.name as layout_name',
      'l.vehicle_type',
      'l.decks',
      'l.seat_count',
    ])
    .where('tr.id', '=', tripId)
    .executeTakeFirst();
}

export interface TripCallRow {
  stop_index: number;
  stop_id: string;
  code: string;
  name: string;
  city: string;
  timezone: string;
  arrives_at: Date;
  departs_at: Date;
}

/** The stops a trip calls at, in order, with its times there. */
export function findTripCalls(db: Db, tripId: string): Promise<TripCallRow[]> {
  return db
    .selectFrom('trip_stops as ts')
    .innerJoin('stops as s', 's.id', 'ts.stop_id')
    .select([
      'ts.stop_index',
      'ts.stop_id',
      's.code',
      's.name',
      's.city',
      's.timezone',
      'ts.arrives_at',
      'ts.departs_at',
    ])
    .where('ts.trip_id', '=', tripId)
    .orderBy('ts.stop_index')
    .execute();
}

export interface PopularRouteRow {
  route_id: string;
  name: string;
  mode: RouteRow['mode'];
  organizer_name: string;
  currency: string;
  seats_sold: number;
  upcoming_trips: number;
}

/**
 * Routes with scheduled trips leaving in [now, until), most seats sold since `soldSince` first, then the
 * routes with the most upcoming trips.
 */
export async function findPopularRoutes(
  db: Db,
  window: { now: Date; until: Date; soldSince: Date; limit: number },
): Promise<PopularRouteRow[]> {
  const { rows } = await sql<PopularRouteRow>`
    WITH upcoming AS (
      SELECT route_id, count(*)::int AS upcoming_trips
        FROM trips
       WHERE status = 'scheduled' AND departs_at > ${window.now} AND departs_at < ${window.until}
       GROUP BY route_id
    ), sold AS (
      SELECT t.route_id, count(*)::int AS seats_sold
        FROM seat_sales s
        JOIN trips t ON t.id = s.inventory_id
       WHERE s.inventory_kind = 'trip' AND s.status = 'confirmed' AND s.created_at >= ${window.soldSince}
       GROUP BY t.route_id
    )
    SELECT r.id AS route_id, r.name, r.mode, o.name AS organizer_name, o.currency,
           coalesce(sold.seats_sold, 0) AS seats_sold, upcoming.upcoming_trips
      FROM routes r
      JOIN upcoming ON upcoming.route_id = r.id
      JOIN organizers o ON o.id = r.organizer_id
      LEFT JOIN sold ON sold.route_id = r.id
     ORDER BY seats_sold DESC, upcoming.upcoming_trips DESC, r.id
     LIMIT ${window.limit}`.execute(db);
  return rows;
}

export interface RouteEndRow {
  route_id: string;
  last_index: number;
  from_id: string;
  from_name: string;
  from_city: string;
  to_id: string;
  to_name: string;
  to_city: string;
}

/** The first and the last stop of each route. */
export async function findRouteEnds(db: Db, routeIds: readonly string[]): Promise<RouteEndRow[]> {
  if (routeIds.length === 0) return [];
  const { rows } = await sql<RouteEndRow>`
    SELECT b.route_id, b.last_index,
           f.id AS from_id, f.name AS from_name, f.city AS from_city,
           t.id AS to_id, t.name AS to_name, t.city AS to_city
      FROM (SELECT route_id, min(stop_index) AS first_index, max(stop_index) AS last_index
              FROM route_stops WHERE route_id = ANY(${routeIds}::text[]) GROUP BY route_id) b
      JOIN route_stops rf ON rf.route_id = b.route_id AND rf.stop_index = b.first_index
      JOIN route_stops rt ON rt.route_id = b.route_id AND rt.stop_index = b.last_index
      JOIN stops f ON f.id = rf.stop_id
      JOIN stops t ON t.id = rt.stop_id`.execute(db);
  return rows;
}

export interface UpcomingDepartureRow {
  trip_id: string;
  route_id: string;
  layout_id: string;
  departs_at: Date;
  arrives_at: Date;
  timezone: string;
  last_index: number;
}

/** The next `perRoute` scheduled trips of each route, leaving their first stop after `now`. */
export async function findNextDepartures(
  db: Db,
  routeIds: readonly string[],
  now: Date,
  perRoute: number,
): Promise<UpcomingDepartureRow[]> {
  if (routeIds.length === 0) return [];
  const { rows } = await sql<UpcomingDepartureRow>`
    SELECT n.trip_id, n.route_id, n.layout_id, f.departs_at, l.arrives_at, s.timezone, l.stop_index AS last_index
      FROM (SELECT t.id AS trip_id, t.route_id, t.layout_id, t.departs_at,
                   row_number() OVER (PARTITION BY t.route_id ORDER BY t.departs_at, t.id) AS position
              FROM trips t
             WHERE t.route_id = ANY(${routeIds}::text[]) AND t.status = 'scheduled' AND t.departs_at > ${now}) n
      JOIN LATERAL (SELECT * FROM trip_stops WHERE trip_id = n.trip_id ORDER BY stop_index LIMIT 1) f ON true
      JOIN LATERAL (SELECT * FROM trip_stops WHERE trip_id = n.trip_id ORDER BY stop_index DESC LIMIT 1) l ON true
      JOIN stops s ON s.id = f.stop_id
     WHERE n.position <= ${perRoute}
     ORDER BY n.route_id, f.departs_at`.execute(db);
  return rows;
}
