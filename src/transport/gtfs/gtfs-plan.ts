import { createHash } from 'node:crypto';
import type { RouteRow } from '../../db/schema.js';
import { addDays, daysBetween, isoWeekday, zonedDateTimeToUtc, type IsoDate } from '../../shared/time.js';
import { currencyDigits, type GtfsFeed, type GtfsRoute, type GtfsTrip } from './gtfs-feed.js';
import type { ProblemLog } from './gtfs-problems.js';

/**
 * Turns a checked feed into what Boxoffice should hold for a date range: stops, one route per distinct
 * stop pattern of a GTFS route (ADR 0017), and one trip per GTFS trip and service day (per departure for
 * frequency-based trips) with real UTC instants. Pure: the repository diffs this against the database.
 */

export interface PlannedStop {
  gtfsId: string;
  code: string;
  name: string;
  lat: number | null;
  lon: number | null;
  timezone: string;
}

export interface PlannedPattern {
  /** GTFS route_id and the pattern key (a hash of the stop sequence): the route's identity across imports. */
  gtfsRouteId: string;
  key: string;
  routeType: number;
  mode: RouteRow['mode'];
  /** Shown to buyers; a route with several patterns names the ends of each. */
  name: string;
  /** Preferred route code; made unique per organizer when written. */
  code: string;
  stopIds: string[];
  /** Minutes after the first departure, from the pattern's first trip. */
  arriveOffsets: number[];
  departOffsets: number[];
  /** Origin–destination fares in minor units of the organizer currency, before seat classes are known. */
  fares: { fromIndex: number; toIndex: number; amount: number }[];
  /** A hash of name, mode, offsets and fares: an unchanged route is left alone on re-import. */
  fingerprint: string;
}

export interface PlannedTrip {
  /** trip_id, plus `@<seconds>` for each departure of a frequency-based trip. */
  gtfsId: string;
  serviceDate: IsoDate;
  patternKey: string;
  gtfsRouteId: string;
  trip: GtfsTrip;
  /** Epoch seconds of the service day's "noon minus 12 h" plus the frequency shift, added to the trip's times. */
  base: number;
  /** The first departure, epoch seconds. */
  departsAt: number;
  /** A fingerprint of the pattern and every time: an unchanged trip is left alone on re-import. */
  fingerprint: string;
}

export interface ImportPlan {
  stops: PlannedStop[];
  patterns: PlannedPattern[];
  trips: PlannedTrip[];
  stopTimeCount: number;
  dates: IsoDate[];
}

export interface PlanOptions {
  from: IsoDate;
  to: IsoDate;
  /** Fares in other currencies are not imported. */
  currency: string;
}

/** GTFS route_type → Boxoffice mode; rail-bound and cable types sell like trains, road and water like buses. */
export function modeOfRouteType(type: number): { mode: RouteRow['mode']; approximated: boolean } {
  if ([0, 1, 2, 5, 6, 7, 12].includes(type)) return { mode: 'train', approximated: false };
  if (type === 3 || type === 11) return { mode: 'bus', approximated: false };
  if ((type >= 100 && type < 200) || (type >= 400 && type < 500) || (type >= 900 && type < 1000)) {
    return { mode: 'train', approximated: false };
  }
  if ((type >= 200 && type < 300) || (type >= 700 && type < 900)) return { mode: 'bus', approximated: false };
  if (type >= 1300 && type < 1500) return { mode: 'train', approximated: true };
  return { mode: 'bus', approximated: true }; // ferries (4, 1000–1299), air (1100), taxis, misc.
}

/** Is the service running on that date: its calendar (weekday within its dates), then calendar_dates. */
function runsOn(feed: GtfsFeed, serviceId: string, date: IsoDate): boolean {
  const exception = feed.calendarDates.get(serviceId)?.get(date);
  if (exception !== undefined) return exception;
  const calendar = feed.calendars.get(serviceId);
  if (!calendar) return false;
  return date >= calendar.startDate && date <= calendar.endDate && calendar.weekdays[isoWeekday(date) - 1] === true;
}

export function patternKeyOf(stopIds: readonly string[]): string {
  return createHash('sha1').update(stopIds.join('\u001f')).digest('hex').slice(0, 16);
}

