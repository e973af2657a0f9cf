import { canonicalTimeZone } from '../../shared/time.js';
import type { FeedFiles } from './gtfs-archive.js';
import { readCsv } from './gtfs-csv.js';
import type { ProblemCode, ProblemLog } from './gtfs-problems.js';

/**
 * A GTFS feed read and checked: every file decoded (UTF-8, a BOM tolerated), parsed as CSV, each row's
 * values checked, ids and references resolved, and each trip's stop times ordered and checked. What is
 * wrong goes to the problem log with file, line and field; a feed with errors is not imported at all.
 */

export interface GtfsAgency {
  id: string;
  name: string;
  timezone: string;
  line: number;
}

export interface GtfsStop {
  id: string;
  code: string;
  name: string;
  lat: number | null;
  lon: number | null;
  zoneId: string;
  locationType: number;
  timezone: string | null;
  line: number;
}

export interface GtfsRoute {
  id: string;
  agencyId: string;
  shortName: string;
  longName: string;
  type: number;
  line: number;
}

/** A trip with its stop times in order: times are seconds after "noon minus 12 h" of the service day. */
export interface GtfsTrip {
  id: string;
  routeId: string;
  serviceId: string;
  headsign: string;
  shortName: string;
  line: number;
  stopIds: string[];
  arrivals: number[];
  departures: number[];
  /** False when the trip cannot be sold (too few stops, times going backwards): reported and skipped. */
  usable: boolean;
}

export interface GtfsCalendar {
  serviceId: string;
  /** Monday first, as ISO weekdays 1…7 map to indexes 0…6. */
  weekdays: boolean[];
  startDate: string;
  endDate: string;
}

export interface GtfsFrequency {
  tripId: string;
  start: number;
  end: number;
  headway: number;
}

export interface GtfsFare {
  id: string;
  price: number;
  currency: string;
  line: number;
}

export interface GtfsFareRule {
  fareId: string;
  routeId: string;
  originId: string;
  destinationId: string;
  containsId: string;
  line: number;
}

export interface GtfsFeed {
  agencies: GtfsAgency[];
  /** Every agency of a feed shares one time zone (the spec requires it); stop times are read in it. */
  timezone: string;
  stops: Map<string, GtfsStop>;
  routes: Map<string, GtfsRoute>;
  trips: Map<string, GtfsTrip>;
  calendars: Map<string, GtfsCalendar>;
  /** service_id → date (YYYY-MM-DD) → true for added, false for removed. */
  calendarDates: Map<string, Map<string, boolean>>;
  frequencies: GtfsFrequency[];
  fares: Map<string, GtfsFare>;
  fareRules: GtfsFareRule[];
  /** Whether fare_rules.txt was present (a lone fare without rules applies to every journey). */
  hasFareRules: boolean;
  feedVersion: string | null;
  stopTimeCount: number;
}

// ── Files and columns ────────────────────────────────────────────────────────────────────────────────

interface TableSpec {
  required: string[];
  optional: string[];
}

const TABLES: Record<string, TableSpec> = {
  'agency.txt': {
    required: ['agency_name', 'agency_url', 'agency_timezone'],
    optional: ['agency_id', 'agency_lang', 'agency_phone', 'agency_fare_url', 'agency_email', 'cemv_support'],
  },
  'stops.txt': {
    required: ['stop_id'],
    optional: [
      'stop_code',
      'stop_name',
      'tts_stop_name',
      'stop_desc',
      'stop_lat',
      'stop_lon',
      'zone_id',
      'stop_url',
      'location_type',
      'parent_station',
      'stop_timezone',
      'wheelchair_boarding',
      'level_id',
      'platform_code',
      'stop_access',
    ],
  },
  'routes.txt': {
    required: ['route_id', 'route_type'],
    optional: [
      'agency_id',
      'route_short_name',
      'route_long_name',
      'route_desc',
      'route_url',
      'route_color',
      'route_text_color',
      'route_sort_order',
      'continuous_pickup',
      'continuous_drop_off',
      'network_id',
      'cemv_support',
    ],
  },
  'trips.txt': {
    required: ['route_id', 'service_id', 'trip_id'],
    optional: [
      'trip_headsign',
      'trip_short_name',
      'direction_id',
      'block_id',
      'shape_id',
      'wheelchair_accessible',
      'bikes_allowed',
      'cars_allowed',
    ],
  },
  'stop_times.txt': {
    required: ['trip_id', 'arrival_time', 'departure_time', 'stop_id', 'stop_sequence'],
    optional: [
      'location_group_id',
      'location_id',
      'stop_headsign',
      'start_pickup_drop_off_window',
      'end_pickup_drop_off_window',
      'pickup_type',
      'drop_off_type',
      'continuous_pickup',
      'continuous_drop_off',
      'shape_dist_traveled',
      'timepoint',
      'pickup_booking_rule_id',
      'drop_off_booking_rule_id',
    ],
  },
  'calendar.txt': {
    required: [
      'service_id',
      'monday',
      'tuesday',
      'wednesday',
      'thursday',
      'friday',
      'saturday',
      'sunday',
      'start_date',
      'end_date',
    ],
    optional: [],
  },
  'calendar_dates.txt': { required: ['service_id', 'date', 'exception_type'], optional: [] },
  'frequencies.txt': { required: ['trip_id', 'start_time', 'end_time', 'headway_secs'], optional: ['exact_times'] },
  'fare_attributes.txt': {
    required: ['fare_id', 'price', 'currency_type', 'payment_method', 'transfers'],
    optional: ['agency_id', 'transfer_duration'],
  },
  'fare_rules.txt': {
    required: ['fare_id'],
    optional: ['route_id', 'origin_id', 'destination_id', 'contains_id'],
  },
  'feed_info.txt': {
    required: ['feed_publisher_name', 'feed_publisher_url', 'feed_lang'],
    optional: [
      'default_lang',
      'feed_start_date',
      'feed_end_date',
      'feed_version',
      'feed_contact_email',
      'feed_contact_url',
    ],
  },
};

