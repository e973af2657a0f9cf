import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { TripRow, TripStopsTable, TripsTable } from '../db/schema.js';

/** SQL for trips (one departure of a route) and their scheduled times at every stop. */

export interface TripListRow extends TripRow {
  arrives_at: Date | null;
}

export interface TripStopView {
  stop_index: number;
  stop_id: string;
  code: string;
  name: string;
  arrives_at: Date;
  departs_at: Date;
}

const CHUNK = 1000; // rows per INSERT, far below PostgreSQL's 65,535 parameters

/**
 * Inserts trips, skipping any whose route already departs at that instant (the unique key
 * (route_id, departs_at)); returns the trips actually inserted.
 */
export async function insertTripsUnlessScheduled(
  db: Db,
  trips: readonly Insertable<TripsTable>[],
): Promise<{ id: string; departs_at: Date }[]> {
  const inserted: { id: string; departs_at: Date }[] = [];
  for (let i = 0; i < trips.length; i += CHUNK) {
    inserted.push(
      ...(await db
        .insertInto('trips')
        .values(trips.slice(i, i + CHUNK))
        .onConflict((oc) => oc.columns(['route_id', 'departs_at']).doNothing())
        .returning(['id', 'departs_at'])
        .execute()),
    );
  }
  return inserted;
}

export async function insertTripStops(db: Db, stops: readonly Insertable<TripStopsTable>[]): Promise<void> {
  for (let i = 0; i < stops.length; i += CHUNK) {
    await db
      .insertInto('trip_stops')
      .values(stops.slice(i, i + CHUNK))
      .execute();
  }
}

export function findTrip(db: Db, tripId: string): Promise<TripRow | undefined> {
  return db.selectFrom('trips').selectAll().where('id', '=', tripId).executeTakeFirst();
}

export function lockTrip(db: Db, tripId: string): Promise<TripRow | undefined> {
  return db.selectFrom('trips').selectAll().where('id', '=', tripId).forUpdate().executeTakeFirst();
}

export function findTripByDeparture(db: Db, routeId: string, departsAt: Date): Promise<TripRow | undefined> {
  return db
    .selectFrom('trips')
    .selectAll()
    .where('route_id', '=', routeId)
    .where('departs_at', '=', departsAt)
    .executeTakeFirst();
}

/** A route's trips departing within [from, to], by departure. */
export function listTripDeparturesBetween(db: Db, routeId: string, from: Date, to: Date) {
  return db
    .selectFrom('trips')
    .select(['id', 'departs_at'])
    .where('route_id', '=', routeId)
    .where('departs_at', '>=', from)
    .where('departs_at', '<=', to)
    .orderBy('departs_at')
    .execute();
}

/** A route's trips by departure, optionally of one service date, with the arrival at the last stop. */
export function listTripsOfRoute(
  db: Db,
  filter: { routeId: string; serviceDate?: string | undefined; limit: number; offset: number },
): Promise<TripListRow[]> {
  let query = db
    .selectFrom('trips')
    .selectAll('trips')
    .select((eb) =>
      eb
        .selectFrom('trip_stops')
        .select('trip_stops.arrives_at')
        .whereRef('trip_stops.trip_id', '=', 'trips.id')
        .orderBy('trip_stops.stop_index', 'desc')
        .limit(1)
        .as('arrives_at'),
    )
    .where('trips.route_id', '=', filter.routeId);
  if (filter.serviceDate !== undefined) query = query.where('trips.service_date', '=', filter.serviceDate);
  return query.orderBy('trips.departs_at').limit(filter.limit).offset(filter.offset).execute();
}

export function listTripStops(db: Db, tripId: string): Promise<TripStopView[]> {
  return db
    .selectFrom('trip_stops')
    .innerJoin('stops', 'stops.id', 'trip_stops.stop_id')
    .select([
      'trip_stops.stop_index',
      'trip_stops.stop_id',
      'stops.code',
      'stops.name',
      'trip_stops.arrives_at',
      'trip_stops.departs_at',
    ])
    .where('trip_stops.trip_id', '=', tripId)
    .orderBy('trip_stops.stop_index')
    .execute();
}

export function updateTrip(db: Db, tripId: string, changes: Updateable<TripsTable>): Promise<TripRow> {
  return db
    .updateTable('trips')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', tripId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTrip(db: Db, tripId: string): Promise<void> {
  await db.deleteFrom('trips').where('id', '=', tripId).execute();
}

/** True when any seat of the trip was ever sold (confirmed or since cancelled): its history must stay. */
export async function tripHasSales(db: Db, tripId: string): Promise<boolean> {
  const row = await db
    .selectFrom('seat_sales')
    .select('id')
    .where('inventory_kind', '=', 'trip')
    .where('inventory_id', '=', tripId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