export function planImport(feed: GtfsFeed, options: PlanOptions, log: ProblemLog): ImportPlan {
  const dayCount = daysBetween(options.from, options.to) + 1;
  const dates = Array.from({ length: dayCount }, (_, i) => addDays(options.from, i));

  const stops: PlannedStop[] = [];
  for (const stop of feed.stops.values()) {
    if (stop.locationType !== 0) continue; // stations, entrances and nodes are not where seats are sold
    stops.push({
      gtfsId: stop.id,
      code: stop.code || stop.id,
      name: stop.name || stop.id,
      lat: stop.lat,
      lon: stop.lon,
      timezone: stop.timezone ?? feed.timezone,
    });
  }

  // Patterns: per GTFS route, the distinct stop sequences of its usable trips, most-run first.
  const patternsByKey = new Map<string, PlannedPattern & { tripCount: number }>();
  const patternKeyOfTrip = new Map<string, string>();
  const approximatedTypes = new Set<number>();
  for (const trip of feed.trips.values()) {
    if (!trip.usable) continue;
    const route = feed.routes.get(trip.routeId);
    if (!route) continue;
    const stopKey = patternKeyOf(trip.stopIds);
    const key = `${route.id}\u001f${stopKey}`;
    patternKeyOfTrip.set(trip.id, key);
    const existing = patternsByKey.get(key);
    if (existing) {
      existing.tripCount++;
      continue;
    }
    const { mode, approximated } = modeOfRouteType(route.type);
    if (approximated && !approximatedTypes.has(route.type)) {
      approximatedTypes.add(route.type);
      log.warning('route_type_approximated', {
        file: 'routes.txt',
        line: route.line,
        field: 'route_type',
        message: `route_type ${route.type} is sold as ${mode} (Boxoffice sells buses and trains)`,
      });
    }
    const start = trip.departures[0]!;
    const arriveOffsets = trip.arrivals.map((seconds, i) => (i === 0 ? 0 : Math.round((seconds - start) / 60)));
    const departOffsets = trip.departures.map((seconds) => Math.round((seconds - start) / 60));
    patternsByKey.set(key, {
      gtfsRouteId: route.id,
      key: stopKey,
      routeType: route.type,
      mode,
      name: routeName(route),
      code: route.id,
      stopIds: trip.stopIds,
      arriveOffsets,
      departOffsets: departOffsets.map((offset, i) => Math.max(offset, arriveOffsets[i]!)),
      fares: [],
      fingerprint: '',
      tripCount: 1,
    });
  }
  const byRoute = new Map<string, (PlannedPattern & { tripCount: number })[]>();
  for (const pattern of patternsByKey.values()) {
    const list = byRoute.get(pattern.gtfsRouteId) ?? [];
    list.push(pattern);
    byRoute.set(pattern.gtfsRouteId, list);
  }
  for (const list of byRoute.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => b.tripCount - a.tripCount || a.key.localeCompare(b.key));
    list.forEach((pattern, i) => {
      const first = feed.stops.get(pattern.stopIds[0]!)?.name ?? pattern.stopIds[0]!;
      const last = feed.stops.get(pattern.stopIds.at(-1)!)?.name ?? pattern.stopIds.at(-1)!;
      pattern.name = `${pattern.name} (${first} → ${last}, ${pattern.stopIds.length} stops)`;
      if (i > 0) pattern.code = `${pattern.gtfsRouteId}~${pattern.key.slice(0, 6)}`;
    });
  }
  const patterns = [...patternsByKey.values()].map(({ tripCount: _tripCount, ...pattern }) => pattern);
  addFares(feed, patterns, options.currency, log);
  for (const pattern of patterns) {
    pattern.fingerprint = createHash('sha1')
      .update(
        JSON.stringify([
          pattern.name,
          pattern.mode,
          pattern.code,
          pattern.arriveOffsets,
          pattern.departOffsets,
          pattern.fares,
        ]),
      )
      .digest('hex')
      .slice(0, 16);
  }

  // Trips: each usable trip on each date its service runs, at each departure of its frequencies.
  const frequenciesByTrip = new Map<string, { start: number; end: number; headway: number }[]>();
  for (const frequency of feed.frequencies) {
    const list = frequenciesByTrip.get(frequency.tripId) ?? [];
    list.push(frequency);
    frequenciesByTrip.set(frequency.tripId, list);
  }
  const serviceDayBase = new Map(
    dates.map((date) => [date, zonedDateTimeToUtc(date, '12:00', feed.timezone).getTime() / 1000 - 12 * 3600] as const),
  );
  const trips: PlannedTrip[] = [];
  const departures = new Map<string, string>();
  let stopTimeCount = 0;
  for (const trip of feed.trips.values()) {
    const key = patternKeyOfTrip.get(trip.id);
    if (!key) continue;
    const pattern = patternsByKey.get(key)!;
    const timesPrint = createHash('sha1')
      .update(`${pattern.key}|${trip.arrivals.join(',')}|${trip.departures.join(',')}`)
      .digest('hex')
      .slice(0, 16);
    const starts = departuresOf(trip, frequenciesByTrip.get(trip.id));
    for (const date of dates) {
      if (!runsOn(feed, trip.serviceId, date)) continue;
      const dayBase = serviceDayBase.get(date)!;
      for (const start of starts) {
        const shift = start - trip.departures[0]!;
        const base = dayBase + shift;
        const departsAt = base + trip.departures[0]!;
        const gtfsId =
          starts.length === 1 && shift === 0 && !frequenciesByTrip.has(trip.id) ? trip.id : `${trip.id}@${start}`;
        const slot = `${key}\u001f${departsAt}`;
        const taken = departures.get(slot);
        if (taken !== undefined) {
          log.warning('trip_duplicate_departure', {
            file: 'trips.txt',
            line: trip.line,
            field: 'trip_id',
            message: `trip ${JSON.stringify(gtfsId)} leaves at the same time on ${date} as trip ${JSON.stringify(taken)} of the same route and stops; only the first is imported`,
          });
          continue;
        }
        departures.set(slot, gtfsId);
        trips.push({
          gtfsId,
          serviceDate: date,
          patternKey: pattern.key,
          gtfsRouteId: pattern.gtfsRouteId,
          trip,
          base,
          departsAt,
          fingerprint: `${timesPrint}:${shift}`,
        });
        stopTimeCount += trip.stopIds.length;
      }
    }
  }
  if (trips.length === 0) {
    log.warning('no_trips_in_range', {
      message: `no trip of the feed runs between ${options.from} and ${options.to}; only stops and routes are imported`,
    });
  }
  return { stops, patterns, trips, stopTimeCount, dates };
}

