import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { readFeedPath } from '../../src/transport/gtfs/gtfs-archive.js';
import { importGtfsFeed, type GtfsImportResult } from '../../src/transport/gtfs/gtfs-import.service.js';
import { ProblemLog, type ProblemCode } from '../../src/transport/gtfs/gtfs-problems.js';
import { createOrganizer } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * Real feeds from ../shared/data (CI has the folder; elsewhere these tests skip with one line): the GTFS
 * sample feed, Bangladesh Railway, the long-distance subset of Indian Railways, and every feed of
 * transitfeed's test suite, each with one defect named by its folder.
 */
const DATA = path.resolve(fileURLToPath(new URL('../..', import.meta.url)), '../shared/data');
const haveData = fs.existsSync(path.join(DATA, 'gtfs-google-sample-feed'));
if (!haveData) console.warn(`GTFS real feeds: skipped, ${DATA} is absent (shared data folder not present)`);

const ADMIN: Principal = { userId: 'test', role: 'admin', organizerId: null };

type Expectation =
  | { outcome: 'rejected'; code: ProblemCode; message: RegExp }
  | { outcome: 'warned'; code: ProblemCode; message: RegExp }
  | { outcome: 'imported'; from?: string; to?: string };

/** transitfeed's test feeds: what each must give. A folder added upstream without an entry fails the walk. */
const TRANSITFEED: Record<string, Expectation> = {
  'au-sydney-entrances': {
    outcome: 'rejected',
    code: 'file_missing',
    message: /routes\.txt|trips\.txt|stop_times\.txt/,
  },
  bad_date_format: {
    outcome: 'rejected',
    code: 'value_invalid',
    message: /"2007\.01\.01" is not a date written YYYYMMDD/,
  },
  'bad_eol.zip': { outcome: 'warned', code: 'line_endings_mixed', message: /mixes line endings/ },
  bad_utf8: { outcome: 'rejected', code: 'file_encoding', message: /not valid UTF-8/ },
  contains_null: { outcome: 'rejected', code: 'file_encoding', message: /NUL byte/ },
  duplicate_schedule_id: { outcome: 'rejected', code: 'id_duplicate', message: /service_id "WE" repeats/ },
  duplicate_stop: { outcome: 'warned', code: 'row_short', message: /values but the header has/ },
  duplicate_stop_sequence: { outcome: 'rejected', code: 'stop_sequence_duplicate', message: /stop_sequence 10 twice/ },
  empty_file: { outcome: 'rejected', code: 'file_empty', message: /empty/ },
  extra_row_cells: { outcome: 'warned', code: 'row_long', message: /extra values are ignored/ },
  filter_unusual_trips: { outcome: 'imported' },
  flatten_feed: { outcome: 'warned', code: 'trip_too_short', message: /one stop/ },
  good_feed: { outcome: 'imported' },
  'good_feed.zip': { outcome: 'imported' },
  googletransit: { outcome: 'warned', code: 'files_in_subfolder', message: /sub-folder good_feed/ },
  invalid_agency_ids: { outcome: 'rejected', code: 'value_missing', message: /several agencies/ },
  invalid_route_agency: { outcome: 'warned', code: 'agency_unknown', message: /agency_id "DVT" is not in agency\.txt/ },
  missing_agency: { outcome: 'rejected', code: 'file_missing', message: /agency\.txt/ },
  missing_calendar: { outcome: 'rejected', code: 'file_missing', message: /calendar_dates\.txt/ },
  missing_column: { outcome: 'rejected', code: 'column_missing', message: /agency_name/ },
  missing_departure_time: { outcome: 'warned', code: 'time_missing', message: /only arrival_time is given/ },
  missing_endpoint_times: {
    outcome: 'rejected',
    code: 'endpoint_time_missing',
    message: /first stop of trip "AB2" has no time/,
  },
  missing_routes: { outcome: 'rejected', code: 'file_missing', message: /routes\.txt/ },
  missing_row_cells: { outcome: 'warned', code: 'row_short', message: /has 6 values but the header has 7/ },
  missing_stop_times: { outcome: 'rejected', code: 'file_missing', message: /stop_times\.txt/ },
  missing_stops: { outcome: 'rejected', code: 'file_missing', message: /stops\.txt/ },
  missing_trips: { outcome: 'rejected', code: 'file_missing', message: /trips\.txt/ },
  missing_weekday_column: {
    outcome: 'rejected',
    code: 'column_missing',
    message: /no (monday|tuesday|wednesday|thursday|friday|saturday|sunday) column/,
  },
  negative_stop_sequence: { outcome: 'rejected', code: 'value_invalid', message: /"-2" is not a whole number/ },
  'one_line.kml': { outcome: 'rejected', code: 'archive_unreadable', message: /not a zip archive/ },
  'one_stop.kml': { outcome: 'rejected', code: 'archive_unreadable', message: /not a zip archive/ },
  only_calendar_dates: { outcome: 'imported', from: '2007-06-04', to: '2007-06-05' }, // its only service days
  repeated_route_name: { outcome: 'warned', code: 'route_name_repeated', message: /same name/ },
  same_short_long_name: { outcome: 'warned', code: 'route_names_same', message: /both "City"/ },
  undefined_stop: { outcome: 'rejected', code: 'reference_unknown', message: /stop_id "NADAR" is not in stops\.txt/ },
  unknown_file: { outcome: 'warned', code: 'file_unknown', message: /frecuencias\.txt|not a GTFS file/ },
  'unknown_format.zip': { outcome: 'rejected', code: 'archive_unreadable', message: /not a zip archive/ },
  unrecognized_columns: { outcome: 'warned', code: 'column_unknown', message: /agency_lange/ },
  unused_stop: { outcome: 'warned', code: 'stop_unused', message: /"BOGUS" is on no trip/ },
  upgrade_translations: { outcome: 'rejected', code: 'file_missing', message: /agency\.txt/ },
  utf16: { outcome: 'rejected', code: 'file_encoding', message: /UTF-16/ },
  utf8bom: { outcome: 'warned', code: 'byte_order_mark', message: /byte-order mark/ },
};

