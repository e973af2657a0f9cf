import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, NewOrganizer, OrganizerRow, OrganizerUpdate } from '../db/schema.js';

type Executor = Db | Transaction<Database>;

export function insertOrganizer(db: Executor, organizer: NewOrganizer): Promise<OrganizerRow> {
  return db.insertInto('organizers').values(organizer).returningAll().executeTakeFirstOrThrow();
}

export function findOrganizer(db: Executor, id: string): Promise<OrganizerRow | undefined> {
  return db.selectFrom('organizers').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the organizer row for the rest of the transaction (so no venue or event is added meanwhile). */
export function lockOrganizer(trx: Transaction<Database>, id: string): Promise<OrganizerRow | undefined> {
  return trx.selectFrom('organizers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function slugTaken(db: Executor, slug: string): Promise<boolean> {
  const row = await db.selectFrom('organizers').select('id').where('slug', '=', slug).executeTakeFirst();
  return row !== undefined;
}

/** Organizers by name; only the one with `id` when given. */
export function listOrganizers(
  db: Executor,
  page: { limit: number; offset: number; id?: string | undefined },
): Promise<OrganizerRow[]> {
  let query = db.selectFrom('organizers').selectAll();
  if (page.id !== undefined) query = query.where('id', '=', page.id);
  return query.orderBy('name').orderBy('id').limit(page.limit).offset(page.offset).execute();
}

export function updateOrganizer(
  trx: Transaction<Database>,
  id: string,
  changes: OrganizerUpdate,
): Promise<OrganizerRow> {
  return trx
    .updateTable('organizers')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteOrganizer(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.deleteFrom('organizers').where('id', '=', id).execute();
}

export interface OrganizerUsage {
  venues: number;
  events: number;
  stops: number;
  routes: number;
  trips: number;
}

/** What still belongs to an organizer and stops it from being deleted. */
export async function countOrganizerUsage(db: Executor, id: string): Promise<OrganizerUsage> {
  const count = (table: 'venues' | 'events' | 'stops' | 'routes' | 'trips') =>
    db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('organizer_id', '=', id)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.count));
  // One at a time: the transaction has one connection.
  return {
    venues: await count('venues'),
    events: await count('events'),
    stops: await count('stops'),
    routes: await count('routes'),
    trips: await count('trips'),
  };
}
