import { sql, type Insertable, type Transaction, type Updateable } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, EventRow, EventsTable, EventStatus } from '../db/schema.js';

type Executor = Db | Transaction<Database>;

/** An event with what the admin API shows next to it: its organizer's currency and its layout's size. */
export interface EventWithLayout extends EventRow {
  currency: string;
  seat_count: number;
  ga_capacity: number;
}

function selectEvents(db: Executor) {
  return db
    .selectFrom('events')
    .innerJoin('organizers', 'organizers.id', 'events.organizer_id')
    .innerJoin('seat_layouts', 'seat_layouts.id', 'events.layout_id')
    .selectAll('events')
    .select(['organizers.currency', 'seat_layouts.seat_count', 'seat_layouts.ga_capacity']);
}

export function findEvent(db: Executor, id: string): Promise<EventWithLayout | undefined> {
  return selectEvents(db).where('events.id', '=', id).executeTakeFirst();
}

export function listEvents(
  db: Executor,
  filter: { organizerId?: string; venueId?: string; status?: EventStatus; limit: number; offset: number },
): Promise<EventWithLayout[]> {
  let query = selectEvents(db);
  if (filter.organizerId !== undefined) query = query.where('events.organizer_id', '=', filter.organizerId);
  if (filter.venueId !== undefined) query = query.where('events.venue_id', '=', filter.venueId);
  if (filter.status !== undefined) query = query.where('events.status', '=', filter.status);
  return query.orderBy('events.starts_at').orderBy('events.id').limit(filter.limit).offset(filter.offset).execute();
}

/** Prices of the given events: event id → category → amount in minor units. */
export async function findEventPrices(db: Executor, eventIds: string[]): Promise<Map<string, Record<string, number>>> {
  const prices = new Map<string, Record<string, number>>(eventIds.map((id) => [id, {}]));
  if (eventIds.length === 0) return prices;
  const rows = await db
    .selectFrom('event_prices')
    .select(['event_id', 'category', 'amount'])
    .where('event_id', 'in', eventIds)
    .orderBy('category')
    .execute();
  for (const row of rows) prices.get(row.event_id)![row.category] = row.amount;
  return prices;
}

/** Locks the event row for the rest of the transaction. */
export function lockEvent(trx: Transaction<Database>, id: string): Promise<EventRow | undefined> {
  return trx.selectFrom('events').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function insertEvent(trx: Transaction<Database>, event: Insertable<EventsTable>): Promise<void> {
  await trx.insertInto('events').values(event).execute();
}

export async function updateEvent(
  trx: Transaction<Database>,
  id: string,
  changes: Updateable<EventsTable>,
): Promise<void> {
  await trx
    .updateTable('events')
    .set({ ...changes, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Sets the given prices (inserting new categories, overwriting known ones); other categories keep theirs. */
export async function upsertEventPrices(
  trx: Transaction<Database>,
  eventId: string,
  prices: Record<string, number>,
): Promise<void> {
  const rows = Object.entries(prices).map(([category, amount]) => ({ event_id: eventId, category, amount }));
  if (rows.length === 0) return;
  await trx
    .insertInto('event_prices')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['event_id', 'category']).doUpdateSet((eb) => ({ amount: eb.ref('excluded.amount') })),
    )
    .execute();
}

/** One general-admission counter per area: the event's own copy of the capacity, with nothing sold yet. */
export async function insertGaInventory(
  trx: Transaction<Database>,
  eventId: string,
  areas: { id: string; capacity: number }[],
): Promise<void> {
  if (areas.length === 0) return;
  await trx
    .insertInto('ga_inventory')
    .values(areas.map((area) => ({ inventory_id: eventId, area_id: area.id, capacity: area.capacity })))
    .execute();
}

/** Seats and GA places sold (confirmed) for an event: an event with sales cannot be deleted. */
export async function countEventSales(
  trx: Transaction<Database>,
  eventId: string,
): Promise<{ seats: number; ga: number }> {
  const seats = await trx
    .selectFrom('seat_sales')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('inventory_kind', '=', 'event')
    .where('inventory_id', '=', eventId)
    .where('status', '=', 'confirmed')
    .executeTakeFirstOrThrow();
  const ga = await trx
    .selectFrom('ga_inventory')
    .select(sql<number>`coalesce(sum(sold), 0)`.as('sold'))
    .where('inventory_id', '=', eventId)
    .executeTakeFirstOrThrow();
  return { seats: Number(seats.count), ga: Number(ga.sold) };
}

/** Deletes an event with its prices (cascade) and its GA counters (keyed by inventory id, no foreign key). */
export async function deleteEvent(trx: Transaction<Database>, eventId: string): Promise<void> {
  await trx.deleteFrom('ga_inventory').where('inventory_id', '=', eventId).execute();
  await trx.deleteFrom('events').where('id', '=', eventId).execute();
}
