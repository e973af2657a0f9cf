import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, VenueRow } from '../db/schema.js';

type Executor = Db | Transaction<Database>;

/** A venue with the size of its current layout (0 seats without one). */
export interface VenueWithLayout extends VenueRow {
  seat_count: number;
  ga_capacity: number;
}

function selectVenues(db: Executor) {
  return db
    .selectFrom('venues')
    .leftJoin('seat_layouts', 'seat_layouts.id', 'venues.layout_id')
    .selectAll('venues')
    .select([
      sql<number>`coalesce(seat_layouts.seat_count, 0)`.as('seat_count'),
      sql<number>`coalesce(seat_layouts.ga_capacity, 0)`.as('ga_capacity'),
    ]);
}

export function findVenue(db: Executor, id: string): Promise<VenueWithLayout | undefined> {
  return selectVenues(db).where('venues.id', '=', id).executeTakeFirst();
}

export function listVenues(
  db: Executor,
  filter: { organizerId?: string; city?: string; limit: number; offset: number },
): Promise<VenueWithLayout[]> {
  let query = selectVenues(db);
  if (filter.organizerId !== undefined) query = query.where('venues.organizer_id', '=', filter.organizerId);
  if (filter.city !== undefined) query = query.where(sql`lower(venues.city)`, '=', filter.city.toLowerCase());
  return query.orderBy('venues.name').orderBy('venues.id').limit(filter.limit).offset(filter.offset).execute();
}

export async function insertVenue(
  db: Executor,
  venue: { id: string; organizerId: string; name: string; city: string; address: string; timezone: string },
): Promise<void> {
  await db
    .insertInto('venues')
    .values({
      id: venue.id,
      organizer_id: venue.organizerId,
      name: venue.name,
      city: venue.city,
      address: venue.address,
      timezone: venue.timezone,
      layout_id: null,
    })
    .execute();
}

/** Locks the venue row for the rest of the transaction. */
export function lockVenue(trx: Transaction<Database>, id: string): Promise<VenueRow | undefined> {
  return trx.selectFrom('venues').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function updateVenue(
  trx: Transaction<Database>,
  id: string,
  changes: { name?: string; city?: string; address?: string; timezone?: string; layout_id?: string },
): Promise<void> {
  await trx
    .updateTable('venues')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteVenue(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('venues').where('id', '=', id).execute();
}

export async function countVenueEvents(db: Executor, id: string): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('venue_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
