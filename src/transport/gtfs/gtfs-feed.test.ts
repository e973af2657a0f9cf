import { strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { feedFiles, padmaRailFeed, type FeedText } from '../../../test/support/gtfs-fixtures.js';
import { readFeedZip } from './gtfs-archive.js';
import { parseGtfsDate, parseGtfsTime, readGtfsFeed } from './gtfs-feed.js';
import { PROBLEM_CODES, ProblemLog, type GtfsProblem, type ProblemCode } from './gtfs-problems.js';

function check(feed: FeedText | Map<string, Uint8Array>) {
  const log = new ProblemLog();
  const parsed = readGtfsFeed(feed instanceof Map ? feed : feedFiles(feed), log);
  return { log, feed: parsed };
}

function edit(change: (feed: FeedText) => void): FeedText {
  const feed = padmaRailFeed();
  change(feed);
  return feed;
}

const replace = (file: string, from: string, to: string) => (feed: FeedText) => {
  if (!feed[file]!.includes(from)) throw new Error(`${from} not in ${file}`);
  feed[file] = feed[file]!.replace(from, to);
};

interface Case {
  defect: string;
  feed: FeedText | Map<string, Uint8Array>;
  expected: Partial<GtfsProblem> & { code: ProblemCode };
}

/** One case per policy line of docs/gtfs-import.md: the defect, and the problem it must produce. */
const CASES: Case[] = [
  // Errors
  {
    defect: 'a required file is missing',
    feed: edit((f) => delete f['stops.txt']),
    expected: { code: 'file_missing', file: 'stops.txt' },
  },
  {
    defect: 'neither calendar.txt nor calendar_dates.txt',
    feed: edit((f) => {
      delete f['calendar.txt'];
      delete f['calendar_dates.txt'];
    }),
    expected: { code: 'file_missing', file: 'calendar.txt' },
  },
  {
    defect: 'a required file without even a header',
    feed: edit((f) => (f['routes.txt'] = '')),
    expected: { code: 'file_empty', file: 'routes.txt' },
  },
  {
    defect: 'a file in UTF-16',
    feed: new Map(
      [...feedFiles(padmaRailFeed())].map(([n, b]) => [
        n,
        n === 'agency.txt' ? new Uint8Array([0xff, 0xfe, 0x61, 0]) : b,
      ]),
    ),
    expected: { code: 'file_encoding', file: 'agency.txt' },
  },
  {
    defect: 'invalid UTF-8',
    feed: new Map(
      [...feedFiles(padmaRailFeed())].map(([n, b]) => [
        n,
        n === 'stops.txt' ? new Uint8Array([...strToU8('stop_id,stop_name,stop_lat,stop_lon\nX,'), 0xc3, 0x28, 10]) : b,
      ]),
    ),
    expected: { code: 'file_encoding', file: 'stops.txt', line: 2 },
  },
  {
    defect: 'a NUL byte',
    feed: new Map(
      [...feedFiles(padmaRailFeed())].map(([n, b]) => [n, n === 'routes.txt' ? new Uint8Array([...b, 0]) : b]),
    ),
    expected: { code: 'file_encoding', file: 'routes.txt' },
  },
  {
    defect: 'a required column is missing',
    feed: edit(replace('calendar.txt', 'service_id,monday,', 'service_id,')),
    expected: { code: 'column_missing', file: 'calendar.txt', line: 1, field: 'monday' },
  },
  {
    defect: 'a quoted field never closed',
    feed: edit(replace('routes.txt', 'R2,PR,B2,', 'R2,PR,"B2,')),
    expected: { code: 'csv_malformed', file: 'routes.txt', line: 3 },
  },
  {
    defect: 'a required value is empty',
    feed: edit(replace('trips.txt', 'R1,DAILY,NIGHT', 'R1,,NIGHT')),
    expected: { code: 'value_missing', file: 'trips.txt', line: 2, field: 'service_id' },
  },
  {
    defect: 'a date not written YYYYMMDD',
    feed: edit(replace('calendar.txt', '20260101,20301231', '2026.01.01,20301231')),
    expected: { code: 'value_invalid', file: 'calendar.txt', line: 2, field: 'start_date' },
  },
  {
    defect: 'a time not written H:MM:SS',
    feed: edit(replace('stop_times.txt', 'NIGHT,23:30:00', 'NIGHT,23h30')),
    expected: { code: 'value_invalid', file: 'stop_times.txt', line: 3, field: 'arrival_time' },
  },
  {
    defect: 'an unknown time zone',
    feed: edit(replace('agency.txt', 'Asia/Dhaka', 'Asia/Dacca_Nowhere')),
    expected: { code: 'value_invalid', file: 'agency.txt', line: 2, field: 'agency_timezone' },
  },
  {
    defect: 'a negative stop_sequence',
    feed: edit(replace('stop_times.txt', 'EXPRESS,13:00:00,13:00:00,CTG,2', 'EXPRESS,13:00:00,13:00:00,CTG,-2')),
    expected: { code: 'value_invalid', file: 'stop_times.txt', line: 6, field: 'stop_sequence' },
  },
  {
    defect: 'a stop_id twice',
    feed: edit(replace('stops.txt', 'SYL,SYL,Sylhet', 'CUM,SYL,Sylhet')),
    expected: { code: 'id_duplicate', file: 'stops.txt', line: 5, field: 'stop_id' },
  },
  {
    defect: 'a service_id twice in calendar.txt',
    feed: edit(replace('calendar.txt', 'WEEKDAYS,1,1,1,1,1,0,0', 'DAILY,1,1,1,1,1,0,0')),
    expected: { code: 'id_duplicate', file: 'calendar.txt', line: 3, field: 'service_id' },
  },
  {
    defect: 'a stop time at an unknown stop',
    feed: edit(replace('stop_times.txt', 'BUS,12:00:00,12:00:00,SYL', 'BUS,12:00:00,12:00:00,SYLX')),
    expected: { code: 'reference_unknown', file: 'stop_times.txt', line: 8, field: 'stop_id' },
  },
  {
    defect: 'a trip of an unknown route',
    feed: edit(replace('trips.txt', 'R2,DAILY,BUS', 'R9,DAILY,BUS')),
    expected: { code: 'reference_unknown', file: 'trips.txt', line: 4, field: 'route_id' },
  },
  {
    defect: 'a trip of an unknown service',
    feed: edit(replace('trips.txt', 'R2,DAILY,BUS', 'R2,SUNDAYS,BUS')),
    expected: { code: 'reference_unknown', file: 'trips.txt', line: 4, field: 'service_id' },
  },
  {
    defect: 'stop_sequence twice in one trip',
    feed: edit(replace('stop_times.txt', 'NIGHT,26:10:00,26:10:00,CTG,3', 'NIGHT,26:10:00,26:10:00,CTG,2')),
    expected: { code: 'stop_sequence_duplicate', file: 'stop_times.txt', field: 'stop_sequence' },
  },
  {
    defect: 'the last stop of a trip without a time',
    feed: edit(replace('stop_times.txt', 'NIGHT,26:10:00,26:10:00,CTG', 'NIGHT,,,CTG')),
    expected: { code: 'endpoint_time_missing', file: 'stop_times.txt', line: 4 },
  },
  {
    defect: 'agencies in different time zones',
    feed: edit((f) => {
      f['agency.txt'] += 'PB,Padma Bus,https://bus.example,Asia/Kolkata\n';
    }),
    expected: { code: 'timezone_mismatch', file: 'agency.txt', line: 3, field: 'agency_timezone' },
  },
  // Warnings
  {
    defect: 'a UTF-8 byte-order mark',
    feed: edit((f) => (f['stops.txt'] = `\uFEFF${f['stops.txt']}`)),
    expected: { code: 'byte_order_mark', file: 'stops.txt' },
  },
  {
    defect: 'a file GTFS does not define',
    feed: edit((f) => (f['notes.txt'] = 'x\n')),
    expected: { code: 'file_unknown', file: 'notes.txt' },
  },
  {
    defect: 'an optional file that is empty',
    feed: edit((f) => (f['frequencies.txt'] = '')),
    expected: { code: 'optional_file_empty', file: 'frequencies.txt' },
  },
  {
    defect: 'a column GTFS does not define',
    feed: edit(replace('stops.txt', 'zone_id', 'zone_name')),
    expected: { code: 'column_unknown', file: 'stops.txt', line: 1, field: 'zone_name' },
  },
  {
    defect: 'a row with fewer values than the header',
    feed: edit(replace('routes.txt', 'R2,PR,B2,Dhaka – Sylhet bus,3', 'R2,PR,B2,Dhaka – Sylhet bus')),
    expected: { code: 'row_short', file: 'routes.txt', line: 3 },
  },
  {
    defect: 'a row with more values than the header',
    feed: edit(replace('routes.txt', 'R2,PR,B2,Dhaka – Sylhet bus,3', 'R2,PR,B2,Dhaka – Sylhet bus,3,extra')),
    expected: { code: 'row_long', file: 'routes.txt', line: 3 },
  },
  {
    defect: 'mixed line endings',
    feed: edit(replace('stops.txt', 'Cumilla,23.4610,91.1850,Z2\n', 'Cumilla,23.4610,91.1850,Z2\r\n')),
    expected: { code: 'line_endings_mixed', file: 'stops.txt' },
  },
  {
    defect: 'a route pointing at an unknown agency',
    feed: edit(replace('routes.txt', 'R2,PR,', 'R2,XX,')),
    expected: { code: 'agency_unknown', file: 'routes.txt', line: 3, field: 'agency_id' },
  },
  {
    defect: 'a trip whose times go backwards',
    feed: edit(replace('stop_times.txt', 'NIGHT,23:30:00,23:35:00,CUM', 'NIGHT,21:30:00,21:35:00,CUM')),
    expected: { code: 'times_backwards', file: 'stop_times.txt', line: 3, field: 'arrival_time' },
  },
  {
    defect: 'a stop time with only an arrival',
    feed: edit(replace('stop_times.txt', 'NIGHT,23:30:00,23:35:00,CUM', 'NIGHT,23:30:00,,CUM')),
    expected: { code: 'time_missing', file: 'stop_times.txt', line: 3, field: 'departure_time' },
  },
  {
    defect: 'a trip with a single stop',
    feed: edit(replace('stop_times.txt', 'BUS,12:00:00,12:00:00,SYL,2\r\n', '')),
    expected: { code: 'trip_too_short', file: 'trips.txt', line: 4, field: 'trip_id' },
  },
  {
    defect: 'a stop no trip calls at',
    feed: edit((f) => (f['stops.txt'] += 'BOG,BOG,Bogura,24.85,89.37,Z5\n')),
    expected: { code: 'stop_unused', file: 'stops.txt', line: 6, field: 'stop_id' },
  },
  {
    defect: 'a stop without a position',
    feed: edit(replace('stops.txt', 'Sylhet,24.8950,91.8700', 'Sylhet,,')),
    expected: { code: 'stop_location_missing', file: 'stops.txt', line: 5 },
  },
  {
    defect: 'two routes with one name',
    feed: edit(replace('routes.txt', 'R2,PR,B2,Dhaka – Sylhet bus', 'R2,PR,701,Dhaka – Chattogram')),
    expected: { code: 'route_name_repeated', file: 'routes.txt', line: 3 },
  },
  {
    defect: 'short and long name the same',
    feed: edit(replace('routes.txt', 'R2,PR,B2,Dhaka – Sylhet bus', 'R2,PR,Sylhet,Sylhet')),
    expected: { code: 'route_names_same', file: 'routes.txt', line: 3, field: 'route_long_name' },
  },
  {
    defect: 'a frequency that ends before it starts',
    feed: edit(replace('frequencies.txt', 'BUS,07:00:00,10:00:00', 'BUS,10:00:00,07:00:00')),
    expected: { code: 'frequency_invalid', file: 'frequencies.txt', line: 2, field: 'end_time' },
  },
];

describe('GTFS validation policy: each defect gives its problem, with its severity, file, line and field', () => {
  it('the fixture feed itself has no problem at all', () => {
    const { log, feed } = check(padmaRailFeed());
    expect(log.problems).toEqual([]);
    expect(feed.trips.size).toBe(3);
    expect(feed.stopTimeCount).toBe(7);
  });

  it.each(CASES)('$defect → $expected.code', ({ feed, expected }) => {
    const { log } = check(feed);
    const match = log.problems.find((problem) => problem.code === expected.code);
    expect(match, JSON.stringify(log.problems, null, 1)).toMatchObject({
      ...expected,
      severity: PROBLEM_CODES[expected.code],
    });
    expect(match!.message.length).toBeGreaterThan(5);
    expect(log.hasErrors).toBe(
      PROBLEM_CODES[expected.code] === 'error' || log.problems.some((p) => p.severity === 'error'),
    );
  });

  it('a trip whose times go backwards is not imported, the rest of the feed is', () => {
    const { log, feed } = check(
      edit(replace('stop_times.txt', 'NIGHT,23:30:00,23:35:00,CUM', 'NIGHT,21:30:00,21:35:00,CUM')),
    );
    expect(log.hasErrors).toBe(false);
    expect(feed.trips.get('NIGHT')!.usable).toBe(false);
    expect(feed.trips.get('EXPRESS')!.usable).toBe(true);
  });

  it('stops between timed stops get interpolated times; a route at an unknown agency still imports', () => {
    const { log, feed } = check(
      edit((f) => {
        replace('stop_times.txt', 'NIGHT,23:30:00,23:35:00,CUM', 'NIGHT,,,CUM')(f);
        replace('routes.txt', 'R1,PR,', 'R1,MRTS,')(f);
      }),
    );
    expect(log.hasErrors).toBe(false);
    const night = feed.trips.get('NIGHT')!;
    expect(night.arrivals).toEqual([22 * 3600, (22 * 3600 + 26 * 3600 + 600) / 2, 26 * 3600 + 600]);
    expect(feed.routes.get('R1')!.agencyId).toBe('');
  });

  it('a zip with the files in one folder is read from it (warned); a non-zip is refused', () => {
    const log = new ProblemLog();
    const zip = readFeedZip(new Uint8Array(strToU8('not a zip at all')), log);
    expect(zip).toBeUndefined();
    expect(log.problems[0]).toMatchObject({ code: 'archive_unreadable', severity: 'error' });
  });

  it('every problem code of the catalogue is covered by a case here', () => {
    const covered = new Set(CASES.map((c) => c.expected.code));
    // Codes produced outside readGtfsFeed, tested where they arise.
    const elsewhere: ProblemCode[] = [
      'archive_unreadable',
      'archive_too_large',
      'files_in_subfolder',
      'trip_duplicate_departure',
      'route_type_approximated',
      'fare_not_imported',
      'no_trips_in_range',
    ];
    const missing = Object.keys(PROBLEM_CODES).filter(
      (code) => !covered.has(code as ProblemCode) && !elsewhere.includes(code as ProblemCode),
    );
    expect(missing).toEqual([]);
  });
});

describe('GTFS values', () => {
  it('reads times past 24:00 and single-digit hours; refuses what is not H:MM:SS', () => {
    expect(parseGtfsTime('6:05:00')).toBe(6 * 3600 + 300);
    expect(parseGtfsTime('250:00:00')).toBe(250 * 3600);
    expect(parseGtfsTime('24:60:00')).toBeUndefined();
    expect(parseGtfsTime('7:00')).toBeUndefined();
  });

  it('reads real dates only', () => {
    expect(parseGtfsDate('20261231')).toBe('2026-12-31');
    expect(parseGtfsDate('20260230')).toBeUndefined();
    expect(parseGtfsDate('2026-12-31')).toBeUndefined();
  });
});
