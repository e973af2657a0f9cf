import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import type { GtfsImportStatus, RouteRow } from '../../db/schema.js';
import { newId } from '../../shared/ids.js';

/**
 * SQL of the GTFS import. Bulk writes pass one array per column and `unnest` them: one statement per
 * tens of thousands of rows, a handful of parameters each, the same on PostgreSQL and PGlite.
 */

/** Rows per statement: big enough to amortise a round trip, small enough for any statement timeout. */
const BATCH = 20_000;

async function inBatches<T>(rows: readonly T[], size: number, write: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

const column = <T, K extends keyof T>(rows: readonly T[], key: K): T[K][] => rows.map((row) => row[key]);

// ── Feeds ────────────────────────────────────────────────────────────────────────────────────────────

export interface FeedRow {
  id: string;
  key: string;
}

/** The organizer's feed with this key, created if new, locked until the transaction ends (one import at a time). */
export async function lockFeed(
  trx: Db,
  feed: { organizerId: string; key: string; name: string; timezone: string },
): Promise<FeedRow> {
  await trx
    .insertInto('gtfs_feeds')
    .values({
      id: newId('gtfsFeed'),
      organizer_id: feed.organizerId,
      key: feed.key,
      name: feed.name,
      timezone: feed.timezone,
    })
    .onConflict((oc) => oc.columns(['organizer_id', 'key']).doNothing())
    .execute();
  return trx
    .selectFrom('gtfs_feeds')
    .select(['id', 'key'])
    .where('organizer_id', '=', feed.organizerId)
    .where('key', '=', feed.key)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function markFeedImported(
  trx: Db,
  feedId: string,
  changes: { name: string; timezone: string; feedVersion: string | null },
): Promise<void> {
  await trx
    .updateTable('gtfs_feeds')
    .set({
      name: changes.name,
      timezone: changes.timezone,
      feed_version: changes.feedVersion,
      last_imported_at: new Date(),
    })
    .where('id', '=', feedId)
    .execute();
}

// ── Stops ────────────────────────────────────────────────────────────────────────────────────────────

export interface ImportedStopRow {
  id: string;
  gtfs_id: string;
  code: string;
  name: string;
  lat: number | null;
  lon: number | null;
  timezone: string;
}

export function listFeedStops(db: Db, feedId: string): Promise<ImportedStopRow[]> {
  return db
    .selectFrom('stops')
    .select(['id', sql<string>`gtfs_id`.as('gtfs_id'), 'code', 'name', 'lat', 'lon', 'timezone'])
    .where('gtfs_feed_id', '=', feedId)
    .execute();
}

/** Stop codes and route codes in use by the organizer (imported codes must not collide with them). */
export async function listTakenCodes(
  db: Db,
  organizerId: string,
): Promise<{ stops: Set<string>; routes: Set<string> }> {
  const [stops, routes] = await Promise.all([
    db.selectFrom('stops').select('code').where('organizer_id', '=', organizerId).execute(),
    db.selectFrom('routes').select('code').where('organizer_id', '=', organizerId).execute(),
  ]);
  return { stops: new Set(stops.map((row) => row.code)), routes: new Set(routes.map((row) => row.code)) };
}

export interface StopWrite {
  id: string;
  gtfsId: string;
  code: string;
  name: string;
  lat: number | null;
  lon: number | null;
  timezone: string;
}

export async function insertStops(
  trx: Db,
  organizerId: string,
  feedId: string,
  stops: readonly StopWrite[],
): Promise<void> {
  await inBatches(stops, BATCH, (batch) =>
    sql`INSERT INTO stops (id, organizer_id, code, name, lat, lon, timezone, gtfs_feed_id, gtfs_id)
        SELECT s.id, ${organizerId}, s.code, s.name, s.lat, s.lon, s.timezone, ${feedId}, s.gtfs_id
          FROM unnest(${column(batch, 'id')}::text[], ${column(batch, 'code')}::text[], ${column(batch, 'name')}::text[],
                      ${column(batch, 'lat')}::float8[], ${column(batch, 'lon')}::float8[],
                      ${column(batch, 'timezone')}::text[], ${column(batch, 'gtfsId')}::text[])
               AS s(id, code, name, lat, lon, timezone, gtfs_id)`.execute(trx),
  );
}

export async function updateStops(trx: Db, stops: readonly StopWrite[]): Promise<void> {
  await inBatches(stops, BATCH, (batch) =>
    sql`UPDATE stops SET name = s.name, lat = s.lat, lon = s.lon, timezone = s.timezone
          FROM unnest(${column(batch, 'id')}::text[], ${column(batch, 'name')}::text[], ${column(batch, 'lat')}::float8[],
                      ${column(batch, 'lon')}::float8[], ${column(batch, 'timezone')}::text[])
               AS s(id, name, lat, lon, timezone)
         WHERE stops.id = s.id`.execute(trx),
  );
}

// ── Routes, their stops and fares ────────────────────────────────────────────────────────────────────

export interface ImportedRouteRow {
  id: string;
  gtfs_id: string;
  gtfs_pattern: string;
  code: string;
  name: string;
  mode: RouteRow['mode'];
  default_layout_id: string | null;
  gtfs_fingerprint: string | null;
}

export function listFeedRoutes(db: Db, feedId: string): Promise<ImportedRouteRow[]> {
  return db
    .selectFrom('routes')
    .select([
      'id',
      sql<string>`gtfs_id`.as('gtfs_id'),
      sql<string>`gtfs_pattern`.as('gtfs_pattern'),
      'code',
      'name',
      'mode',
      'default_layout_id',
      'gtfs_fingerprint',
    ])
    .where('gtfs_feed_id', '=', feedId)
    .execute();
}

export interface RouteWrite {
  id: string;
  gtfsId: string;
  pattern: string;
  code: string;
  name: string;
  mode: RouteRow['mode'];
  layoutId: string;
  fingerprint: string;
}

export async function insertRoutes(
  trx: Db,
  organizerId: string,
  feedId: string,
  routes: readonly RouteWrite[],
): Promise<void> {
  await inBatches(routes, BATCH, (batch) =>
    sql`INSERT INTO routes (id, organizer_id, code, name, mode, default_layout_id, gtfs_feed_id, gtfs_id, gtfs_pattern,
                            gtfs_fingerprint)
        SELECT r.id, ${organizerId}, r.code, r.name, r.mode, r.layout_id, ${feedId}, r.gtfs_id, r.pattern, r.fingerprint
          FROM unnest(${column(batch, 'id')}::text[], ${column(batch, 'code')}::text[], ${column(batch, 'name')}::text[],
                      ${column(batch, 'mode')}::text[], ${column(batch, 'layoutId')}::text[],
                      ${column(batch, 'gtfsId')}::text[], ${column(batch, 'pattern')}::text[],
                      ${column(batch, 'fingerprint')}::text[])
               AS r(id, code, name, mode, layout_id, gtfs_id, pattern, fingerprint)`.execute(trx),
  );
}

export async function updateRoutes(trx: Db, routes: readonly RouteWrite[]): Promise<void> {
  await inBatches(routes, BATCH, (batch) =>
    sql`UPDATE routes SET name = r.name, mode = r.mode, default_layout_id = r.layout_id, gtfs_fingerprint = r.fingerprint,
                          updated_at = now()
          FROM unnest(${column(batch, 'id')}::text[], ${column(batch, 'name')}::text[], ${column(batch, 'mode')}::text[],
                      ${column(batch, 'layoutId')}::text[], ${column(batch, 'fingerprint')}::text[])
               AS r(id, name, mode, layout_id, fingerprint)
         WHERE routes.id = r.id`.execute(trx),
  );
}

export interface RouteStopWrite {
  routeId: string;
  index: number;
  stopId: string;
  arriveOffset: number;
  departOffset: number;
}

/** Deletes the stop lists and fares of routes about to get the feed's (same stops in the same order). */
export async function deleteRouteStopsAndFares(trx: Db, routeIds: readonly string[]): Promise<void> {
  await inBatches(routeIds, BATCH, async (batch) => {
    await sql`DELETE FROM route_stops WHERE route_id = ANY(${batch}::text[])`.execute(trx);
    await sql`DELETE FROM fares WHERE route_id = ANY(${batch}::text[])`.execute(trx);
  });
}

export async function insertRouteStops(trx: Db, stops: readonly RouteStopWrite[]): Promise<void> {
  await inBatches(stops, BATCH, (batch) =>
    sql`INSERT INTO route_stops (route_id, stop_index, stop_id, arrive_offset_min, depart_offset_min)
        SELECT * FROM unnest(${column(batch, 'routeId')}::text[], ${column(batch, 'index')}::int[],
                             ${column(batch, 'stopId')}::text[], ${column(batch, 'arriveOffset')}::int[],
                             ${column(batch, 'departOffset')}::int[])`.execute(trx),
  );
}

export interface FareWrite {
  id: string;
  routeId: string;
  fromIndex: number;
  toIndex: number;
  seatClass: string;
  amount: number;
}

export async function insertFares(trx: Db, fares: readonly FareWrite[]): Promise<void> {
  await inBatches(fares, BATCH, (batch) =>
    sql`INSERT INTO fares (id, route_id, from_index, to_index, seat_class, amount)
        SELECT f.id, f.route_id, f.from_index, f.to_index, f.seat_class, f.amount
          FROM unnest(${column(batch, 'id')}::text[], ${column(batch, 'routeId')}::text[], ${column(batch, 'fromIndex')}::int[],
                      ${column(batch, 'toIndex')}::int[], ${column(batch, 'seatClass')}::text[],
                      ${column(batch, 'amount')}::int[])
               AS f(id, route_id, from_index, to_index, seat_class, amount)`.execute(trx),
  );
}

// ── Trips and their stop times ───────────────────────────────────────────────────────────────────────

export interface ImportedTripRow {
  id: string;
  gtfs_id: string;
  service_date: string;
  route_id: string;
  layout_id: string;
  gtfs_fingerprint: string | null;
}

/** The feed's trips on service dates within [from, to]. */
export function listFeedTrips(db: Db, feedId: string, from: string, to: string): Promise<ImportedTripRow[]> {
  return db
    .selectFrom('trips')
    .select(['id', sql<string>`gtfs_id`.as('gtfs_id'), 'service_date', 'route_id', 'layout_id', 'gtfs_fingerprint'])
    .where('gtfs_feed_id', '=', feedId)
    .where('service_date', '>=', from)
    .where('service_date', '<=', to)
    .execute();
}

/** Of these trips, those with any order or sale (confirmed, pending or since cancelled): never moved or deleted. */
export async function findTripsWithSales(db: Db, tripIds: readonly string[]): Promise<Set<string>> {
  const sold = new Set<string>();
  await inBatches(tripIds, BATCH, async (batch) => {
    const { rows } = await sql<{ id: string }>`
      SELECT DISTINCT inventory_id AS id FROM orders WHERE inventory_kind = 'trip' AND inventory_id = ANY(${batch}::text[])
      UNION
      SELECT DISTINCT inventory_id FROM seat_sales WHERE inventory_kind = 'trip' AND inventory_id = ANY(${batch}::text[])`.execute(
      db,
    );
    for (const row of rows) sold.add(row.id);
  });
  return sold;
}

export interface TripWrite {
  id: string;
  routeId: string;
  layoutId: string;
  serviceDate: string;
  departsAt: number;
  gtfsId: string;
  fingerprint: string;
}

/** Inserts trips; a trip whose route already departs at that instant is skipped. Answers the ids inserted. */
export async function insertTrips(
  trx: Db,
  organizerId: string,
  feedId: string,
  trips: readonly TripWrite[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  await inBatches(trips, BATCH, async (batch) => {
    const { rows } = await sql<{ id: string }>`
      INSERT INTO trips (id, organizer_id, route_id, layout_id, service_date, departs_at, gtfs_feed_id, gtfs_id, gtfs_fingerprint)
      SELECT t.id, ${organizerId}, t.route_id, t.layout_id, t.service_date, to_timestamp(t.departs_at), ${feedId},
             t.gtfs_id, t.fingerprint
        FROM unnest(${column(batch, 'id')}::text[], ${column(batch, 'routeId')}::text[], ${column(batch, 'layoutId')}::text[],
                    ${column(batch, 'serviceDate')}::date[], ${column(batch, 'departsAt')}::float8[],
                    ${column(batch, 'gtfsId')}::text[], ${column(batch, 'fingerprint')}::text[])
             AS t(id, route_id, layout_id, service_date, departs_at, gtfs_id, fingerprint)
      ON CONFLICT DO NOTHING
      RETURNING id`.execute(trx);
    for (const row of rows) inserted.add(row.id);
  });
  return inserted;
}

/** Moves trips to new times, route or layout (only trips without sales are ever passed here). */
export async function updateTrips(trx: Db, trips: readonly TripWrite[]): Promise<void> {
  await inBatches(trips, BATCH, (batch) =>
    sql`UPDATE trips SET route_id = t.route_id, layout_id = t.layout_id, departs_at = to_timestamp(t.departs_at),
                         gtfs_fingerprint = t.fingerprint, updated_at = now()
          FROM unnest(${column(batch, 'id')}::text[], ${column(batch, 'routeId')}::text[], ${column(batch, 'layoutId')}::text[],
                      ${column(batch, 'departsAt')}::float8[], ${column(batch, 'fingerprint')}::text[])
               AS t(id, route_id, layout_id, departs_at, fingerprint)
         WHERE trips.id = t.id`.execute(trx),
  );
}

export async function deleteTripStops(trx: Db, tripIds: readonly string[]): Promise<void> {
  await inBatches(tripIds, BATCH, (batch) =>
    sql`DELETE FROM trip_stops WHERE trip_id = ANY(${batch}::text[])`.execute(trx),
  );
}

export async function deleteTrips(trx: Db, tripIds: readonly string[]): Promise<void> {
  await inBatches(tripIds, BATCH, (batch) => sql`DELETE FROM trips WHERE id = ANY(${batch}::text[])`.execute(trx));
}

/** Stop times in columns: one entry per (trip, stop), times as epoch seconds. */
export interface TripStopColumns {
  tripIds: string[];
  indexes: number[];
  stopIds: string[];
  arrivals: number[];
  departures: number[];
}

export async function insertTripStops(trx: Db, stops: TripStopColumns): Promise<void> {
  for (let i = 0; i < stops.tripIds.length; i += BATCH) {
    const end = i + BATCH;
    await sql`INSERT INTO trip_stops (trip_id, stop_index, stop_id, arrives_at, departs_at)
              SELECT s.trip_id, s.stop_index, s.stop_id, to_timestamp(s.arrives_at), to_timestamp(s.departs_at)
                FROM unnest(${stops.tripIds.slice(i, end)}::text[], ${stops.indexes.slice(i, end)}::int[],
                            ${stops.stopIds.slice(i, end)}::text[], ${stops.arrivals.slice(i, end)}::float8[],
                            ${stops.departures.slice(i, end)}::float8[])
                     AS s(trip_id, stop_index, stop_id, arrives_at, departs_at)`.execute(trx);
  }
}

// ── Bulk-load mode ───────────────────────────────────────────────────────────────────────────────────

/**
 * Locks, once and as a set, the rows the import's new rows will reference but did not create itself (the
 * organizer, the layouts, stops of earlier imports), as each foreign-key check would have row by row.
 * Throws when one is gone.
 */
export async function lockReferencedRows(
  trx: Db,
  refs: { organizerId: string; layoutIds: readonly string[]; stopIds: readonly string[] },
): Promise<void> {
  const lock = async (table: 'organizers' | 'seat_layouts' | 'stops', ids: readonly string[]) => {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const { rows } = await sql<{ id: string }>`
        SELECT id FROM ${sql.table(table)} WHERE id = ANY(${batch}::text[]) FOR KEY SHARE`.execute(trx);
      if (rows.length !== new Set(batch).size) throw new Error(`${table} referenced by the import disappeared`);
    }
  };
  await lock('organizers', [refs.organizerId]);
  await lock('seat_layouts', refs.layoutIds);
  await lock('stops', refs.stopIds);
}

/**
 * Per-row foreign-key checks are most of the cost of writing a million stop times (measured: 55–75 %).
 * When the database role may, the rest of this transaction skips them (session_replication_role =
 * replica, transaction-local); every row it then writes references rows the import created in this
 * transaction or locked with lockReferencedRows. Answers whether the mode is on. See ADR 0017.
 */
export async function enterBulkLoadMode(trx: Db): Promise<boolean> {
  const { rows } = await sql<{ allowed: boolean }>`SELECT current_setting('is_superuser') = 'on' AS allowed`.execute(
    trx,
  );
  if (!rows[0]?.allowed) return false;
  await sql`SET LOCAL session_replication_role = replica`.execute(trx);
  return true;
}

export async function leaveBulkLoadMode(trx: Db): Promise<void> {
  await sql`SET LOCAL session_replication_role = origin`.execute(trx);
}

// ── Import runs ──────────────────────────────────────────────────────────────────────────────────────

export interface ImportRunWrite {
  status: GtfsImportStatus;
  phase: string;
  feedKey?: string | null;
  feedId?: string | null;
  counts?: unknown;
  problems?: unknown;
  problemCounts?: unknown;
  result?: unknown;
  error?: string | null;
  finished?: boolean;
}

export async function insertImportRun(
  db: Db,
  run: { id: string; organizerId: string; source: string; options: unknown; createdBy: string | null },
): Promise<void> {
  await db
    .insertInto('gtfs_imports')
    .values({
      id: run.id,
      organizer_id: run.organizerId,
      source: run.source,
      status: 'running',
      phase: 'queued',
      options: JSON.stringify(run.options),
      created_by: run.createdBy,
    })
    .execute();
}

export async function updateImportRun(db: Db, id: string, run: ImportRunWrite): Promise<void> {
  await db
    .updateTable('gtfs_imports')
    .set({
      status: run.status,
      phase: run.phase,
      updated_at: new Date(),
      ...(run.feedKey !== undefined && { feed_key: run.feedKey }),
      ...(run.feedId !== undefined && { feed_id: run.feedId }),
      ...(run.counts !== undefined && { counts: JSON.stringify(run.counts) }),
      ...(run.problems !== undefined && { problems: JSON.stringify(run.problems) }),
      ...(run.problemCounts !== undefined && { problem_counts: JSON.stringify(run.problemCounts) }),
      ...(run.result !== undefined && { result: JSON.stringify(run.result) }),
      ...(run.error !== undefined && { error: run.error }),
      ...(run.finished && { finished_at: new Date() }),
    })
    .where('id', '=', id)
    .execute();
}

export function findImportRun(db: Db, id: string) {
  return db.selectFrom('gtfs_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listImportRuns(db: Db, organizerId: string, limit: number) {
  return db
    .selectFrom('gtfs_imports')
    .selectAll()
    .where('organizer_id', '=', organizerId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