const REQUIRED_FILES = ['agency.txt', 'stops.txt', 'routes.txt', 'trips.txt', 'stop_times.txt'];

/** Files of the GTFS reference this importer has no use for: read by nobody, reported by nobody. */
const IGNORED_FILES = new Set([
  'shapes.txt',
  'transfers.txt',
  'pathways.txt',
  'levels.txt',
  'translations.txt',
  'attributions.txt',
  'areas.txt',
  'stop_areas.txt',
  'networks.txt',
  'route_networks.txt',
  'fare_media.txt',
  'fare_products.txt',
  'fare_leg_rules.txt',
  'fare_leg_join_rules.txt',
  'fare_transfer_rules.txt',
  'rider_categories.txt',
  'timeframes.txt',
  'location_groups.txt',
  'location_group_stops.txt',
  'booking_rules.txt',
]);

const WEEKDAY_COLUMNS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

// ── Values ───────────────────────────────────────────────────────────────────────────────────────────

const TIME = /^(\d{1,3}):([0-5]\d):([0-5]\d)$/;
const DATE = /^(\d{4})(\d{2})(\d{2})$/;

/** GTFS time "H:MM:SS" (hours may pass 24) → seconds, or undefined. */
export function parseGtfsTime(value: string): number | undefined {
  const match = TIME.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** GTFS date "YYYYMMDD" → "YYYY-MM-DD", or undefined when it is not a real date. */
export function parseGtfsDate(value: string): string | undefined {
  const match = DATE.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/** The currency's minor-unit digits (JPY 0, BDT 2, KWD 3), or undefined for an unknown code. */
export function currencyDigits(currency: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(currency)) return undefined;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
  } catch {
    return undefined;
  }
}

// ── Reading one table ────────────────────────────────────────────────────────────────────────────────

interface Row {
  line: number;
  get(column: string): string;
  has(column: string): boolean;
}

/** Decodes a file as UTF-8 (refusing UTF-16, NUL bytes and invalid sequences), without its BOM. */
function decodeFile(file: string, bytes: Uint8Array, log: ProblemLog): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    log.error('file_encoding', { file, message: 'is UTF-16; GTFS files must be UTF-8' });
    return undefined;
  }
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    log.warning('byte_order_mark', { file, line: 1, message: 'starts with a UTF-8 byte-order mark (ignored)' });
    start = 3;
  }
  const body = bytes.subarray(start);
  const nul = body.indexOf(0);
  if (nul >= 0) {
    log.error('file_encoding', {
      file,
      line: lineAt(body, nul),
      message: 'contains a NUL byte; it is not a text file',
    });
    return undefined;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(body);
    const bad = lenient.indexOf('\uFFFD');
    const line = bad < 0 ? undefined : lenient.slice(0, bad).split(/\r\n|\r|\n/).length;
    log.error('file_encoding', {
      file,
      ...(line ? { line } : {}),
      message: 'is not valid UTF-8 (an invalid byte sequence); save it as UTF-8',
    });
    return undefined;
  }
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