function routeName(route: GtfsRoute): string {
  if (route.shortName && route.longName) return `${route.shortName} ${route.longName}`;
  return route.longName || route.shortName || route.id;
}

/** First-stop departures of a trip: its own, or every headway between each frequency's start and end. */
function departuresOf(trip: GtfsTrip, frequencies: { start: number; end: number; headway: number }[] | undefined) {
  if (!frequencies) return [trip.departures[0]!];
  const starts = new Set<number>();
  for (const frequency of frequencies) {
    for (let at = frequency.start; at < frequency.end; at += frequency.headway) starts.add(at);
  }
  return [...starts].sort((a, b) => a - b);
}

/**
 * GTFS fares (fare_attributes + fare_rules, zone based) as origin–destination fares per pattern: for each
 * pair of stops, the cheapest fare whose rules match the route, the origin zone and the destination zone.
 * Rules with contains_id and fares in another currency are not imported (reported).
 */
function addFares(feed: GtfsFeed, patterns: PlannedPattern[], currency: string, log: ProblemLog): void {
  if (feed.fares.size === 0) return;
  const digits = currencyDigits(currency) ?? 2;
  const usable = new Map<string, number>();
  for (const fare of feed.fares.values()) {
    if (fare.currency !== currency) {
      log.warning('fare_not_imported', {
        file: 'fare_attributes.txt',
        line: fare.line,
        field: 'currency_type',
        message: `fare ${JSON.stringify(fare.id)} is in ${fare.currency}, not the organizer's ${currency}; not imported`,
      });
      continue;
    }
    usable.set(fare.id, Math.round(fare.price * 10 ** digits));
  }
  let rules = feed.fareRules.filter((rule) => usable.has(rule.fareId));
  for (const rule of rules.filter((r) => r.containsId !== '')) {
    log.warning('fare_not_imported', {
      file: 'fare_rules.txt',
      line: rule.line,
      field: 'contains_id',
      message: `fare rules by contains_id are not supported; the rule of fare ${JSON.stringify(rule.fareId)} is not imported`,
    });
  }
  rules = rules.filter((rule) => rule.containsId === '');
  if (!feed.hasFareRules) {
    if (usable.size !== 1) {
      if (usable.size > 1) {
        log.warning('fare_not_imported', {
          file: 'fare_attributes.txt',
          message: 'several fares but no fare_rules.txt to say where each applies; no fares imported',
        });
      }
      return;
    }
    rules = [{ fareId: [...usable.keys()][0]!, routeId: '', originId: '', destinationId: '', containsId: '', line: 0 }];
  }
  if (rules.length === 0) return;
  for (const pattern of patterns) {
    const zones = pattern.stopIds.map((stopId) => feed.stops.get(stopId)?.zoneId ?? '');
    const routeRules = rules.filter((rule) => rule.routeId === '' || rule.routeId === pattern.gtfsRouteId);
    if (routeRules.length === 0) continue;
    for (let from = 0; from < zones.length - 1; from++) {
      for (let to = from + 1; to < zones.length; to++) {
        let best: number | undefined;
        for (const rule of routeRules) {
          if (rule.originId !== '' && rule.originId !== zones[from]) continue;
          if (rule.destinationId !== '' && rule.destinationId !== zones[to]) continue;
          const amount = usable.get(rule.fareId)!;
          if (best === undefined || amount < best) best = amount;
        }
        if (best !== undefined) pattern.fares.push({ fromIndex: from, toIndex: to, amount: best });
      }
    }
  }
}
