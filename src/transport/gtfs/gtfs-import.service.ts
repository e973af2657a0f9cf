import { sql, type Transaction } from 'kysely';
import type { Principal } from '../../auth/principal.js';
import { insertLayout } from '../../catalog/layout.repository.js';
import { titleKey } from '../../catalog/slug.js';
import type { Db } from '../../db/client.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import { addDays, daysBetween, isIsoDate, localDateOf, type IsoDate } from '../../shared/time.js';
import { findOrganizer } from '../network.repository.js';
import { requireManagedOrganizer } from '../network.service.js';
import { requireUsableVehicleLayout } from '../vehicle-layout.service.js';
import { buildVehicleLayout } from '../vehicle-templates.js';
import type { FeedFiles } from './gtfs-archive.js';
import { readGtfsFeed, type GtfsFeed } from './gtfs-feed.js';
import {
  deleteTrips,
  deleteTripStops,
  findTripsWithSales,
  insertRoutes,
  insertStops,
  insertTrips,
  insertTripStops,
  listFeedRoutes,
  listFeedStops,
  listFeedTrips,
  listTakenCodes,
  lockFeed,
  markFeedImported,
  deleteRouteStopsAndFares,
  enterBulkLoadMode,
  insertFares,
  insertRouteStops,
  leaveBulkLoadMode,
  lockReferencedRows,
  updateRoutes,
  updateStops,
  updateTrips,
  type FareWrite,
  type RouteStopWrite,
  type RouteWrite,
  type StopWrite,
  type TripStopColumns,
  type TripWrite,
} from './gtfs-import.repository.js';
import { planImport, type ImportPlan, type PlannedPattern } from './gtfs-plan.js';
import { ProblemLog, type GtfsProblem, type ProblemCode, type ProblemSeverity } from './gtfs-problems.js';

/**
 * Imports a GTFS feed for an organizer: validate everything first (a feed with any error imports
 * nothing), plan the stops, routes and dated trips of the chosen range, then write them in one
 * transaction. A re-import of the same feed (same key) updates what changed, adds what is new, deletes
 * trips that left the feed — except trips with sales, which are never moved or deleted, only reported.
 */

export interface LayoutChoice {
  /** Layout for every route not otherwise mapped. */
  default?: string | undefined;
  /** GTFS route_type (as a string, e.g. "2") → layout id. */
  routeTypes?: Record<string, string> | undefined;
  /** GTFS route_id → layout id. */
  routes?: Record<string, string> | undefined;
}

export interface GtfsImportOptions {
  organizerId: string;
  /** Service dates to import, in the agency time zone; default today and the 6 days after it. */
  from?: IsoDate | undefined;
  to?: IsoDate | undefined;
  /** Which earlier imports this one updates; default: from the first agency's name. */
  feedKey?: string | undefined;
  layouts?: LayoutChoice | undefined;
  /** Validate and count what would change, then roll back. */
  dryRun?: boolean | undefined;
}

export type GtfsImportPhase = 'queued' | 'reading' | 'validating' | 'planning' | 'writing' | 'done';

export interface GtfsImportProgress {
  phase: GtfsImportPhase;
  tripsTotal?: number;
  tripsWritten?: number;
  stopTimesTotal?: number;
  stopTimesWritten?: number;
}

export interface KeptTrip {
  tripId: string;
  gtfsTripId: string;
  serviceDate: string;
  reason: 'changed_in_feed' | 'removed_from_feed';
}

export interface GtfsImportResult {
  status: 'succeeded' | 'rejected';
  dryRun: boolean;
  feedKey: string | null;
  feedId: string | null;
  from: IsoDate | null;
  to: IsoDate | null;
  timezone: string | null;
  feed: { agencies: number; stops: number; routes: number; trips: number; stopTimes: number };
  stops: { created: number; updated: number; unchanged: number };
  routes: { created: number; updated: number; unchanged: number };
  trips: { created: number; updated: number; unchanged: number; deleted: number; kept: number; skipped: number };
  stopTimesWritten: number;
  /** Trips with sales that the feed changed or dropped: left as they were (at most MAX_KEPT_LISTED listed). */
  keptTrips: KeptTrip[];
  errors: number;
  warnings: number;
  problems: GtfsProblem[];
  problemCounts: { code: ProblemCode; severity: ProblemSeverity; count: number }[];
}

