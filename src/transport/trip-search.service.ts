import {
  presentGaAreas,
  renderSeats,
  type LiveSeatMap,
  type PreparedSeatMap,
  type SeatCounts,
  type SeatMapCache,
} from '../catalog/seat-map.js';
import type { Db } from '../db/client.js';
import type { HoldStore } from '../inventory/hold-store.js';
import { findGaCapacities } from '../inventory/inventory.repository.js';
import type { Segment } from '../inventory/segments.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import { quoteFares, type Fare } from './fare-quote.js';
import {
  findNextDepartures,
  findPopularRoutes,
  findRouteEnds,
  findRouteFares,
  findStopsWithLocalDay,
  findTripCalls,
  findTripCandidates,
  findTripDetail,
  type TripCallRow,
  type TripCandidateRow,
} from './trip-search.repository.js';
import {
  MAX_SEARCH_RESULTS,
  type PopularRoutesQuery,
  type TripSearchQuery,
  type TripSeatsQuery,
} from './trip-search.schemas.js';

/** Popular routes: sales counted over this many past days, departures looked for this many days ahead. */
const POPULAR_ROUTE_SALES_DAYS = 30;
const POPULAR_ROUTE_HORIZON_DAYS = 14;
const DEPARTURES_PER_POPULAR_ROUTE = 3;

interface TripSearchDeps {
  db: Db;
  holdStore: HoldStore;
  clock: Clock;
  seatMaps: SeatMapCache;
}

export interface FareQuoteView {
  seatClass: string;
  amount: number;
}

export interface TripSearchItem {
  tripId: string;
  routeId: string;
  routeName: string;
  mode: TripCandidateRow['mode'];
  vehicleType: TripCandidateRow['vehicle_type'];
  departsAt: string;
  arrivesAt: string;
  durationMinutes: number;
  fromTimezone: string;
  toTimezone: string;
  fromIndex: number;
  toIndex: number;
  seatsFree: number;
  fares: FareQuoteView[];
  currency: string;
}

export interface TripSeatMapHead {
  tripId: string;
  segment: { from: string; to: string; fromIndex: number; toIndex: number };
  prices: Record<string, number>;
  currency: string;
  counts: SeatCounts;
}

/** What buyers see of trips: search between two stops on a date, one trip, and its seat map per segment. */
export class TripSearchService {
  constructor(private readonly deps: TripSearchDeps) {}

  /**
   * Trips from one stop to another leaving on a local date at the boarding stop, with the seats free and
   * the fares for exactly that segment.
   */
  async searchTrips(query: TripSearchQuery) {
    const { db, holdStore, clock, seatMaps } = this.deps;
    if (query.from === query.to) {
      throw new AppError('request.invalid', 'The boarding and alighting stops must differ');
    }
    const stops = await findStopsWithLocalDay(db, [query.from, query.to], query.date);
    const from = stops.find((stop) => stop.id === query.from);
    const to = stops.find((stop) => stop.id === query.to);
    if (!from) throw notFound('Stop', query.from);
    if (!to) throw notFound('Stop', query.to);

    const candidates = await findTripCandidates(db, {
      fromStopId: from.id,
      toStopId: to.id,
      departsFrom: from.day_starts_at,
      departsBefore: from.day_ends_at,
      now: clock.now(),
      limit: MAX_SEARCH_RESULTS,
      ...(query.mode ? { mode: query.mode } : {}),
    });
    const layoutIds = [...new Set(candidates.map((trip) => trip.layout_id))];
    const [unavailable, faresByRoute, layouts] = await Promise.all([
      holdStore.countUnavailableSeats(
        candidates.map((trip) => ({
          inventory: { kind: 'trip', id: trip.trip_id },
          segment: { from: trip.from_index, to: trip.to_index },
        })),
      ),
      findRouteFares(db, [...new Set(candidates.map((trip) => trip.route_id))]),
      Promise.all(layoutIds.map((id) => seatMaps.get(id))).then(
        (maps) => new Map(maps.map((map) => [map.layoutId, map])),
      ),
    ]);

    const items = candidates.map((trip): TripSearchItem => {
      const layout = layouts.get(trip.layout_id)!;
      const segment = { from: trip.from_index, to: trip.to_index };
      const fares = [...quoteFares(faresByRoute.get(trip.route_id) ?? [], segment, layout.sellableCategories)]
        .map(([seatClass, amount]) => ({ seatClass, amount }))
        .sort((a, b) => a.amount - b.amount || a.seatClass.localeCompare(b.seatClass));
      const taken = unavailable.get(trip.trip_id) ?? 0;
      return {
        tripId: trip.trip_id,
        routeId: trip.route_id,
        routeName: trip.route_name,
        mode: trip.mode,
        vehicleType: trip.vehicle_type,
        departsAt: trip.departs_at.toISOString(),
        arrivesAt: trip.arrives_at.toISOString(),
        durationMinutes: Math.round((trip.arrives_at.getTime() - trip.departs_at.getTime()) / 60_000),
        fromTimezone: from.timezone,
        toTimezone: to.timezone,
        fromIndex: trip.from_index,
        toIndex: trip.to_index,
        seatsFree: Math.max(0, layout.seatCount - layout.blockedCount - taken),
        fares,
        currency: trip.currency,
      };
    });
    items.sort(COMPARE_BY[query.sort ?? 'departure']);

    const stopView = ({ id, code, name, city, timezone }: typeof from) => ({ id, code, name, city, timezone });
    return { from: stopView(from), to: stopView(to), date: query.date, items };
  }

