import type { Db } from '../db/client.js';
import type { LayoutRow } from '../db/schema.js';

/** SQL for vehicle seat layouts beyond what catalog/layout.repository.ts offers for every layout. */

export function listVehicleLayoutsOfOrganizer(db: Db, organizerId: string): Promise<LayoutRow[]> {
  return db
    .selectFrom('seat_layouts')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    .where('kind', '=', 'vehicle')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** Seats per seat class of some layouts, classes in the order their first seat appears in the layout. */
export function countSeatsByClass(db: Db, layoutIds: readonly string[]) {
  if (layoutIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('layout_seats')
    .select(['layout_id', 'category'])
    .select((eb) => [eb.fn.countAll<number>().as('seat_count'), eb.fn.min('ordinal').as('first_ordinal')])
    .where('layout_id', 'in', [...layoutIds])
    .groupBy(['layout_id', 'category'])
    .orderBy('layout_id')
    .orderBy('first_ordinal')
    .execute();
}
