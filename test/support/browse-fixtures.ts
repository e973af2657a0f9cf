import type { LayoutDocument, RowDoc } from '../../src/catalog/layout.model.js';
import type { Db } from '../../src/db/client.js';
import type { EventStatus, TripStatus } from '../../src/db/schema.js';
import { newId } from '../../src/shared/ids.js';
import type { Fare } from '../../src/transport/fare-quote.js';
import { createLayout, seatIdsOf } from './fixtures.js';

/**
 * Richer catalog data for the browse tests: events in several cities and time zones, series of show
 * times, stops, routes and several trips on one route. Rows are inserted directly; every id is fresh.
 */

export interface VenueFixture {
  venueId: string;
  layoutId: string;
  seatIds: string[];
  gaAreaIds: string[];
}

export async function createVenue(
  db: Db,
  organizerId: string,
  venue: { name: string; city: string; timezone: string; layout: LayoutDocument },
): Promise<VenueFixture> {
  const layout = await createLayout(db, organizerId, venue.layout);
  const venueId = newId('venue');
  await db
    .insertInto('venues')
    .values({
      id: venueId,
      organizer_id: organizerId,
      name: venue.name,
      city: venue.city,
      address: `1 ${venue.name} Road`,
      timezone: venue.timezone,
      layout_id: layout.id,
    })
    .execute();
  const areas = await db.selectFrom('layout_ga_areas').select('id').where('layout_id', '=', layout.id).execute();
  return {
    venueId,
    layoutId: layout.id,
    seatIds: await seatIdsOf(db, layout.id),
    gaAreaIds: areas.map((area) => area.id),
  };
}

export interface EventSpec {
  organizerId: string;
  venue: VenueFixture;
  title: string;
  seriesKey?: string;
  description?: string;
  category?: string;
  language?: string;
  imageUrl?: string;
  startsAt: Date | string;
  minutes?: number;
  status?: EventStatus;
  prices?: Record<string, number>;
}

/** An event with prices and its general-admission inventory; on sale unless told otherwise. */
export async function createEvent(db: Db, spec: EventSpec): Promise<string> {
  const id = newId('event');
  const startsAt = new Date(spec.startsAt);
  await db
    .insertInto('events')
    .values({
      id,
      organizer_id: spec.organizerId,
      venue_id: spec.venue.venueId,
      layout_id: spec.venue.layoutId,
      series_key: spec.seriesKey ?? `${spec.organizerId}.${spec.title.toLowerCase().replace(/\W+/g, '-')}`,
      title: spec.title,
      description: spec.description ?? '',
      category: spec.category ?? 'movie',
      language: spec.language ?? 'English',
      image_url: spec.imageUrl ?? null,
      starts_at: startsAt,
      ends_at: new Date(startsAt.getTime() + (spec.minutes ?? 120) * 60_000),
      status: spec.status ?? 'on_sale',
    })
    .execute();
  const prices = Object.entries(spec.prices ?? { A: 50000, B: 30000 });
  if (prices.length > 0) {
    await db
      .insertInto('event_prices')
      .values(prices.map(([category, amount]) => ({ event_id: id, category, amount })))
      .execute();
  }
  const areas = await db
    .selectFrom('layout_ga_areas')
    .select(['id', 'capacity'])
    .where('layout_id', '=', spec.venue.layoutId)
    .execute();
  if (areas.length > 0) {
    await db
      .insertInto('ga_inventory')
      .values(areas.map((area) => ({ inventory_id: id, area_id: area.id, capacity: area.capacity })))
      .execute();
  }
  return id;
}