  /**
   * Routes buyers book most (seats sold over the last 30 days; routes with the most departures in the next
   * 14 days when little was sold), each with its next departures, the seats free end to end and the
   * cheapest end-to-end fare.
   */
  async popularRoutes(query: PopularRoutesQuery) {
    const { db, holdStore, clock, seatMaps } = this.deps;
    const now = clock.now();
    const day = 24 * 3600 * 1000;
    const routes = await findPopularRoutes(db, {
      now,
      until: new Date(now.getTime() + POPULAR_ROUTE_HORIZON_DAYS * day),
      soldSince: new Date(now.getTime() - POPULAR_ROUTE_SALES_DAYS * day),
      limit: query.limit ?? 4,
    });
    const routeIds = routes.map((route) => route.route_id);
    const [ends, departures, faresByRoute] = await Promise.all([
      findRouteEnds(db, routeIds),
      findNextDepartures(db, routeIds, now, DEPARTURES_PER_POPULAR_ROUTE),
      findRouteFares(db, routeIds),
    ]);
    const [unavailable, layouts] = await Promise.all([
      holdStore.countUnavailableSeats(
        departures.map((trip) => ({
          inventory: { kind: 'trip', id: trip.trip_id },
          segment: { from: 0, to: trip.last_index },
        })),
      ),
      Promise.all([...new Set(departures.map((trip) => trip.layout_id))].map((id) => seatMaps.get(id))).then(
        (maps) => new Map(maps.map((map) => [map.layoutId, map])),
      ),
    ]);
    const endsByRoute = new Map(ends.map((end) => [end.route_id, end]));
    return {
      items: routes.flatMap((route) => {
        const end = endsByRoute.get(route.route_id);
        if (!end) return [];
        const fares = faresByRoute.get(route.route_id) ?? [];
        const classes = [...new Set(fares.map((fare) => fare.seatClass))];
        const quotes = [...quoteFares(fares, { from: 0, to: end.last_index }, classes).values()];
        return [
          {
            routeId: route.route_id,
            name: route.name,
            mode: route.mode,
            organizerName: route.organizer_name,
            from: { id: end.from_id, name: end.from_name, city: end.from_city },
            to: { id: end.to_id, name: end.to_name, city: end.to_city },
            currency: route.currency,
            lowestFare: quotes.length > 0 ? Math.min(...quotes) : null,
            departures: departures
              .filter((trip) => trip.route_id === route.route_id)
              .map((trip) => {
                const layout = layouts.get(trip.layout_id)!;
                const taken = unavailable.get(trip.trip_id) ?? 0;
                return {
                  tripId: trip.trip_id,
                  departsAt: trip.departs_at.toISOString(),
                  arrivesAt: trip.arrives_at.toISOString(),
                  timezone: trip.timezone,
                  seatsFree: Math.max(0, layout.seatCount - layout.blockedCount - taken),
                };
              }),
          },
        ];
      }),
    };
  }