export const IMPORT_LIMITS = { maxDays: 62, maxStopTimes: 5_000_000 } as const;
const MAX_KEPT_LISTED = 500;

/** Seat maps created for routes when no layout was chosen: one per mode, reused by later imports. */
const DEFAULT_LAYOUTS = {
  bus: { name: 'GTFS default bus (2+2, 40 seats)', template: { type: 'bus_2_2', rows: 10, seatClass: 'ECONOMY' } },
  train: {
    name: 'GTFS default train (3 coaches, 150 seats)',
    template: {
      type: 'train_coach',
      coaches: [
        { name: 'C1', seatClass: 'SECOND', rows: 15, seatsPerRow: 4 },
        { name: 'C2', seatClass: 'SECOND', rows: 15, seatsPerRow: 4 },
        { name: 'F1', seatClass: 'FIRST', rows: 10, seatsPerRow: 3 },
      ],
    },
  },
} as const;

class DryRunRollback extends Error {
  constructor(readonly result: GtfsImportResult) {
    super('dry run');
  }
}

/** Validates a feed, then imports it (see the module comment). Never writes anything for a rejected feed. */
export async function importGtfsFeed(
  db: Db,
  principal: Principal,
  files: FeedFiles | undefined,
  log: ProblemLog,
  options: GtfsImportOptions,
  onProgress: (progress: GtfsImportProgress) => void = () => undefined,
): Promise<GtfsImportResult> {
  await checkImportOptions(db, principal, options);
  const organizer = (await findOrganizer(db, options.organizerId))!;

  onProgress({ phase: 'validating' });
  const feed = files ? readGtfsFeed(files, log) : undefined;
  if (!feed || log.hasErrors) return rejected(log, feed);

  const today = localDateOf(new Date(), feed.timezone);
  const from = options.from ?? today;
  const to = options.to ?? addDays(from, 6);
  const feedKey = options.feedKey ?? (titleKey(feed.agencies[0]?.name ?? 'gtfs').slice(0, 60) || 'gtfs');

  onProgress({ phase: 'planning' });
  const plan = planImport(feed, { from, to, currency: organizer.currency }, log);
  if (plan.stopTimeCount > IMPORT_LIMITS.maxStopTimes) {
    throw new AppError('request.invalid', 'Too many stop times for one import; import a shorter date range', {
      stopTimes: plan.stopTimeCount,
      maxStopTimes: IMPORT_LIMITS.maxStopTimes,
    });
  }

  const base: GtfsImportResult = {
    status: 'succeeded',
    dryRun: options.dryRun ?? false,
    feedKey,
    feedId: null,
    from,
    to,
    timezone: feed.timezone,
    feed: feedCounts(feed),
    ...nothingWritten(),
  };
  onProgress({
    phase: 'writing',
    tripsTotal: plan.trips.length,
    tripsWritten: 0,
    stopTimesTotal: plan.stopTimeCount,
    stopTimesWritten: 0,
  });
  try {
    const result = await db.transaction().execute(async (trx) => {
      const written = await writePlan(
        trx,
        { organizerId: options.organizerId, feedKey, feed, plan, from, to, layouts: options.layouts },
        base,
        onProgress,
      );
      if (options.dryRun) throw new DryRunRollback(written);
      return written;
    });
    await refreshPlannerStatistics(db);
    return withProblems(result, log);
  } catch (error) {
    // The feed row of a dry run was rolled back with everything else.
    if (error instanceof DryRunRollback) return withProblems({ ...error.result, feedId: null }, log);
    throw error;
  }
}

/**
 * What can be refused before the feed is read: the organizer (404 unless the caller manages it), the date
 * range and feed key (400), the chosen layouts (404 unknown, 400 not the organizer's vehicle layout).
 */
export async function checkImportOptions(db: Db, principal: Principal, options: GtfsImportOptions): Promise<void> {
  await requireManagedOrganizer(db, principal, options.organizerId);
  requireRange(options);
  for (const [field, layoutId] of layoutIdsOf(options.layouts)) {
    await requireUsableVehicleLayout(db, principal, options.organizerId, layoutId, field);
  }
}

