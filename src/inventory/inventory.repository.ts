import type { Db } from '../db/client.js';
import type { EventStatus, TripStatus } from '../db/schema.js';

/** Catalog reads the inventory needs to decide whether something may be held. */
export interface SellableEvent {
  id: string;
  organizerId: string;
  layoutId: string;
  status: EventStatus;
  startsAt: Date;
  saleStartsAt: Date | null;
  saleEndsAt: Date | null;
  holdTtlSeconds: number | null;
}

export async function findSellableEvent(db: Db, eventId: string): Promise<SellableEvent | null> {
  const row = await db
    .selectFrom('events')
    .select([
      'id',
      'organizer_id',
      'layout_id',
      'status',
      'starts_at',
      'sale_starts_at',
      'sale_ends_at',
      'hold_ttl_seconds',
    ])
    .where('id', '=', eventId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    organizerId: row.organizer_id,
    layoutId: row.layout_id,
    status: row.status,
    startsAt: row.starts_at,
    saleStartsAt: row.sale_starts_at,
    saleEndsAt: row.sale_ends_at,
    holdTtlSeconds: row.hold_ttl_seconds,
  };
}

export interface SellableTrip {
  id: string;
  organizerId: string;
  layoutId: string;
  status: TripStatus;
  holdTtlSeconds: number | null;
  /** Stops in order: index, stop id and departure time there. */
  stops: { index: number; stopId: string; departsAt: Date; arrivesAt: Date }[];
}

export async function findSellableTrip(db: Db, tripId: string): Promise<SellableTrip | null> {
  const trip = await db
    .selectFrom('trips')
    .select(['id', 'organizer_id', 'layout_id', 'status', 'hold_ttl_seconds'])
    .where('id', '=', tripId)
    .executeTakeFirst();
  if (!trip) return null;
  const stops = await db
    .selectFrom('trip_stops')
    .select(['stop_index', 'stop_id', 'departs_at', 'arrives_at'])
    .where('trip_id', '=', tripId)
    .orderBy('stop_index')
    .execute();
  return {
    id: trip.id,
    organizerId: trip.organizer_id,
    layoutId: trip.layout_id,
    status: trip.status,
    holdTtlSeconds: trip.hold_ttl_seconds,
    stops: stops.map((s) => ({
      index: s.stop_index,
      stopId: s.stop_id,
      departsAt: s.departs_at,
      arrivesAt: s.arrives_at,
    })),
  };
}

export interface LayoutSeatIndex {
  /** seat id → blocked? */
  seats: Map<string, { blocked: boolean; label: string; category: string }>;
  seatCount: number;
}

/** Every seat of a layout. Layouts are immutable once created, so callers may cache this. */
export async function loadLayoutSeatIndex(db: Db, layoutId: string): Promise<LayoutSeatIndex> {
  const rows = await db
    .selectFrom('layout_seats')
    .select(['id', 'flags', 'label', 'category'])
    .where('layout_id', '=', layoutId)
    .execute();
  const seats = new Map<string, { blocked: boolean; label: string; category: string }>();
  for (const row of rows) {
    seats.set(row.id, { blocked: row.flags.includes('blocked'), label: row.label, category: row.category });
  }
  return { seats, seatCount: rows.length };
}

/** GA areas of an event with their capacity for that event. */
export async function findGaCapacities(db: Db, inventoryId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('ga_inventory')
    .select(['area_id', 'capacity'])
    .where('inventory_id', '=', inventoryId)
    .execute();
  return new Map(rows.map((row) => [row.area_id, row.capacity]));
}
