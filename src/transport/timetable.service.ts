import { canManageOrganizer, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { RouteRow, TripRow, TripStatus } from '../db/schema.js';
import type { HoldService } from '../inventory/hold.service.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { addDays, daysBetween, isoWeekday, localDateOf, zonedDateTimeToUtc, type IsoDate } from '../shared/time.js';
import { findRoute, listRouteStops, lockRoute, type RouteStopRow } from './network.repository.js';
import {
  deleteTrip,
  findTrip,
  findTripByDeparture,
  insertTripStops,
  insertTripsUnlessScheduled,
  listTripDeparturesBetween,
  listTripsOfRoute,
  listTripStops,
  lockTrip,
  tripHasSales,
  updateTrip,
} from './timetable.repository.js';
import type { CreateTripBody, GenerateTripsBody, UpdateTripBody } from './transport-admin.schemas.js';
import { requireUsableVehicleLayout } from './vehicle-layout.service.js';

/**
 * Trips: one departure of a route, with scheduled times at every stop computed from the route's offsets.
 * Local schedules ("07:00 every weekday") are read in the first stop's time zone and stored in UTC.
 * Staff manage only their organizer's routes and trips; another organizer's answer 404.
 */

export interface TripSummary {
  id: string;
  organizerId: string;
  routeId: string;
  layoutId: string;
  /** The local date at the first stop when the trip departs. */
  serviceDate: IsoDate;
  departsAt: Date;
  /** Arrival at the last stop. */
  arrivesAt: Date;
  status: TripStatus;
  holdTtlSeconds: number | null;
}

export interface Trip extends TripSummary {
  stops: { index: number; stopId: string; code: string; name: string; arrivesAt: Date; departsAt: Date }[];
}

export interface GeneratedTrips {
  created: number;
  skipped: number;
  tripIds: string[];
}

/** Bounds that keep one request's transaction small; a year of a dozen daily departures fits. */
export const GENERATION_LIMITS = { maxDays: 366, maxDepartures: 5000, maxStopTimes: 100_000 } as const;
const SERVICE_DATES = { earliest: '2000-01-01', latest: '2099-12-31' } as const;

type TripInvalidator = Pick<HoldService, 'invalidate'>;

/** Schedules one departure, given as an instant or as a local date and time at the first stop. */
export async function createTrip(db: Db, principal: Principal, input: CreateTripBody): Promise<Trip> {
  const departure = readDeparture(input);
  return db.transaction().execute(async (trx) => {
    const { route, stops } = await lockRouteForTrips(trx, principal, input.routeId);
    const timeZone = stops[0]!.timezone;
    const departsAt =
      'instant' in departure ? departure.instant : zonedDateTimeToUtc(departure.date, departure.time, timeZone);
    const serviceDate = 'instant' in departure ? localDateOf(departure.instant, timeZone) : departure.date;
    requireServiceDate(serviceDate, 'instant' in departure ? 'body/departsAt' : 'body/serviceDate');
    const layoutId = await resolveLayout(trx, principal, route, input.layoutId);

    const conflict = (tripId?: string) =>
      new AppError(
        'resource.conflict',
        `Route ${route.code} already has a trip departing at ${departsAt.toISOString()}`,
        tripId ? { tripId } : undefined,
      );
    const existing = await findTripByDeparture(trx, route.id, departsAt);
    if (existing) throw conflict(existing.id);
    const tripId = newId('trip');
    const [inserted] = await insertTripsUnlessScheduled(trx, [
      {
        id: tripId,
        organizer_id: route.organizer_id,
        route_id: route.id,
        layout_id: layoutId,
        service_date: serviceDate,
        departs_at: departsAt,
        status: input.status ?? 'scheduled',
        hold_ttl_seconds: input.holdTtlSeconds ?? null,
      },
    ]);
    if (!inserted) throw conflict();
    await insertTripStops(trx, scheduleStops(tripId, departsAt, stops));
    return readTrip(trx, tripId);
  });
}

/**
 * Creates a route's trips for every chosen weekday in [from, to] at each local departure time, in one
 * transaction. Idempotent: departures that already exist are skipped and counted, so running the same
 * pattern again creates nothing. A time that falls in a daylight-saving gap moves forward by the gap.
 */
export async function generateTrips(
  db: Db,
  principal: Principal,
  routeId: string,
  input: GenerateTripsBody,
): Promise<GeneratedTrips> {
  const dates = serviceDatesOf(input);
  return db.transaction().execute(async (trx) => {
    const { route, stops } = await lockRouteForTrips(trx, principal, routeId);
    const departureCount = dates.length * input.departureTimes.length;
    if (departureCount * stops.length > GENERATION_LIMITS.maxStopTimes) {
      throw new AppError('request.invalid', 'Too many trips for one request; generate a shorter range at a time', {
        departures: departureCount,
        stopTimes: departureCount * stops.length,
        maxStopTimes: GENERATION_LIMITS.maxStopTimes,
      });
    }
    const layoutId = await resolveLayout(trx, principal, route, input.layoutId);
    const timeZone = stops[0]!.timezone;
    const times = [...input.departureTimes].sort();

    // Keyed by instant: two local times can name one instant (a time in a DST gap and the hour after it).
    const trips = new Map<number, { id: string; serviceDate: IsoDate; departsAt: Date }>();
    for (const serviceDate of dates) {
      for (const time of times) {
        const departsAt = zonedDateTimeToUtc(serviceDate, time, timeZone);
        const key = departsAt.getTime();
        if (!trips.has(key)) trips.set(key, { id: newId('trip'), serviceDate, departsAt });
      }
    }
    const candidates = [...trips.values()];
    if (candidates.length === 0) return { created: 0, skipped: 0, tripIds: [] };
    const inserted = await insertTripsUnlessScheduled(
      trx,
      candidates.map((trip) => ({
        id: trip.id,
        organizer_id: route.organizer_id,
        route_id: route.id,
        layout_id: layoutId,
        service_date: trip.serviceDate,
        departs_at: trip.departsAt,
        hold_ttl_seconds: input.holdTtlSeconds ?? null,
      })),
    );
    await insertTripStops(
      trx,
      inserted.flatMap((trip) => scheduleStops(trip.id, trip.departs_at, stops)),
    );

    const instants = candidates.map((trip) => trip.departsAt.getTime());
    const scheduled = await listTripDeparturesBetween(
      trx,
      route.id,
      new Date(Math.min(...instants)),
      new Date(Math.max(...instants)),
    );
    return {
      created: inserted.length,
      skipped: candidates.length - inserted.length,
      tripIds: scheduled.filter((trip) => trips.has(trip.departs_at.getTime())).map((trip) => trip.id),
    };
  });
}

export async function listTrips(
  db: Db,
  principal: Principal,
  filter: { routeId: string; date?: string | undefined; limit?: number | undefined; offset?: number | undefined },
): Promise<TripSummary[]> {
  const route = await findRoute(db, filter.routeId);
  if (!route || !canManageOrganizer(principal, route.organizer_id)) throw notFound('Route', filter.routeId);
  const rows = await listTripsOfRoute(db, {
    routeId: filter.routeId,
    serviceDate: filter.date,
    limit: filter.limit ?? 500,
    offset: filter.offset ?? 0,
  });
  return rows.map((row) => toSummary(row, row.arrives_at ?? row.departs_at));
}

export async function getTrip(db: Db, principal: Principal, tripId: string): Promise<Trip> {
  const trip = await readTrip(db, tripId);
  if (!canManageOrganizer(principal, trip.organizerId)) throw notFound('Trip', tripId);
  return trip;
}

/** Changes a trip's sale status or hold TTL. A cancelled trip stays cancelled (its buyers are refunded). */
export async function changeTrip(
  db: Db,
  principal: Principal,
  holdService: TripInvalidator,
  tripId: string,
  changes: UpdateTripBody,
): Promise<Trip> {
  const trip = await db.transaction().execute(async (trx) => {
    const current = await lockTrip(trx, tripId);
    if (!current || !canManageOrganizer(principal, current.organizer_id)) throw notFound('Trip', tripId);
    if (current.status === 'cancelled' && changes.status !== undefined && changes.status !== 'cancelled') {
      throw new AppError('resource.conflict', 'A cancelled trip cannot be scheduled again; create a new trip', {
        status: current.status,
      });
    }
    await updateTrip(trx, tripId, {
      ...(changes.status !== undefined && { status: changes.status }),
      ...(changes.holdTtlSeconds !== undefined && { hold_ttl_seconds: changes.holdTtlSeconds }),
    });
    return readTrip(trx, tripId);
  });
  holdService.invalidate(tripId);
  return trip;
}

/** Deletes a trip that never sold a seat; one with sales must be cancelled instead, keeping its history. */
export async function removeTrip(
  db: Db,
  principal: Principal,
  holdService: TripInvalidator,
  tripId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const current = await lockTrip(trx, tripId);
    if (!current || !canManageOrganizer(principal, current.organizer_id)) throw notFound('Trip', tripId);
    if (await tripHasSales(trx, tripId)) {
      throw new AppError('resource.in_use', 'This trip has sold seats; cancel it instead of deleting it', { tripId });
    }
    await deleteTrip(trx, tripId);
  });
  holdService.invalidate(tripId);
}