/**
 * A large import changes the tables' shape (a million stop times at once); PGlite has no autovacuum to
 * notice, and PostgreSQL's may come minutes later. Without fresh statistics the planner misjudges trip
 * search. ANALYZE samples, so this takes about a second whatever the size.
 */
async function refreshPlannerStatistics(db: Db): Promise<void> {
  await sql`ANALYZE stops, routes, route_stops, trips, trip_stops`.execute(db);
}

function rejected(log: ProblemLog, feed: GtfsFeed | undefined): GtfsImportResult {
  return withProblems(
    {
      status: 'rejected',
      dryRun: false,
      feedKey: null,
      feedId: null,
      from: null,
      to: null,
      timezone: feed?.timezone ?? null,
      feed: feed ? feedCounts(feed) : { agencies: 0, stops: 0, routes: 0, trips: 0, stopTimes: 0 },
      ...nothingWritten(),
    },
    log,
  );
}

/** The counts of a result before anything is written. */
function nothingWritten() {
  return {
    stops: { created: 0, updated: 0, unchanged: 0 },
    routes: { created: 0, updated: 0, unchanged: 0 },
    trips: { created: 0, updated: 0, unchanged: 0, deleted: 0, kept: 0, skipped: 0 },
    stopTimesWritten: 0,
    keptTrips: [],
    errors: 0,
    warnings: 0,
    problems: [],
    problemCounts: [],
  };
}

function withProblems(result: GtfsImportResult, log: ProblemLog): GtfsImportResult {
  return {
    ...result,
    errors: log.errors,
    warnings: log.warnings,
    problems: log.problems,
    problemCounts: log.summary(),
  };
}

function feedCounts(feed: GtfsFeed) {
  return {
    agencies: feed.agencies.length,
    stops: feed.stops.size,
    routes: feed.routes.size,
    trips: feed.trips.size,
    stopTimes: feed.stopTimeCount,
  };
}

function requireRange(options: GtfsImportOptions): void {
  const invalid = (field: string, message: string) =>
    new AppError('request.invalid', `${field} ${message}`, [{ field, message }]);
  if (options.from !== undefined && !isIsoDate(options.from)) throw invalid('from', 'must be a date YYYY-MM-DD');
  if (options.to !== undefined && !isIsoDate(options.to)) throw invalid('to', 'must be a date YYYY-MM-DD');
  if (options.to !== undefined && options.from === undefined) throw invalid('from', 'is required with to');
  if (options.from !== undefined && options.to !== undefined) {
    const days = daysBetween(options.from, options.to) + 1;
    if (days < 1) throw invalid('to', 'must not be before from');
    if (days > IMPORT_LIMITS.maxDays) throw invalid('to', `must be within ${IMPORT_LIMITS.maxDays} days of from`);
  }
  if (options.feedKey !== undefined && !/^[a-z0-9][a-z0-9._-]{0,59}$/.test(options.feedKey)) {
    throw invalid('feed', 'must be 1–60 characters of a–z, 0–9, . _ - (starting with a letter or digit)');
  }
}

function layoutIdsOf(layouts: LayoutChoice | undefined): [string, string][] {
  if (!layouts) return [];
  return [
    ...(layouts.default ? [['layouts/default', layouts.default] as [string, string]] : []),
    ...Object.entries(layouts.routeTypes ?? {}).map(([type, id]): [string, string] => [
      `layouts/routeTypes/${type}`,
      id,
    ]),
    ...Object.entries(layouts.routes ?? {}).map(([route, id]): [string, string] => [`layouts/routes/${route}`, id]),
  ];
}

/** A code not yet taken: the preferred one, else with the feed key, else numbered. */
function uniqueCode(preferred: string, feedKey: string, taken: Set<string>): string {
  let code = preferred;
  if (taken.has(code)) code = `${preferred}@${feedKey}`;
  for (let n = 2; taken.has(code); n++) code = `${preferred}@${feedKey}-${n}`;
  taken.add(code);
  return code;
}

interface WriteInput {
  organizerId: string;
  feedKey: string;
  feed: GtfsFeed;
  plan: ImportPlan;
  from: IsoDate;
  to: IsoDate;
  layouts: LayoutChoice | undefined;
}