describe.skipIf(!haveData)(`GTFS import of real feeds (${databaseKind})`, { timeout: 600_000 }, () => {
  let t: TestApp;

  async function importFeed(feedPath: string, from: string, to: string) {
    const organizerId = await createOrganizer(t.deps.database.db);
    const log = new ProblemLog();
    const result = await importGtfsFeed(t.deps.database.db, ADMIN, readFeedPath(feedPath, log), log, {
      organizerId,
      from,
      to,
    });
    return { organizerId, result };
  }

  const rowsOf = async (organizerId: string) => {
    const db = t.deps.database.db;
    const n = async (table: 'stops' | 'routes' | 'trips') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('organizer_id', '=', organizerId)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const stopTimes = await db
      .selectFrom('trip_stops')
      .innerJoin('trips', 'trips.id', 'trip_stops.trip_id')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('trips.organizer_id', '=', organizerId)
      .executeTakeFirstOrThrow();
    return {
      stops: await n('stops'),
      routes: await n('routes'),
      trips: await n('trips'),
      stopTimes: Number(stopTimes.n),
    };
  };

  const callsOf = (organizerId: string, gtfsTripId: string, serviceDate: string) =>
    t.deps.database.db
      .selectFrom('trip_stops as ts')
      .innerJoin('trips as tr', 'tr.id', 'ts.trip_id')
      .innerJoin('stops as s', 's.id', 'ts.stop_id')
      .select(['s.gtfs_id as stop', 'ts.arrives_at', 'ts.departs_at'])
      .where('tr.organizer_id', '=', organizerId)
      .where('tr.gtfs_id', '=', gtfsTripId)
      .where('tr.service_date', '=', serviceDate)
      .orderBy('ts.stop_index')
      .execute();

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the GTFS sample feed (folder and zip): 9 stops, 11 trips, 28 stop times; frequencies expanded for a week', async () => {
    for (const feed of ['sample-feed-1', 'sample-feed-1.zip']) {
      const { organizerId, result } = await importFeed(
        path.join(DATA, 'gtfs-google-sample-feed', feed),
        '2008-01-07',
        '2008-01-13',
      );
      expect(result.status, JSON.stringify(result.problems.slice(0, 5))).toBe('succeeded');
      expect(result.feed).toEqual({ agencies: 1, stops: 9, routes: 5, trips: 11, stopTimes: 28 });
      // Counted independently from the feed files: every trip on each day its service runs, one per
      // departure of its frequencies.
      expect(await rowsOf(organizerId)).toMatchObject({ stops: 9, trips: 988, stopTimes: 4160 });
      const stba = await callsOf(organizerId, 'STBA@21600', '2008-01-07'); // 6:00 in Beatty (PST)
      expect(stba.map((call) => call.stop)).toEqual(['STAGECOACH', 'BEATTY_AIRPORT']);
      expect(stba[0]!.departs_at.toISOString()).toBe('2008-01-07T14:00:00.000Z');
    }
  });

  it('Bangladesh Railway: 136 stations, 237 trips, 1,385 stop times; a week of trips; night trains land on the next day', async () => {
    const { organizerId, result } = await importFeed(
      path.join(DATA, 'gtfs-bangladesh-railway'),
      '2027-01-01',
      '2027-01-07',
    );
    expect(result.status).toBe('succeeded');
    expect(result.feed).toMatchObject({ stops: 136, trips: 237, stopTimes: 1385 });
    expect(result.problemCounts).toEqual(
      expect.arrayContaining([{ code: 'trip_too_short', severity: 'warning', count: 2 }]),
    );
    // 235 trips with two or more stops: every_day ones run 7 times in a week, not_<day> ones 6 times.
    expect(await rowsOf(organizerId)).toMatchObject({ stops: 136, trips: 1571, stopTimes: 9001 });
    // Trip 72 leaves BUR at 22:50 on Friday 1 January (Asia/Dhaka, UTC+6) and reaches LAL at 25:00:00,
    // 01:00 on Saturday 2 January.
    const calls = await callsOf(organizerId, '72', '2027-01-01');
    expect(calls[0]).toMatchObject({ stop: 'BUR' });
    expect(calls[0]!.departs_at.toISOString()).toBe('2027-01-01T16:50:00.000Z');
    expect(calls.at(-1)).toMatchObject({ stop: 'LAL' });
    expect(calls.at(-1)!.arrives_at.toISOString()).toBe('2027-01-01T19:00:00.000Z');
    // not_friday trips do not run on Friday 1 January.
    expect(await callsOf(organizerId, '88', '2027-01-01')).toEqual([]);
    expect((await callsOf(organizerId, '88', '2027-01-02')).length).toBeGreaterThan(1);
  });

  it('Indian Railways long-distance subset: the 10-day loop train with times up to 250:00:00', async () => {
    const { organizerId, result } = await importFeed(
      path.join(DATA, 'gtfs-indian-railways', 'subset-long-distance'),
      '2025-12-22',
      '2025-12-28',
    );
    expect(result.status).toBe('succeeded');
    expect(result.feed).toMatchObject({ trips: 40, stopTimes: 2691, stops: 1128 });
    const loop = await callsOf(organizerId, '00911', '2025-12-27'); // Saturdays only
    expect(loop.map((call) => call.stop)).toEqual([
      'PRTN',
      'ST',
      'RU',
      expect.any(String),
      expect.any(String),
      expect.any(String),
      expect.any(String),
      'ST',
      'PRTN',
    ]);
    expect(loop[0]!.departs_at.toISOString()).toBe('2025-12-27T17:00:00.000Z'); // 22:30 IST
    expect(loop.at(-1)!.arrives_at.toISOString()).toBe('2026-01-06T04:30:00.000Z'); // 250:00:00 → 10:00 IST ten days on
    expect(loop[2]!.departs_at.getTime() - loop[2]!.arrives_at.getTime()).toBe(68 * 3600_000); // a 68-hour dwell
  });

  it('Sri Lanka Railway: trips whose times go backwards are warned about and left out; the rest imports', async () => {
    const { organizerId, result } = await importFeed(
      path.join(DATA, 'gtfs-srilanka-railway'),
      '2027-01-01',
      '2027-01-01',
    );
    expect(result.status).toBe('succeeded');
    const backwards = result.problems.filter((problem) => problem.code === 'times_backwards');
    expect(backwards.length).toBeGreaterThanOrEqual(14);
    expect(backwards.find((problem) => problem.message.includes('"1015"'))).toMatchObject({ file: 'stop_times.txt' });
    const skipped = await t.deps.database.db
      .selectFrom('trips')
      .select('id')
      .where('organizer_id', '=', organizerId)
      .where('gtfs_id', '=', '1015')
      .execute();
    expect(skipped).toEqual([]);
    expect((await rowsOf(organizerId)).trips).toBeGreaterThan(100);
  });

  it('every feed of transitfeed’s defect suite is rejected or warned about with its defect named; a rejected one imports nothing', async () => {
    const folder = path.join(DATA, 'gtfs-invalid-transitfeed', 'data');
    const entries = fs.readdirSync(folder).sort();
    expect(entries.filter((entry) => !(entry in TRANSITFEED))).toEqual([]);
    const outcomes: Record<string, string> = {};
    for (const entry of entries) {
      const expected = TRANSITFEED[entry]!;
      const range =
        expected.outcome === 'imported' && expected.from ? [expected.from, expected.to!] : ['2008-01-07', '2008-01-13'];
      const { organizerId, result } = await importFeed(path.join(folder, entry), range[0]!, range[1]!);
      const summary = (r: GtfsImportResult) =>
        `${entry}: ${r.status} ${r.problems
          .slice(0, 3)
          .map((p) => `${p.code}: ${p.message}`)
          .join(' | ')}`;
      outcomes[entry] = summary(result);
      if (expected.outcome === 'imported') {
        expect(result.status, summary(result)).toBe('succeeded');
        expect(result.trips.created, summary(result)).toBeGreaterThan(0);
        continue;
      }
      const named = result.problems.find(
        (problem) =>
          problem.code === expected.code && expected.message.test(`${problem.file ?? ''}: ${problem.message}`),
      );
      expect(named, summary(result)).toBeDefined();
      if (expected.outcome === 'rejected') {
        expect(result.status, summary(result)).toBe('rejected');
        expect(await rowsOf(organizerId)).toEqual({ stops: 0, routes: 0, trips: 0, stopTimes: 0 });
      } else {
        expect(result.status, summary(result)).toBe('succeeded');
        expect(named!.severity).toBe('warning');
      }
    }
    expect(Object.keys(outcomes)).toHaveLength(entries.length);
  });
});