type Departure = { instant: Date } | { date: IsoDate; time: string };

function readDeparture(input: CreateTripBody): Departure {
  const local = input.serviceDate !== undefined || input.departureTime !== undefined;
  if ((input.departsAt !== undefined) === local) {
    throw new AppError('request.invalid', 'Send either departsAt, or serviceDate with departureTime');
  }
  if (input.departsAt !== undefined) {
    const instant = new Date(input.departsAt);
    if (Number.isNaN(instant.getTime())) {
      throw new AppError('request.invalid', 'departsAt is not a valid instant', [
        { field: 'body/departsAt', message: 'must be a real date and time' },
      ]);
    }
    return { instant };
  }
  if (input.serviceDate === undefined || input.departureTime === undefined) {
    throw new AppError('request.invalid', 'serviceDate and departureTime go together');
  }
  return { date: input.serviceDate, time: input.departureTime };
}

function requireServiceDate(date: IsoDate, field: string): void {
  if (date < SERVICE_DATES.earliest || date > SERVICE_DATES.latest) {
    throw new AppError('request.invalid', `Trips run between ${SERVICE_DATES.earliest} and ${SERVICE_DATES.latest}`, [
      { field, message: `must fall between ${SERVICE_DATES.earliest} and ${SERVICE_DATES.latest}` },
    ]);
  }
}