async function writePlan(
  trx: Transaction<Database>,
  input: WriteInput,
  base: GtfsImportResult,
  onProgress: (progress: GtfsImportProgress) => void,
): Promise<GtfsImportResult> {
  const { organizerId, feedKey, feed, plan } = input;
  const result: GtfsImportResult = structuredClone(base);
  const feedName =
    feed.agencies
      .map((agency) => agency.name)
      .join(', ')
      .slice(0, 200) || feedKey;
  const feedRow = await lockFeed(trx, { organizerId, key: feedKey, name: feedName, timezone: feed.timezone });
  result.feedId = feedRow.id;
  const taken = await listTakenCodes(trx, organizerId);

  // Stops: by GTFS stop_id; a stop keeps its id and code, its name, position and time zone follow the feed.
  const existingStops = new Map((await listFeedStops(trx, feedRow.id)).map((row) => [row.gtfs_id, row] as const));
  const stopIdOf = new Map<string, string>();
  const newStops: StopWrite[] = [];
  const changedStops: StopWrite[] = [];
  for (const stop of plan.stops) {
    const existing = existingStops.get(stop.gtfsId);
    if (existing) {
      stopIdOf.set(stop.gtfsId, existing.id);
      const same =
        existing.name === stop.name &&
        existing.lat === stop.lat &&
        existing.lon === stop.lon &&
        existing.timezone === stop.timezone;
      if (same) result.stops.unchanged++;
      else changedStops.push({ ...stop, id: existing.id, code: existing.code });
    } else {
      const id = newId('stop');
      stopIdOf.set(stop.gtfsId, id);
      newStops.push({ ...stop, id, code: uniqueCode(stop.code, feedKey, taken.stops) });
    }
  }
  result.stops.created = newStops.length;
  result.stops.updated = changedStops.length;

  // Routes: one per (GTFS route, stop pattern); each with the layout chosen for it.
  const layoutOf = await layoutResolver(trx, organizerId, input.layouts);
  const existingRoutes = new Map(
    (await listFeedRoutes(trx, feedRow.id)).map((row): [string, typeof row] => [
      `${row.gtfs_id}\u001f${row.gtfs_pattern}`,
      row,
    ]),
  );
  const routeIdOf = new Map<string, string>();
  const layoutOfRoute = new Map<string, string>();
  const newRoutes: RouteWrite[] = [];
  const changedRoutes: RouteWrite[] = [];
  const routeStops: RouteStopWrite[] = [];
  for (const pattern of plan.patterns) {
    const layoutId = await layoutOf(pattern);
    const key = `${pattern.gtfsRouteId}\u001f${pattern.key}`;
    const existing = existingRoutes.get(key);
    const write: RouteWrite = {
      id: existing?.id ?? newId('route'),
      gtfsId: pattern.gtfsRouteId,
      pattern: pattern.key,
      code: existing?.code ?? uniqueCode(pattern.code, feedKey, taken.routes),
      name: pattern.name.slice(0, 200),
      mode: pattern.mode,
      layoutId,
      fingerprint: pattern.fingerprint,
    };
    routeIdOf.set(key, write.id);
    layoutOfRoute.set(write.id, layoutId);
    if (existing && existing.gtfs_fingerprint === pattern.fingerprint && existing.default_layout_id === layoutId) {
      result.routes.unchanged++;
      continue;
    }
    (existing ? changedRoutes : newRoutes).push(write);
    pattern.stopIds.forEach((stopId, index) =>
      routeStops.push({
        routeId: write.id,
        index,
        stopId: stopIdOf.get(stopId)!,
        arriveOffset: pattern.arriveOffsets[index]!,
        departOffset: pattern.departOffsets[index]!,
      }),
    );
  }
  const rewritten = new Set([...newRoutes, ...changedRoutes].map((route) => route.id));
  const fares = (await faresOf(trx, plan.patterns, routeIdOf, layoutOfRoute)).filter((fare) =>
    rewritten.has(fare.routeId),
  );
  result.routes.created = newRoutes.length;
  result.routes.updated = changedRoutes.length;

  // Trips: matched by (service date, GTFS trip id); unchanged ones are left alone, sold ones never touched.
  const existingTrips = new Map(
    (await listFeedTrips(trx, feedRow.id, input.from, input.to)).map((row): [string, typeof row] => [
      `${row.service_date}|${row.gtfs_id}`,
      row,
    ]),
  );
  type Planned = (typeof plan.trips)[number];
  const toInsert: { write: TripWrite; planned: Planned }[] = [];
  const toChange: { write: TripWrite; planned: Planned }[] = [];
  for (const planned of plan.trips) {
    const routeId = routeIdOf.get(`${planned.gtfsRouteId}\u001f${planned.patternKey}`)!;
    const layoutId = layoutOfRoute.get(routeId)!;
    const key = `${planned.serviceDate}|${planned.gtfsId}`;
    const existing = existingTrips.get(key);
    existingTrips.delete(key);
    const write: TripWrite = {
      id: existing?.id ?? newId('trip'),
      routeId,
      layoutId,
      serviceDate: planned.serviceDate,
      departsAt: planned.departsAt,
      gtfsId: planned.gtfsId,
      fingerprint: planned.fingerprint,
    };
    if (!existing) toInsert.push({ write, planned });
    else if (
      existing.gtfs_fingerprint === planned.fingerprint &&
      existing.route_id === routeId &&
      existing.layout_id === layoutId
    ) {
      result.trips.unchanged++;
    } else toChange.push({ write, planned });
  }
  const gone = [...existingTrips.values()];
  const sold = await findTripsWithSales(trx, [...toChange.map((c) => c.write.id), ...gone.map((trip) => trip.id)]);
  const keep = (trip: { id: string; gtfsId: string; serviceDate: string }, reason: KeptTrip['reason']) => {
    result.trips.kept++;
    if (result.keptTrips.length < MAX_KEPT_LISTED) {
      result.keptTrips.push({ tripId: trip.id, gtfsTripId: trip.gtfsId, serviceDate: trip.serviceDate, reason });
    }
  };
  const toUpdate: { write: TripWrite; planned: Planned }[] = [];
  for (const change of toChange) {
    if (sold.has(change.write.id)) keep(change.write, 'changed_in_feed');
    else toUpdate.push(change);
  }
  const toDelete: string[] = [];
  for (const trip of gone) {
    if (sold.has(trip.id))
      keep({ id: trip.id, gtfsId: trip.gtfs_id, serviceDate: trip.service_date }, 'removed_from_feed');
    else toDelete.push(trip.id);
  }

  // Deletes and updates first, with every constraint and cascade as usual.
  await deleteTrips(trx, toDelete);
  await deleteTripStops(
    trx,
    toUpdate.map((change) => change.write.id),
  );
  await deleteRouteStopsAndFares(
    trx,
    changedRoutes.map((route) => route.id),
  );
  await updateStops(trx, changedStops);
  await updateRoutes(trx, changedRoutes);
  await updateTrips(
    trx,
    toUpdate.map((change) => change.write),
  );

  // Then the bulk inserts, every referenced row created here or locked.
  await lockReferencedRows(trx, {
    organizerId,
    layoutIds: [...new Set(layoutOfRoute.values())],
    stopIds: [...existingStops.values()].map((stop) => stop.id),
  });
  const bulkMode = await enterBulkLoadMode(trx);
  await insertStops(trx, organizerId, feedRow.id, newStops);
  await insertRoutes(trx, organizerId, feedRow.id, newRoutes);
  await insertRouteStops(trx, routeStops);
  await insertFares(trx, fares);
  const inserted = await insertTrips(
    trx,
    organizerId,
    feedRow.id,
    toInsert.map((entry) => entry.write).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
  );
  result.trips.deleted = toDelete.length;
  result.trips.updated = toUpdate.length;
  result.trips.created = inserted.size;
  result.trips.skipped = toInsert.length - inserted.size;

  // Stop times, in chunks, reporting progress as they go. A skipped insert (its route already departs at
  // that instant) has no trip to hold stop times.
  // In id order, so the primary key (trip_id, stop_index) fills its pages in order instead of at random.
  const withStopTimes = [...toInsert.filter((entry) => inserted.has(entry.write.id)), ...toUpdate].sort((a, b) =>
    a.write.id < b.write.id ? -1 : a.write.id > b.write.id ? 1 : 0,
  );
  const total = withStopTimes.reduce((sum, entry) => sum + entry.planned.trip.stopIds.length, 0);
  let written = 0;
  let tripsWritten = result.trips.unchanged;
  const CHUNK = 100_000;
  let columns: TripStopColumns = { tripIds: [], indexes: [], stopIds: [], arrivals: [], departures: [] };
  const flush = async () => {
    if (columns.tripIds.length === 0) return;
    await insertTripStops(trx, columns);
    written += columns.tripIds.length;
    columns = { tripIds: [], indexes: [], stopIds: [], arrivals: [], departures: [] };
    onProgress({
      phase: 'writing',
      tripsTotal: plan.trips.length,
      tripsWritten,
      stopTimesTotal: total,
      stopTimesWritten: written,
    });
  };
  for (const { write, planned } of withStopTimes) {
    const { trip, base: start } = planned;
    for (let i = 0; i < trip.stopIds.length; i++) {
      columns.tripIds.push(write.id);
      columns.indexes.push(i);
      columns.stopIds.push(stopIdOf.get(trip.stopIds[i]!)!);
      columns.arrivals.push(start + trip.arrivals[i]!);
      columns.departures.push(start + trip.departures[i]!);
    }
    tripsWritten++;
    if (columns.tripIds.length >= CHUNK) await flush();
  }
  await flush();
  if (bulkMode) await leaveBulkLoadMode(trx);
  result.stopTimesWritten = written;
  await markFeedImported(trx, feedRow.id, { name: feedName, timezone: feed.timezone, feedVersion: feed.feedVersion });
  return result;
}