/** A bus with rows of four seats: the first `businessRows` rows are class BUSINESS, the rest ECONOMY. */
export function busLayout(rows: number, businessRows: number, options: { blockedSeats?: number } = {}): LayoutDocument {
  let blockedLeft = options.blockedSeats ?? 0;
  const rowDocs: RowDoc[] = Array.from({ length: rows }, (_, r) => ({
    name: String(r + 1),
    seats: ['A', 'B', 'C', 'D'].map((letter, s) => {
      const blocked = r === rows - 1 && blockedLeft-- > 0;
      return {
        label: `${r + 1}${letter}`,
        category: r < businessRows ? 'BUSINESS' : 'ECONOMY',
        x: s * 10,
        y: r * 10,
        deck: r < rows / 2 ? 1 : 2,
        ...(blocked ? { flags: ['blocked' as const] } : {}),
      };
    }),
  }));
  return { name: 'Coach 2+2', kind: 'vehicle', vehicleType: 'bus', sections: [{ name: 'Coach', rows: rowDocs }] };
}

export async function createStop(
  db: Db,
  organizerId: string,
  stop: { code: string; name: string; city: string; timezone?: string },
): Promise<string> {
  const id = newId('stop');
  await db
    .insertInto('stops')
    .values({ id, organizer_id: organizerId, timezone: 'Asia/Dhaka', ...stop })
    .execute();
  return id;
}

export interface RouteSpec {
  organizerId: string;
  code: string;
  name: string;
  mode?: 'bus' | 'train';
  layoutId: string;
  stopIds: string[];
  /** Minutes from departure at the first stop to arrival at each stop. */
  arrivalOffsets: number[];
  /** Minutes a vehicle waits at each intermediate stop. */
  dwellMinutes?: number;
}

export async function createRoute(db: Db, spec: RouteSpec): Promise<string> {
  const id = newId('route');
  await db
    .insertInto('routes')
    .values({
      id,
      organizer_id: spec.organizerId,
      code: spec.code,
      name: spec.name,
      mode: spec.mode ?? 'bus',
      default_layout_id: spec.layoutId,
    })
    .execute();
  await db
    .insertInto('route_stops')
    .values(
      spec.stopIds.map((stopId, index) => ({
        route_id: id,
        stop_index: index,
        stop_id: stopId,
        arrive_offset_min: spec.arrivalOffsets[index]!,
        depart_offset_min: spec.arrivalOffsets[index]! + dwellOf(spec, index),
      })),
    )
    .execute();
  return id;
}

function dwellOf(spec: RouteSpec, index: number): number {
  return index === 0 || index === spec.stopIds.length - 1 ? 0 : (spec.dwellMinutes ?? 5);
}

/** One departure of a route: trip stop times follow the route's offsets from `departsAt`. */
export async function createScheduledTrip(
  db: Db,
  route: RouteSpec & { routeId: string },
  departsAt: Date | string,
  options: { status?: TripStatus; layoutId?: string } = {},
): Promise<string> {
  const id = newId('trip');
  const departure = new Date(departsAt);
  const at = (minutes: number) => new Date(departure.getTime() + minutes * 60_000);
  await db
    .insertInto('trips')
    .values({
      id,
      organizer_id: route.organizerId,
      route_id: route.routeId,
      layout_id: options.layoutId ?? route.layoutId,
      service_date: departure.toISOString().slice(0, 10),
      departs_at: departure,
      status: options.status ?? 'scheduled',
    })
    .execute();
  await db
    .insertInto('trip_stops')
    .values(
      route.stopIds.map((stopId, index) => ({
        trip_id: id,
        stop_index: index,
        stop_id: stopId,
        arrives_at: at(route.arrivalOffsets[index]!),
        departs_at: at(route.arrivalOffsets[index]! + dwellOf(route, index)),
      })),
    )
    .execute();
  return id;
}

export async function createFares(db: Db, routeId: string, fares: Fare[]): Promise<void> {
  await db
    .insertInto('fares')
    .values(
      fares.map((fare) => ({
        id: newId('fare'),
        route_id: routeId,
        from_index: fare.fromIndex,
        to_index: fare.toIndex,
        seat_class: fare.seatClass,
        amount: fare.amount,
      })),
    )
    .execute();
}

/** A date `days` from today (UTC) as YYYY-MM-DD. */
export function isoDatePlus(days: number, from = new Date()): string {
  return new Date(from.getTime() + days * 86400_000).toISOString().slice(0, 10);
}