/**
 * Reads one table: checks the header (required columns present, unknown ones reported) and the cell
 * count of every row, then hands each row to `onRow`. Answers false when the table cannot be read at all.
 */
function readTable(
  files: FeedFiles,
  file: string,
  log: ProblemLog,
  onRow: (row: Row) => void,
  { optionalFile = false }: { optionalFile?: boolean } = {},
): boolean {
  const bytes = files.get(file);
  if (!bytes) return false;
  const spec = TABLES[file]!;
  const text = decodeFile(file, bytes, log);
  if (text === undefined) return false;
  if (text.trim() === '') {
    if (optionalFile) log.warning('optional_file_empty', { file, message: 'is empty (not even a header); ignored' });
    else log.error('file_empty', { file, message: 'is empty: it needs at least its header row' });
    return false;
  }
  let columns = new Map<string, number>();
  let width = 0;
  let headerOk = false;
  const { problems, lineEndings } = readCsv(text, {
    onHeader: (header) => {
      width = header.length;
      columns = new Map(header.map((name, index) => [name, index] as const));
      const missing = spec.required.filter((name) => !columns.has(name));
      for (const name of missing) {
        log.error('column_missing', { file, line: 1, field: name, message: `has no ${name} column` });
      }
      const known = new Set([...spec.required, ...spec.optional]);
      for (const name of header) {
        if (!known.has(name)) {
          log.warning('column_unknown', {
            file,
            line: 1,
            field: name,
            message: `has a column ${JSON.stringify(name)} that GTFS does not define; ignored`,
          });
        }
      }
      headerOk = missing.length === 0;
      return headerOk;
    },
    onRow: (record) => {
      if (record.cells.length < width) {
        log.warning('row_short', {
          file,
          line: record.line,
          message: `has ${record.cells.length} values but the header has ${width} columns; the missing ones are read as empty`,
        });
      }
      if (record.cells.length > width) {
        log.warning('row_long', {
          file,
          line: record.line,
          message: `has ${record.cells.length} values but the header has ${width} columns; the extra values are ignored`,
        });
      }
      const cells = record.cells;
      const map = columns;
      onRow({
        line: record.line,
        get: (column) => {
          const index = map.get(column);
          return index === undefined ? '' : (cells[index] ?? '').trim();
        },
        has: (column) => map.has(column),
      });
    },
  });
  for (const problem of problems) log.error('csv_malformed', { file, line: problem.line, message: problem.message });
  if (lineEndings.size > 1) {
    log.warning('line_endings_mixed', {
      file,
      message: `mixes line endings (${[...lineEndings].join(', ')}); each is read as the end of a row`,
    });
  }
  return headerOk;
}

// ── The feed ─────────────────────────────────────────────────────────────────────────────────────────