/** Picks each pattern's layout: by GTFS route, by route type, the default, else a template per mode. */
async function layoutResolver(trx: Transaction<Database>, organizerId: string, layouts: LayoutChoice | undefined) {
  const templates = new Map<string, string>();
  return async (pattern: PlannedPattern): Promise<string> => {
    const chosen =
      layouts?.routes?.[pattern.gtfsRouteId] ?? layouts?.routeTypes?.[String(pattern.routeType)] ?? layouts?.default;
    if (chosen) return chosen;
    let id = templates.get(pattern.mode);
    if (!id) {
      const spec = DEFAULT_LAYOUTS[pattern.mode];
      const existing = await trx
        .selectFrom('seat_layouts')
        .select('id')
        .where('organizer_id', '=', organizerId)
        .where('kind', '=', 'vehicle')
        .where('name', '=', spec.name)
        .orderBy('created_at')
        .executeTakeFirst();
      id =
        existing?.id ??
        (await insertLayout(trx, organizerId, buildVehicleLayout(spec.name, structuredClone(spec.template) as never)))
          .id;
      templates.set(pattern.mode, id);
    }
    return id;
  };
}

/** The patterns' fares for every seat class of each route's layout (GTFS fares have no classes). */
async function faresOf(
  trx: Transaction<Database>,
  patterns: readonly PlannedPattern[],
  routeIdOf: Map<string, string>,
  layoutOfRoute: Map<string, string>,
): Promise<FareWrite[]> {
  const withFares = patterns.filter((pattern) => pattern.fares.length > 0);
  if (withFares.length === 0) return [];
  const layoutIds = [
    ...new Set(withFares.map((p) => layoutOfRoute.get(routeIdOf.get(`${p.gtfsRouteId}\u001f${p.key}`)!)!)),
  ];
  const rows = await trx
    .selectFrom('layout_seats')
    .select(['layout_id', 'category'])
    .distinct()
    .where('layout_id', 'in', layoutIds)
    .execute();
  const classesOf = new Map<string, string[]>();
  for (const row of rows) classesOf.set(row.layout_id, [...(classesOf.get(row.layout_id) ?? []), row.category]);
  const fares: FareWrite[] = [];
  for (const pattern of withFares) {
    const routeId = routeIdOf.get(`${pattern.gtfsRouteId}\u001f${pattern.key}`)!;
    for (const seatClass of classesOf.get(layoutOfRoute.get(routeId)!) ?? []) {
      for (const fare of pattern.fares) fares.push({ id: newId('fare'), routeId, seatClass, ...fare });
    }
  }
  return fares;
}
