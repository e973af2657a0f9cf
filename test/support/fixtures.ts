import type { Db } from '../../src/db/client.js';
import { insertLayout } from '../../src/catalog/layout.repository.js';
import type { LayoutDocument, RowDoc } from '../../src/catalog/layout.model.js';
import { newId } from '../../src/shared/ids.js';

/**
 * Builds catalog rows straight through the repositories, for tests that are about inventory rather than
 * about the admin API. Every id is fresh, so tests never collide.
 */
export async function createOrganizer(db: Db, overrides: { currency?: string; timezone?: string } = {}) {
  const id = newId('organizer');
  await db
    .insertInto('organizers')
    .values({
      id,
      name: `Organizer ${id}`,
      slug: id.replace('_', '-'),
      currency: overrides.currency ?? 'BDT',
      timezone: overrides.timezone ?? 'Asia/Dhaka',
    })
    .execute();
  return id;
}

/** A grid layout: `rows` rows of `seatsPerRow` seats in one section, category A for the first half, B after. */
export function gridLayout(rows: number, seatsPerRow: number, extra: Partial<LayoutDocument> = {}): LayoutDocument {
  const rowDocs: RowDoc[] = [];
  for (let r = 0; r < rows; r++) {
    rowDocs.push({
      name: String(r + 1),
      seats: Array.from({ length: seatsPerRow }, (_, s) => ({
        label: String(s + 1),
        category: r < rows / 2 ? 'A' : 'B',
        x: s * 10,
        y: r * 10,
      })),
    });
  }
  return { name: 'Grid', kind: 'venue', sections: [{ name: 'Main', rows: rowDocs }], ...extra };
}

export async function createLayout(db: Db, organizerId: string, layout: LayoutDocument) {
  return db.transaction().execute((trx) => insertLayout(trx, organizerId, layout));
}

export async function seatIdsOf(db: Db, layoutId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('layout_seats')
    .select('id')
    .where('layout_id', '=', layoutId)
    .orderBy('ordinal')
    .execute();
  return rows.map((row) => row.id);
}

export interface EventFixture {
  organizerId: string;
  venueId: string;
  layoutId: string;
  eventId: string;
  seatIds: string[];
  gaAreaIds: string[];
}

/** An on-sale event starting in a week at a venue with the given layout (a 10×10 grid by default). */
export async function createEventOnSale(
  db: Db,
  options: { layout?: LayoutDocument; holdTtlSeconds?: number; status?: 'draft' | 'on_sale' } = {},
): Promise<EventFixture> {
  const organizerId = await createOrganizer(db);
  const layout = await createLayout(db, organizerId, options.layout ?? gridLayout(10, 10));
  const venueId = newId('venue');
  await db
    .insertInto('venues')
    .values({
      id: venueId,
      organizer_id: organizerId,
      name: 'Test Hall',
      city: 'Dhaka',
      timezone: 'Asia/Dhaka',
      layout_id: layout.id,
    })
    .execute();
  const eventId = newId('event');
  const startsAt = new Date(Date.now() + 7 * 86400_000);
  await db
    .insertInto('events')
    .values({
      id: eventId,
      organizer_id: organizerId,
      venue_id: venueId,
      layout_id: layout.id,
      series_key: `${organizerId}.test-show`,
      title: 'Test Show',
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + 2 * 3600_000),
      status: options.status ?? 'on_sale',
      hold_ttl_seconds: options.holdTtlSeconds ?? null,
    })
    .execute();
  const areas = await db
    .selectFrom('layout_ga_areas')
    .select(['id', 'capacity'])
    .where('layout_id', '=', layout.id)
    .execute();
  if (areas.length > 0) {
    await db
      .insertInto('ga_inventory')
      .values(areas.map((area) => ({ inventory_id: eventId, area_id: area.id, capacity: area.capacity })))
      .execute();
  }
  return {
    organizerId,
    venueId,
    layoutId: layout.id,
    eventId,
    seatIds: await seatIdsOf(db, layout.id),
    gaAreaIds: areas.map((a) => a.id),
  };
}

export interface TripFixture {
  organizerId: string;
  routeId: string;
  tripId: string;
  layoutId: string;
  stopIds: string[];
  seatIds: string[];
}

/** A scheduled bus trip tomorrow over `stopCount` stops, one hour apart, with a small bus layout. */
export async function createTrip(
  db: Db,
  options: { stopCount?: number; seatRows?: number; holdTtlSeconds?: number } = {},
): Promise<TripFixture> {
  const stopCount = options.stopCount ?? 10;
  const organizerId = await createOrganizer(db);
  const layout = await createLayout(db, organizerId, {
    ...gridLayout(options.seatRows ?? 10, 4),
    name: 'Bus 2+2',
    kind: 'vehicle',
    vehicleType: 'bus',
  });
  const stopIds: string[] = [];
  for (let i = 0; i < stopCount; i++) {
    const id = newId('stop');
    stopIds.push(id);
    await db
      .insertInto('stops')
      .values({
        id,
        organizer_id: organizerId,
        code: `S${i}`,
        name: `Stop ${i}`,
        city: `City ${i}`,
        timezone: 'Asia/Dhaka',
      })
      .execute();
  }
  const routeId = newId('route');
  await db
    .insertInto('routes')
    .values({
      id: routeId,
      organizer_id: organizerId,
      code: 'R1',
      name: 'Test route',
      mode: 'bus',
      default_layout_id: layout.id,
    })
    .execute();
  await db
    .insertInto('route_stops')
    .values(
      stopIds.map((stopId, i) => ({
        route_id: routeId,
        stop_index: i,
        stop_id: stopId,
        arrive_offset_min: i * 60,
        depart_offset_min: i * 60 + (i === 0 ? 0 : 5),
      })),
    )
    .execute();
  const tripId = newId('trip');
  const departsAt = new Date(Date.now() + 86400_000);
  await db
    .insertInto('trips')
    .values({
      id: tripId,
      organizer_id: organizerId,
      route_id: routeId,
      layout_id: layout.id,
      service_date: departsAt.toISOString().slice(0, 10),
      departs_at: departsAt,
      hold_ttl_seconds: options.holdTtlSeconds ?? null,
    })
    .execute();
  await db
    .insertInto('trip_stops')
    .values(
      stopIds.map((stopId, i) => ({
        trip_id: tripId,
        stop_index: i,
        stop_id: stopId,
        arrives_at: new Date(departsAt.getTime() + i * 3600_000),
        departs_at: new Date(departsAt.getTime() + i * 3600_000 + (i === 0 ? 0 : 5 * 60_000)),
      })),
    )
    .execute();
  return { organizerId, routeId, tripId, layoutId: layout.id, stopIds, seatIds: await seatIdsOf(db, layout.id) };
}
