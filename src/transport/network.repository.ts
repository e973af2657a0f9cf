import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { RouteRow, RouteStopsTable, RoutesTable, StopRow, StopsTable } from '../db/schema.js';

/** SQL for the transport network: stops, routes and the ordered stops of each route. */

export function findOrganizer(db: Db, organizerId: string) {
  return db
    .selectFrom('organizers')
    .select(['id', 'currency', 'timezone'])
    .where('id', '=', organizerId)
    .executeTakeFirst();
}

// ── Stops ────────────────────────────────────────────────────────────────────────────────────────────

export function insertStop(db: Db, stop: Insertable<StopsTable>): Promise<StopRow> {
  return db.insertInto('stops').values(stop).returningAll().executeTakeFirstOrThrow();
}

export function findStop(db: Db, stopId: string): Promise<StopRow | undefined> {
  return db.selectFrom('stops').selectAll().where('id', '=', stopId).executeTakeFirst();
}

export function findStopByCode(db: Db, organizerId: string, code: string): Promise<StopRow | undefined> {
  return db
    .selectFrom('stops')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export function findStopsByIds(db: Db, stopIds: readonly string[]): Promise<StopRow[]> {
  if (stopIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('stops')
    .selectAll()
    .where('id', 'in', [...stopIds])
    .execute();
}

export function listStopsOfOrganizer(db: Db, organizerId: string): Promise<StopRow[]> {
  return db.selectFrom('stops').selectAll().where('organizer_id', '=', organizerId).orderBy('code').execute();
}

export function updateStop(db: Db, stopId: string, changes: Updateable<StopsTable>): Promise<StopRow | undefined> {
  return db.updateTable('stops').set(changes).where('id', '=', stopId).returningAll().executeTakeFirst();
}

export async function deleteStop(db: Db, stopId: string): Promise<boolean> {
  const result = await db.deleteFrom('stops').where('id', '=', stopId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function isStopOnAnyRoute(db: Db, stopId: string): Promise<boolean> {
  const row = await db
    .selectFrom('route_stops')
    .select('route_id')
    .where('stop_id', '=', stopId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ── Routes ───────────────────────────────────────────────────────────────────────────────────────────

export interface RouteStopRow {
  route_id: string;
  stop_index: number;
  stop_id: string;
  arrive_offset_min: number;
  depart_offset_min: number;
  code: string;
  name: string;
  timezone: string;
}

export function insertRoute(db: Db, route: Insertable<RoutesTable>): Promise<RouteRow> {
  return db.insertInto('routes').values(route).returningAll().executeTakeFirstOrThrow();
}

export function findRoute(db: Db, routeId: string): Promise<RouteRow | undefined> {
  return db.selectFrom('routes').selectAll().where('id', '=', routeId).executeTakeFirst();
}

/**
 * Reads a route and locks it: `update` while its stops change or it is deleted, `share` while trips or
 * fares are written against its stop indexes. The two modes conflict, so neither sees a half-changed route.
 */
export function lockRoute(db: Db, routeId: string, mode: 'update' | 'share'): Promise<RouteRow | undefined> {
  const query = db.selectFrom('routes').selectAll().where('id', '=', routeId);
  return (mode === 'update' ? query.forUpdate() : query.forShare()).executeTakeFirst();
}

export function findRouteByCode(db: Db, organizerId: string, code: string): Promise<RouteRow | undefined> {
  return db
    .selectFrom('routes')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    .where('code', '=', code)
    .executeTakeFirst();
}

export function listRoutesOfOrganizer(db: Db, organizerId: string): Promise<RouteRow[]> {
  return db.selectFrom('routes').selectAll().where('organizer_id', '=', organizerId).orderBy('code').execute();
}

/** The stops of some routes in order, with each stop's code, name and time zone. */
export function listRouteStops(db: Db, routeIds: readonly string[]): Promise<RouteStopRow[]> {
  if (routeIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('route_stops')
    .innerJoin('stops', 'stops.id', 'route_stops.stop_id')
    .select([
      'route_stops.route_id',
      'route_stops.stop_index',
      'route_stops.stop_id',
      'route_stops.arrive_offset_min',
      'route_stops.depart_offset_min',
      'stops.code',
      'stops.name',
      'stops.timezone',
    ])
    .where('route_stops.route_id', 'in', [...routeIds])
    .orderBy('route_stops.route_id')
    .orderBy('route_stops.stop_index')
    .execute();
}

export async function replaceRouteStops(
  db: Db,
  routeId: string,
  stops: readonly Omit<Insertable<RouteStopsTable>, 'route_id'>[],
): Promise<void> {
  await db.deleteFrom('route_stops').where('route_id', '=', routeId).execute();
  await db
    .insertInto('route_stops')
    .values(stops.map((stop) => ({ ...stop, route_id: routeId })))
    .execute();
}

export function updateRoute(db: Db, routeId: string, changes: Updateable<RoutesTable>): Promise<RouteRow> {
  return db
    .updateTable('routes')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', routeId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteRoute(db: Db, routeId: string): Promise<void> {
  await db.deleteFrom('routes').where('id', '=', routeId).execute();
}

export async function routeHasTrips(db: Db, routeId: string): Promise<boolean> {
  const row = await db.selectFrom('trips').select('id').where('route_id', '=', routeId).limit(1).executeTakeFirst();
  return row !== undefined;
}