  /** One trip with its route, vehicle layout summary and every stop with its times. */
  async getTrip(tripId: string) {
    const { db, seatMaps } = this.deps;
    const trip = await findTripDetail(db, tripId);
    if (!trip) throw notFound('Trip', tripId);
    const [calls, seatMap] = await Promise.all([findTripCalls(db, tripId), seatMaps.get(trip.layout_id)]);
    return {
      id: trip.id,
      status: trip.status,
      serviceDate: trip.service_date,
      departsAt: trip.departs_at.toISOString(),
      arrivesAt: (calls.at(-1)?.arrives_at ?? trip.departs_at).toISOString(),
      currency: trip.currency,
      route: { id: trip.route_id, code: trip.route_code, name: trip.route_name, mode: trip.mode },
      layout: {
        id: trip.layout_id,
        name: trip.layout_name,
        vehicleType: trip.vehicle_type,
        decks: trip.decks,
        seatCount: trip.seat_count,
        seatClasses: seatMap.sellableCategories,
      },
      stops: calls.map((call) => ({
        index: call.stop_index,
        stopId: call.stop_id,
        code: call.code,
        name: call.name,
        city: call.city,
        arrivesAt: call.arrives_at.toISOString(),
        departsAt: call.departs_at.toISOString(),
        timezone: call.timezone,
      })),
    };
  }

  /** The trip's seat map with each seat's status for one segment, and the fare per class for it. */
  async getSeatMap(tripId: string, query: TripSeatsQuery): Promise<LiveSeatMap<TripSeatMapHead>> {
    const { db, holdStore, seatMaps } = this.deps;
    const trip = await findTripDetail(db, tripId);
    if (!trip) throw notFound('Trip', tripId);
    const calls = await findTripCalls(db, tripId);
    const segment = resolveSegment(calls, query);
    const inventory = { kind: 'trip', id: tripId } as const;
    const [seatMap, faresByRoute, capacities, occupancy] = await Promise.all([
      seatMaps.get(trip.layout_id),
      findRouteFares(db, [trip.route_id]),
      findGaCapacities(db, tripId),
      holdStore.occupancy(inventory, segment),
    ]);
    const prices = pricesFor(seatMap, faresByRoute.get(trip.route_id) ?? [], segment);
    const { seatsJson, counts } = renderSeats(seatMap, occupancy);
    return {
      head: {
        tripId,
        segment: {
          from: calls[segment.from]!.stop_id,
          to: calls[segment.to]!.stop_id,
          fromIndex: segment.from,
          toIndex: segment.to,
        },
        prices,
        currency: trip.currency,
        counts,
      },
      layout: {
        id: seatMap.layoutId,
        sections: seatMap.sections,
        gaAreas: presentGaAreas(seatMap, capacities, occupancy.ga, prices),
      },
      seatsJson,
    };
  }
}

const byDeparture = (a: TripSearchItem, b: TripSearchItem) =>
  a.departsAt.localeCompare(b.departsAt) || a.tripId.localeCompare(b.tripId);

/** Trips without any fare cannot be bought and sort last by fare. */
const lowestFare = (item: TripSearchItem) => item.fares[0]?.amount ?? Number.POSITIVE_INFINITY;

const COMPARE_BY: Record<NonNullable<TripSearchQuery['sort']>, (a: TripSearchItem, b: TripSearchItem) => number> = {
  departure: byDeparture,
  duration: (a, b) => a.durationMinutes - b.durationMinutes || byDeparture(a, b),
  fare: (a, b) => lowestFare(a) - lowestFare(b) || byDeparture(a, b),
};

/**
 * The segment [from, to) named by stop ids, resolved as a hold resolves it: the first call at `from`, then
 * the first call at `to` after it. A missing end means the trip's first or last stop.
 */
export function resolveSegment(calls: readonly Pick<TripCallRow, 'stop_id'>[], query: TripSeatsQuery): Segment {
  const from = query.from === undefined ? 0 : calls.findIndex((call) => call.stop_id === query.from);
  const to =
    query.to === undefined
      ? calls.length - 1
      : calls.findIndex((call, index) => index > from && call.stop_id === query.to);
  if (from < 0 || to <= from) {
    throw new AppError(
      'inventory.segment_invalid',
      'This trip does not go from the boarding stop to the alighting stop in that order',
      { from: query.from ?? null, to: query.to ?? null },
    );
  }
  return { from, to };
}

function pricesFor(seatMap: PreparedSeatMap, fares: readonly Fare[], segment: Segment): Record<string, number> {
  const classes = [...new Set([...seatMap.sellableCategories, ...seatMap.gaAreas.map((area) => area.category)])];
  return Object.fromEntries(quoteFares(fares, segment, classes));
}