/** Reads and checks a whole feed. Answers the feed even with errors (for counting); check log.hasErrors. */
export function readGtfsFeed(files: FeedFiles, log: ProblemLog): GtfsFeed {
  for (const name of files.keys()) {
    if (!TABLES[name] && !IGNORED_FILES.has(name)) {
      log.warning('file_unknown', { file: name, message: 'is not a GTFS file; ignored' });
    }
  }
  for (const name of REQUIRED_FILES) {
    if (!files.has(name)) log.error('file_missing', { file: name, message: 'is missing: every GTFS feed has it' });
  }
  if (!files.has('calendar.txt') && !files.has('calendar_dates.txt')) {
    log.error('file_missing', {
      file: 'calendar.txt',
      message: 'is missing, and so is calendar_dates.txt: a feed needs at least one of them to say when trips run',
    });
  }

  const required = (row: Row, file: string, column: string): string | undefined => {
    const value = row.get(column);
    if (value === '') {
      log.error('value_missing', { file, line: row.line, field: column, message: `${column} is empty` });
      return undefined;
    }
    return value;
  };
  const invalid = (file: string, line: number, field: string, message: string, code: ProblemCode = 'value_invalid') =>
    log.add(code, { file, line, field, message });
  const duplicate = (file: string, line: number, field: string, id: string, firstLine: number) =>
    log.error('id_duplicate', {
      file,
      line,
      field,
      message: `${field} ${JSON.stringify(id)} repeats line ${firstLine}`,
    });

  // agency.txt
  const agencies: GtfsAgency[] = [];
  readTable(files, 'agency.txt', log, (row) => {
    const name = required(row, 'agency.txt', 'agency_name');
    required(row, 'agency.txt', 'agency_url');
    const rawZone = required(row, 'agency.txt', 'agency_timezone');
    const timezone = rawZone === undefined ? undefined : canonicalTimeZone(rawZone);
    if (rawZone !== undefined && !timezone) {
      invalid('agency.txt', row.line, 'agency_timezone', `${JSON.stringify(rawZone)} is not an IANA time zone`);
    }
    agencies.push({ id: row.get('agency_id'), name: name ?? '', timezone: timezone ?? 'UTC', line: row.line });
  });
  const agencyLines = new Map<string, number>();
  for (const agency of agencies) {
    if (agencies.length > 1 && agency.id === '') {
      log.error('value_missing', {
        file: 'agency.txt',
        line: agency.line,
        field: 'agency_id',
        message: 'agency_id is empty: a feed with several agencies must name each',
      });
    }
    const first = agencyLines.get(agency.id);
    if (first !== undefined && agency.id !== '') duplicate('agency.txt', agency.line, 'agency_id', agency.id, first);
    else agencyLines.set(agency.id, agency.line);
  }
  if (files.has('agency.txt') && agencies.length === 0 && !log.hasErrors) {
    log.error('file_empty', { file: 'agency.txt', message: 'has no agency' });
  }
  const timezone = agencies[0]?.timezone ?? 'UTC';
  for (const agency of agencies.slice(1)) {
    if (agency.timezone !== timezone) {
      log.error('timezone_mismatch', {
        file: 'agency.txt',
        line: agency.line,
        field: 'agency_timezone',
        message: `${agency.timezone} differs from ${timezone} of the first agency: every agency of a feed shares one time zone`,
      });
    }
  }

  // stops.txt
  const stops = new Map<string, GtfsStop>();
  readTable(files, 'stops.txt', log, (row) => {
    const id = required(row, 'stops.txt', 'stop_id');
    if (id === undefined) return;
    const existing = stops.get(id);
    if (existing) return duplicate('stops.txt', row.line, 'stop_id', id, existing.line);
    const locationType = row.get('location_type') === '' ? 0 : Number(row.get('location_type'));
    if (!Number.isInteger(locationType) || locationType < 0 || locationType > 4) {
      invalid('stops.txt', row.line, 'location_type', `${JSON.stringify(row.get('location_type'))} is not 0–4`);
    }
    const name = row.get('stop_name');
    if (name === '' && locationType <= 2) {
      log.error('value_missing', {
        file: 'stops.txt',
        line: row.line,
        field: 'stop_name',
        message: 'stop_name is empty',
      });
    }
    const coordinate = (field: 'stop_lat' | 'stop_lon', limit: number): number | null => {
      const raw = row.get(field);
      if (raw === '') return null;
      const value = Number(raw);
      if (!Number.isFinite(value) || Math.abs(value) > limit) {
        invalid('stops.txt', row.line, field, `${JSON.stringify(raw)} is not a coordinate within ±${limit}`);
        return null;
      }
      return value;
    };
    const lat = coordinate('stop_lat', 90);
    const lon = coordinate('stop_lon', 180);
    if ((lat === null || lon === null) && locationType <= 2) {
      log.warning('stop_location_missing', {
        file: 'stops.txt',
        line: row.line,
        field: lat === null ? 'stop_lat' : 'stop_lon',
        message: `stop ${JSON.stringify(id)} has no position; imported without one`,
      });
    }
    const rawZone = row.get('stop_timezone');
    const stopZone = rawZone === '' ? null : (canonicalTimeZone(rawZone) ?? null);
    if (rawZone !== '' && !stopZone) {
      invalid('stops.txt', row.line, 'stop_timezone', `${JSON.stringify(rawZone)} is not an IANA time zone`);
    }
    stops.set(id, {
      id,
      code: row.get('stop_code'),
      name,
      lat,
      lon,
      zoneId: row.get('zone_id'),
      locationType: Number.isInteger(locationType) ? locationType : 0,
      timezone: stopZone,
      line: row.line,
    });
  });

  // routes.txt
  const routes = new Map<string, GtfsRoute>();
  const routeNames = new Map<string, number>();
  readTable(files, 'routes.txt', log, (row) => {
    const id = required(row, 'routes.txt', 'route_id');
    if (id === undefined) return;
    const existing = routes.get(id);
    if (existing) return duplicate('routes.txt', row.line, 'route_id', id, existing.line);
    const shortName = row.get('route_short_name');
    const longName = row.get('route_long_name');
    if (shortName === '' && longName === '') {
      log.error('value_missing', {
        file: 'routes.txt',
        line: row.line,
        field: 'route_short_name',
        message: 'route_short_name and route_long_name are both empty: a route needs a name',
      });
    }
    if (shortName !== '' && shortName === longName) {
      log.warning('route_names_same', {
        file: 'routes.txt',
        line: row.line,
        field: 'route_long_name',
        message: `route_short_name and route_long_name are both ${JSON.stringify(shortName)}`,
      });
    }
    const fullName = `${shortName}\u0000${longName}`;
    const sameName = routeNames.get(fullName);
    if (sameName !== undefined && (shortName !== '' || longName !== '')) {
      log.warning('route_name_repeated', {
        file: 'routes.txt',
        line: row.line,
        field: longName ? 'route_long_name' : 'route_short_name',
        message: `route ${JSON.stringify(id)} has the same name as the route on line ${sameName}`,
      });
    } else routeNames.set(fullName, row.line);
    const rawType = required(row, 'routes.txt', 'route_type');
    const type = Number(rawType);
    if (rawType !== undefined && (!/^\d+$/.test(rawType) || type > 1799)) {
      invalid('routes.txt', row.line, 'route_type', `${JSON.stringify(rawType)} is not a GTFS route type`);
    }
    let agencyId = row.get('agency_id');
    if (agencyId === '' && agencies.length > 1) {
      log.error('value_missing', {
        file: 'routes.txt',
        line: row.line,
        field: 'agency_id',
        message: 'agency_id is empty: the feed has several agencies, so each route must name one',
      });
    } else if (agencyId !== '' && agencies.length > 0 && !agencyLines.has(agencyId)) {
      log.warning('agency_unknown', {
        file: 'routes.txt',
        line: row.line,
        field: 'agency_id',
        message: `agency_id ${JSON.stringify(agencyId)} is not in agency.txt; the route is imported (all agencies share one time zone)`,
      });
      agencyId = '';
    }
    routes.set(id, { id, agencyId, shortName, longName, type: Number.isFinite(type) ? type : 3, line: row.line });
  });

  // calendar.txt and calendar_dates.txt
  const calendars = new Map<string, GtfsCalendar & { line: number }>();
  const date = (row: Row, file: string, field: string): string | undefined => {
    const raw = required(row, file, field);
    if (raw === undefined) return undefined;
    const parsed = parseGtfsDate(raw);
    if (!parsed) invalid(file, row.line, field, `${JSON.stringify(raw)} is not a date written YYYYMMDD`);
    return parsed;
  };
  readTable(
    files,
    'calendar.txt',
    log,
    (row) => {
      const serviceId = required(row, 'calendar.txt', 'service_id');
      if (serviceId === undefined) return;
      const existing = calendars.get(serviceId);
      if (existing) return duplicate('calendar.txt', row.line, 'service_id', serviceId, existing.line);
      const weekdays = WEEKDAY_COLUMNS.map((column) => {
        const value = row.get(column);
        if (value !== '0' && value !== '1')
          invalid('calendar.txt', row.line, column, `${JSON.stringify(value)} is not 0 or 1`);
        return value === '1';
      });
      const startDate = date(row, 'calendar.txt', 'start_date');
      const endDate = date(row, 'calendar.txt', 'end_date');
      if (startDate && endDate && endDate < startDate) {
        invalid('calendar.txt', row.line, 'end_date', `end_date ${endDate} is before start_date ${startDate}`);
      }
      calendars.set(serviceId, {
        serviceId,
        weekdays,
        startDate: startDate ?? '',
        endDate: endDate ?? '',
        line: row.line,
      });
    },
    { optionalFile: files.has('calendar_dates.txt') },
  );
  const calendarDates = new Map<string, Map<string, boolean>>();
  readTable(
    files,
    'calendar_dates.txt',
    log,
    (row) => {
      const serviceId = required(row, 'calendar_dates.txt', 'service_id');
      const day = date(row, 'calendar_dates.txt', 'date');
      const type = row.get('exception_type');
      if (type !== '1' && type !== '2') {
        invalid(
          'calendar_dates.txt',
          row.line,
          'exception_type',
          `${JSON.stringify(type)} is not 1 (added) or 2 (removed)`,
        );
      }
      if (serviceId === undefined || !day || (type !== '1' && type !== '2')) return;
      const dates = calendarDates.get(serviceId) ?? new Map<string, boolean>();
      if (dates.has(day)) {
        log.error('id_duplicate', {
          file: 'calendar_dates.txt',
          line: row.line,
          field: 'date',
          message: `service ${JSON.stringify(serviceId)} has ${day} twice`,
        });
      }
      dates.set(day, type === '1');
      calendarDates.set(serviceId, dates);
    },
    { optionalFile: true },
  );
  const services = new Set([...calendars.keys(), ...calendarDates.keys()]);

  // trips.txt
  const trips = new Map<string, GtfsTrip>();
  readTable(files, 'trips.txt', log, (row) => {
    const id = required(row, 'trips.txt', 'trip_id');
    const routeId = required(row, 'trips.txt', 'route_id');
    const serviceId = required(row, 'trips.txt', 'service_id');
    if (id === undefined) return;
    const existing = trips.get(id);
    if (existing) return duplicate('trips.txt', row.line, 'trip_id', id, existing.line);
    if (routeId !== undefined && routes.size > 0 && !routes.has(routeId)) {
      log.error('reference_unknown', {
        file: 'trips.txt',
        line: row.line,
        field: 'route_id',
        message: `route_id ${JSON.stringify(routeId)} is not in routes.txt`,
      });
    }
    if (serviceId !== undefined && !services.has(serviceId)) {
      log.error('reference_unknown', {
        file: 'trips.txt',
        line: row.line,
        field: 'service_id',
        message: `service_id ${JSON.stringify(serviceId)} is in neither calendar.txt nor calendar_dates.txt`,
      });
    }
    trips.set(id, {
      id,
      routeId: routeId ?? '',
      serviceId: serviceId ?? '',
      headsign: row.get('trip_headsign'),
      shortName: row.get('trip_short_name'),
      line: row.line,
      stopIds: [],
      arrivals: [],
      departures: [],
      usable: true,
    });
  });

  // stop_times.txt, grouped by trip; sorted and checked per trip below.
  interface RawStopTime {
    sequence: number;
    stopId: string;
    arrival: number;
    departure: number;
    line: number;
  }
  const stopTimesByTrip = new Map<string, RawStopTime[]>();
  let stopTimeCount = 0;
  const usedStops = new Set<string>();
  readTable(files, 'stop_times.txt', log, (row) => {
    stopTimeCount++;
    const tripId = required(row, 'stop_times.txt', 'trip_id');
    const rawSequence = required(row, 'stop_times.txt', 'stop_sequence');
    const stopId = row.get('stop_id');
    if (stopId === '') {
      log.error('value_missing', {
        file: 'stop_times.txt',
        line: row.line,
        field: 'stop_id',
        message:
          row.get('location_id') || row.get('location_group_id')
            ? 'stop_id is empty: flexible (on-demand) stop times are not supported'
            : 'stop_id is empty',
      });
    }
    const sequence = rawSequence === undefined ? Number.NaN : Number(rawSequence);
    if (rawSequence !== undefined && (!/^\d+$/.test(rawSequence) || !Number.isSafeInteger(sequence))) {
      invalid('stop_times.txt', row.line, 'stop_sequence', `${JSON.stringify(rawSequence)} is not a whole number ≥ 0`);
    }
    const time = (field: 'arrival_time' | 'departure_time'): number => {
      const raw = row.get(field);
      if (raw === '') return -1;
      const seconds = parseGtfsTime(raw);
      if (seconds === undefined) {
        invalid('stop_times.txt', row.line, field, `${JSON.stringify(raw)} is not a time written H:MM:SS`);
        return -1;
      }
      return seconds;
    };
    const arrival = time('arrival_time');
    const departure = time('departure_time');
    if (tripId === undefined || stopId === '' || !Number.isSafeInteger(sequence)) return;
    if (!trips.has(tripId)) {
      if (trips.size > 0 || files.has('trips.txt')) {
        log.error('reference_unknown', {
          file: 'stop_times.txt',
          line: row.line,
          field: 'trip_id',
          message: `trip_id ${JSON.stringify(tripId)} is not in trips.txt`,
        });
      }
      return;
    }
    if (!stops.has(stopId)) {
      log.error('reference_unknown', {
        file: 'stop_times.txt',
        line: row.line,
        field: 'stop_id',
        message: `stop_id ${JSON.stringify(stopId)} is not in stops.txt`,
      });
      return;
    }
    usedStops.add(stopId);
    let list = stopTimesByTrip.get(tripId);
    if (!list) stopTimesByTrip.set(tripId, (list = []));
    list.push({ sequence, stopId, arrival, departure, line: row.line });
  });

  for (const trip of trips.values()) {
    const list = stopTimesByTrip.get(trip.id) ?? [];
    list.sort((a, b) => a.sequence - b.sequence);
    let ok = true;
    for (let i = 1; i < list.length; i++) {
      if (list[i]!.sequence === list[i - 1]!.sequence) {
        log.error('stop_sequence_duplicate', {
          file: 'stop_times.txt',
          line: list[i]!.line,
          field: 'stop_sequence',
          message: `trip ${JSON.stringify(trip.id)} has stop_sequence ${list[i]!.sequence} twice (also line ${list[i - 1]!.line})`,
        });
        ok = false;
      }
    }
    if (list.length < 2) {
      log.warning('trip_too_short', {
        file: 'trips.txt',
        line: trip.line,
        field: 'trip_id',
        message: `trip ${JSON.stringify(trip.id)} has ${list.length === 0 ? 'no stop times' : 'one stop'}; not imported (nothing to sell)`,
      });
      trip.usable = false;
      continue;
    }
    const first = list[0]!;
    const last = list.at(-1)!;
    for (const end of [first, last]) {
      if (end.arrival < 0 && end.departure < 0) {
        log.error('endpoint_time_missing', {
          file: 'stop_times.txt',
          line: end.line,
          field: 'departure_time',
          message: `the ${end === first ? 'first' : 'last'} stop of trip ${JSON.stringify(trip.id)} has no time: a trip's first and last stops must`,
        });
        ok = false;
      }
    }
    if (!ok) {
      trip.usable = false;
      continue;
    }
    // One of arrival/departure given: the other is the same (no dwell). Neither: interpolated below.
    for (const stopTime of list) {
      if (stopTime.arrival < 0 !== stopTime.departure < 0) {
        const given = stopTime.arrival < 0 ? 'departure_time' : 'arrival_time';
        log.warning('time_missing', {
          file: 'stop_times.txt',
          line: stopTime.line,
          field: given === 'arrival_time' ? 'departure_time' : 'arrival_time',
          message: `only ${given} is given; the other is taken to be the same`,
        });
        if (stopTime.arrival < 0) stopTime.arrival = stopTime.departure;
        else stopTime.departure = stopTime.arrival;
      }
    }
    interpolateTimes(list);
    for (let i = 0; i < list.length; i++) {
      const current = list[i]!;
      const previous = list[i - 1];
      const backwards = current.departure < current.arrival || (previous && current.arrival < previous.departure);
      if (backwards) {
        log.warning('times_backwards', {
          file: 'stop_times.txt',
          line: current.line,
          field: current.departure < current.arrival ? 'departure_time' : 'arrival_time',
          message:
            current.departure < current.arrival
              ? `trip ${JSON.stringify(trip.id)} departs ${JSON.stringify(current.stopId)} before it arrives there; the trip is not imported`
              : `trip ${JSON.stringify(trip.id)} arrives at ${JSON.stringify(current.stopId)} before it left the stop before; the trip is not imported`,
        });
        ok = false;
        break;
      }
    }
    if (!ok) {
      trip.usable = false;
      continue;
    }
    trip.stopIds = list.map((stopTime) => stopTime.stopId);
    trip.arrivals = list.map((stopTime) => stopTime.arrival);
    trip.departures = list.map((stopTime) => stopTime.departure);
  }

  for (const stop of stops.values()) {
    if (stop.locationType === 0 && !usedStops.has(stop.id) && stopTimesByTrip.size > 0) {
      log.warning('stop_unused', {
        file: 'stops.txt',
        line: stop.line,
        field: 'stop_id',
        message: `stop ${JSON.stringify(stop.id)} is on no trip; imported anyway`,
      });
    }
  }
  for (const stopId of usedStops) {
    const stop = stops.get(stopId)!;
    if (stop.locationType !== 0) {
      invalid(
        'stops.txt',
        stop.line,
        'location_type',
        `stop ${JSON.stringify(stopId)} is on trips but its location_type is ${stop.locationType}, not 0 (a stop)`,
      );
    }
  }

  // frequencies.txt
  const frequencies: GtfsFrequency[] = [];
  readTable(
    files,
    'frequencies.txt',
    log,
    (row) => {
      const tripId = required(row, 'frequencies.txt', 'trip_id');
      const time = (field: string) => {
        const raw = required(row, 'frequencies.txt', field);
        if (raw === undefined) return undefined;
        const seconds = parseGtfsTime(raw);
        if (seconds === undefined)
          invalid('frequencies.txt', row.line, field, `${JSON.stringify(raw)} is not a time written H:MM:SS`);
        return seconds;
      };
      const start = time('start_time');
      const end = time('end_time');
      const rawHeadway = required(row, 'frequencies.txt', 'headway_secs');
      const headway = Number(rawHeadway);
      if (rawHeadway !== undefined && (!/^\d+$/.test(rawHeadway) || headway <= 0)) {
        invalid(
          'frequencies.txt',
          row.line,
          'headway_secs',
          `${JSON.stringify(rawHeadway)} is not a positive number of seconds`,
        );
        return;
      }
      if (tripId === undefined || start === undefined || end === undefined || rawHeadway === undefined) return;
      if (!trips.has(tripId)) {
        log.error('reference_unknown', {
          file: 'frequencies.txt',
          line: row.line,
          field: 'trip_id',
          message: `trip_id ${JSON.stringify(tripId)} is not in trips.txt`,
        });
        return;
      }
      if (end <= start) {
        log.warning('frequency_invalid', {
          file: 'frequencies.txt',
          line: row.line,
          field: 'end_time',
          message: `end_time is not after start_time; this frequency is ignored`,
        });
        return;
      }
      frequencies.push({ tripId, start, end, headway });
    },
    { optionalFile: true },
  );

  // fare_attributes.txt and fare_rules.txt
  const fares = new Map<string, GtfsFare>();
  readTable(
    files,
    'fare_attributes.txt',
    log,
    (row) => {
      const id = required(row, 'fare_attributes.txt', 'fare_id');
      const rawPrice = required(row, 'fare_attributes.txt', 'price');
      const currency = required(row, 'fare_attributes.txt', 'currency_type');
      if (id === undefined) return;
      const existing = fares.get(id);
      if (existing) return duplicate('fare_attributes.txt', row.line, 'fare_id', id, existing.line);
      const price = Number(rawPrice);
      if (rawPrice !== undefined && (!/^\d+(\.\d+)?$/.test(rawPrice) || !Number.isFinite(price))) {
        invalid('fare_attributes.txt', row.line, 'price', `${JSON.stringify(rawPrice)} is not a price`);
        return;
      }
      if (currency !== undefined && currencyDigits(currency) === undefined) {
        invalid(
          'fare_attributes.txt',
          row.line,
          'currency_type',
          `${JSON.stringify(currency)} is not an ISO 4217 currency code`,
        );
        return;
      }
      if (rawPrice === undefined || currency === undefined) return;
      fares.set(id, { id, price, currency, line: row.line });
    },
    { optionalFile: true },
  );
  const fareRules: GtfsFareRule[] = [];
  const hasFareRules = readTable(
    files,
    'fare_rules.txt',
    log,
    (row) => {
      const fareId = required(row, 'fare_rules.txt', 'fare_id');
      if (fareId === undefined) return;
      if (!fares.has(fareId)) {
        log.error('reference_unknown', {
          file: 'fare_rules.txt',
          line: row.line,
          field: 'fare_id',
          message: `fare_id ${JSON.stringify(fareId)} is not in fare_attributes.txt`,
        });
        return;
      }
      const routeId = row.get('route_id');
      if (routeId !== '' && !routes.has(routeId)) {
        log.error('reference_unknown', {
          file: 'fare_rules.txt',
          line: row.line,
          field: 'route_id',
          message: `route_id ${JSON.stringify(routeId)} is not in routes.txt`,
        });
        return;
      }
      fareRules.push({
        fareId,
        routeId,
        originId: row.get('origin_id'),
        destinationId: row.get('destination_id'),
        containsId: row.get('contains_id'),
        line: row.line,
      });
    },
    { optionalFile: true },
  );

  let feedVersion: string | null = null;
  readTable(
    files,
    'feed_info.txt',
    log,
    (row) => {
      feedVersion ??= row.get('feed_version') || null;
    },
    { optionalFile: true },
  );

  return {
    agencies,
    timezone,
    stops,
    routes,
    trips,
    calendars,
    calendarDates,
    frequencies,
    fares,
    fareRules,
    hasFareRules,
    feedVersion,
    stopTimeCount,
  };
}

/**
 * Stops between two timed stops without times of their own (GTFS allows it for non-timepoints) get
 * times spread evenly by position, as the spec asks consumers to interpolate.
 */
function interpolateTimes(list: { arrival: number; departure: number }[]): void {
  let lastTimed = 0;
  for (let i = 1; i < list.length; i++) {
    if (list[i]!.arrival < 0) continue;
    const gap = i - lastTimed;
    if (gap > 1) {
      const from = list[lastTimed]!.departure;
      const to = list[i]!.arrival;
      for (let k = lastTimed + 1; k < i; k++) {
        const at = Math.round(from + ((to - from) * (k - lastTimed)) / gap);
        list[k]!.arrival = at;
        list[k]!.departure = at;
      }
    }
    lastTimed = i;
  }
}
