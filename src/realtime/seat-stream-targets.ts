import { findVisibleEvent } from '../catalog/event-browse.repository.js';
import type { Db } from '../db/client.js';
import { EVENT_SEGMENT } from '../inventory/segments.js';
import { notFound } from '../shared/errors.js';
import { TtlCache } from '../shared/ttl-cache.js';
import { findTripCalls, findTripDetail } from '../transport/trip-search.repository.js';
import { resolveSegment } from '../transport/trip-search.service.js';
import type { SeatStreamTarget } from './seat-stream.service.js';

interface TripShape {
  layoutId: string;
  calls: { stop_id: string }[];
}

/**
 * Which live seat map a request asks for, under the same read rules as the seat-map endpoints (an event
 * that is not a draft; any trip). Cached for a second: at an on-sale thousands of buyers open the same
 * event's stream at once, and each would otherwise cost a read.
 */
export class SeatStreamTargets {
  private readonly events = new TtlCache<string | null>(1000, 5000);
  private readonly trips = new TtlCache<TripShape | null>(1000, 5000);

  constructor(private readonly db: Db) {}

  async event(eventId: string): Promise<SeatStreamTarget> {
    const layoutId = await this.events.getOrLoad(eventId, async () => {
      const event = await findVisibleEvent(this.db, eventId);
      return event?.layout_id ?? null;
    });
    if (!layoutId) throw notFound('Event', eventId);
    return { inventory: { kind: 'event', id: eventId }, segment: EVENT_SEGMENT, layoutId };
  }

  async trip(tripId: string, query: { from?: string; to?: string }): Promise<SeatStreamTarget> {
    const trip = await this.trips.getOrLoad(tripId, async () => {
      const detail = await findTripDetail(this.db, tripId);
      if (!detail) return null;
      return { layoutId: detail.layout_id, calls: await findTripCalls(this.db, tripId) };
    });
    if (!trip) throw notFound('Trip', tripId);
    return {
      inventory: { kind: 'trip', id: tripId },
      segment: resolveSegment(trip.calls, query),
      layoutId: trip.layoutId,
    };
  }
}