/** The dates in [from, to] that fall on one of the weekdays, after checking the range. */
function serviceDatesOf(input: GenerateTripsBody): IsoDate[] {
  requireServiceDate(input.from, 'body/from');
  requireServiceDate(input.to, 'body/to');
  const days = daysBetween(input.from, input.to) + 1;
  if (days < 1) {
    throw new AppError('request.invalid', 'from must not be after to', [
      { field: 'body/to', message: 'must not be before from' },
    ]);
  }
  if (days > GENERATION_LIMITS.maxDays) {
    throw new AppError('request.invalid', `At most ${GENERATION_LIMITS.maxDays} days at a time`, [
      { field: 'body/to', message: `must be within ${GENERATION_LIMITS.maxDays} days of from` },
    ]);
  }
  const weekdays = new Set(input.weekdays);
  const dates: IsoDate[] = [];
  for (let day = 0; day < days; day++) {
    const date = addDays(input.from, day);
    if (weekdays.has(isoWeekday(date))) dates.push(date);
  }
  if (dates.length * input.departureTimes.length > GENERATION_LIMITS.maxDepartures) {
    throw new AppError('request.invalid', `At most ${GENERATION_LIMITS.maxDepartures} trips at a time`, {
      departures: dates.length * input.departureTimes.length,
      maxDepartures: GENERATION_LIMITS.maxDepartures,
    });
  }
  return dates;
}

/** Reads and share-locks a route, so its stops cannot change while trips are written against them. */
async function lockRouteForTrips(
  db: Db,
  principal: Principal,
  routeId: string,
): Promise<{ route: RouteRow; stops: RouteStopRow[] }> {
  const route = await lockRoute(db, routeId, 'share');
  if (!route || !canManageOrganizer(principal, route.organizer_id)) throw notFound('Route', routeId);
  return { route, stops: await listRouteStops(db, [routeId]) };
}

async function resolveLayout(
  db: Db,
  principal: Principal,
  route: RouteRow,
  layoutId: string | undefined,
): Promise<string> {
  const chosen = layoutId ?? route.default_layout_id;
  if (!chosen) {
    throw new AppError('catalog.invalid', `Route ${route.code} has no default layout; send layoutId`, {
      problems: [{ path: 'layoutId', message: 'is required when the route has no default layout' }],
    });
  }
  await requireUsableVehicleLayout(db, principal, route.organizer_id, chosen, 'layoutId');
  return chosen;
}

/** Elapsed minutes from the first departure: right across midnight and daylight-saving changes. */
function scheduleStops(tripId: string, departsAt: Date, stops: readonly RouteStopRow[]) {
  const at = (offsetMin: number) => new Date(departsAt.getTime() + offsetMin * 60_000);
  return stops.map((stop) => ({
    trip_id: tripId,
    stop_index: stop.stop_index,
    stop_id: stop.stop_id,
    arrives_at: at(stop.arrive_offset_min),
    departs_at: at(stop.depart_offset_min),
  }));
}

async function readTrip(db: Db, tripId: string): Promise<Trip> {
  const row = await findTrip(db, tripId);
  if (!row) throw notFound('Trip', tripId);
  const stops = await listTripStops(db, tripId);
  return {
    ...toSummary(row, stops.at(-1)?.arrives_at ?? row.departs_at),
    stops: stops.map((stop) => ({
      index: stop.stop_index,
      stopId: stop.stop_id,
      code: stop.code,
      name: stop.name,
      arrivesAt: stop.arrives_at,
      departsAt: stop.departs_at,
    })),
  };
}

function toSummary(row: TripRow, arrivesAt: Date): TripSummary {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    routeId: row.route_id,
    layoutId: row.layout_id,
    serviceDate: row.service_date,
    departsAt: row.departs_at,
    arrivesAt,
    status: row.status,
    holdTtlSeconds: row.hold_ttl_seconds,
  };
}
