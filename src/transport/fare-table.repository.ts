import type { Insertable } from 'kysely';
import type { Db } from '../db/client.js';
import type { FareRow, FaresTable } from '../db/schema.js';

/** SQL for a route's origin–destination fares, stored by stop index (from_index < to_index). */

export interface FareView extends FareRow {
  from_stop_id: string;
  to_stop_id: string;
  currency: string;
}

/** Inserts fares, or changes the amount of a fare that exists for the same stops and seat class. */
export async function upsertFares(db: Db, fares: readonly Insertable<FaresTable>[]): Promise<void> {
  const CHUNK = 1000;
  for (let i = 0; i < fares.length; i += CHUNK) {
    await db
      .insertInto('fares')
      .values(fares.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns(['route_id', 'from_index', 'to_index', 'seat_class']).doUpdateSet((eb) => ({
          amount: eb.ref('excluded.amount'),
        })),
      )
      .execute();
  }
}

/** A route's fares with the stop ids at their indexes and the organizer's currency. */
export function listFaresOfRoute(db: Db, routeId: string): Promise<FareView[]> {
  return db
    .selectFrom('fares')
    .innerJoin('routes', 'routes.id', 'fares.route_id')
    .innerJoin('organizers', 'organizers.id', 'routes.organizer_id')
    .innerJoin('route_stops as origin', (join) =>
      join.onRef('origin.route_id', '=', 'fares.route_id').onRef('origin.stop_index', '=', 'fares.from_index'),
    )
    .innerJoin('route_stops as destination', (join) =>
      join.onRef('destination.route_id', '=', 'fares.route_id').onRef('destination.stop_index', '=', 'fares.to_index'),
    )
    .selectAll('fares')
    .select(['origin.stop_id as from_stop_id', 'destination.stop_id as to_stop_id', 'organizers.currency'])
    .where('fares.route_id', '=', routeId)
    .orderBy('fares.seat_class')
    .orderBy('fares.from_index')
    .orderBy('fares.to_index')
    .execute();
}

export function listFareRowsOfRoute(db: Db, routeId: string): Promise<FareRow[]> {
  return db.selectFrom('fares').selectAll().where('route_id', '=', routeId).execute();
}

export async function deleteFaresOfRoute(db: Db, routeId: string): Promise<void> {
  await db.deleteFrom('fares').where('route_id', '=', routeId).execute();
}

export async function deleteFare(db: Db, routeId: string, fareId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('fares')
    .where('id', '=', fareId)
    .where('route_id', '=', routeId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
