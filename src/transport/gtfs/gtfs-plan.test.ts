import { describe, expect, it } from 'vitest';
import { feedFiles, padmaRailFeed, type FeedText } from '../../../test/support/gtfs-fixtures.js';
import { readGtfsFeed } from './gtfs-feed.js';
import { modeOfRouteType, planImport } from './gtfs-plan.js';
import { ProblemLog } from './gtfs-problems.js';

function plan(feed: FeedText, from: string, to: string, currency = 'BDT') {
  const log = new ProblemLog();
  const parsed = readGtfsFeed(feedFiles(feed), log);
  expect(log.hasErrors).toBe(false);
  return { plan: planImport(parsed, { from, to, currency }, log), log };
}

const iso = (epochSeconds: number) => new Date(epochSeconds * 1000).toISOString();

describe('planImport', () => {
  // 2027-03-01 is a Monday.
  it('dates trips by calendar weekdays and calendar_dates exceptions within the range', () => {
    const feed = padmaRailFeed();
    feed['calendar_dates.txt'] = 'service_id,date,exception_type\nDAILY,20270302,2\nWEEKDAYS,20270306,1\n';
    const { plan: p } = plan(feed, '2027-03-01', '2027-03-07');
    const dates = (gtfsTripId: string) =>
      [...new Set(p.trips.filter((t) => t.trip.id === gtfsTripId).map((t) => t.serviceDate))].sort();
    expect(dates('NIGHT')).toEqual([
      '2027-03-01',
      '2027-03-03',
      '2027-03-04',
      '2027-03-05',
      '2027-03-06',
      '2027-03-07',
    ]);
    // Weekdays Monday–Friday, plus Saturday the 6th added by an exception.
    expect(dates('EXPRESS')).toEqual([
      '2027-03-01',
      '2027-03-02',
      '2027-03-03',
      '2027-03-04',
      '2027-03-05',
      '2027-03-06',
    ]);
  });

  it('a trip past midnight keeps its service day; its times land on the next calendar day (Asia/Dhaka, UTC+6)', () => {
    const { plan: p } = plan(padmaRailFeed(), '2027-03-01', '2027-03-01');
    const night = p.trips.find((t) => t.trip.id === 'NIGHT')!;
    expect(night.serviceDate).toBe('2027-03-01');
    expect(iso(night.departsAt)).toBe('2027-03-01T16:00:00.000Z'); // 22:00 in Dhaka
    expect(iso(night.base + night.trip.arrivals.at(-1)!)).toBe('2027-03-01T20:10:00.000Z'); // 02:10 on the 2nd
  });

  it('reads times from noon minus 12 h of the service day, so a DST change day is right (America/New_York)', () => {
    const feed = padmaRailFeed();
    feed['agency.txt'] = feed['agency.txt']!.replace('Asia/Dhaka', 'America/New_York');
    // 2027-03-14: clocks go from 02:00 EST to 03:00 EDT. 08:00 that day is 12:00Z; the day before, 13:00Z.
    const { plan: p } = plan(feed, '2027-03-13', '2027-03-14');
    const express = p.trips.filter((t) => t.trip.id === 'EXPRESS');
    expect(express).toHaveLength(0); // a weekend
    const bus = p.trips
      .filter((t) => t.trip.id === 'BUS' && t.serviceDate === '2027-03-14')
      .map((t) => iso(t.departsAt));
    expect(bus).toEqual(['2027-03-14T11:00:00.000Z', '2027-03-14T12:00:00.000Z', '2027-03-14T13:00:00.000Z']);
    const before = p.trips
      .filter((t) => t.trip.id === 'BUS' && t.serviceDate === '2027-03-13')
      .map((t) => iso(t.departsAt));
    expect(before[0]).toBe('2027-03-13T12:00:00.000Z');
  });

  it('expands frequencies into one trip per departure, each with its own id', () => {
    const { plan: p } = plan(padmaRailFeed(), '2027-03-01', '2027-03-01');
    const buses = p.trips.filter((t) => t.trip.id === 'BUS');
    expect(buses.map((t) => t.gtfsId)).toEqual(['BUS@25200', 'BUS@28800', 'BUS@32400']);
    expect(buses.map((t) => iso(t.departsAt))).toEqual([
      '2027-03-01T01:00:00.000Z',
      '2027-03-01T02:00:00.000Z',
      '2027-03-01T03:00:00.000Z',
    ]);
  });

  it('makes one route per distinct stop pattern of a GTFS route, named by its ends', () => {
    const { plan: p } = plan(padmaRailFeed(), '2027-03-01', '2027-03-01');
    const r1 = p.patterns.filter((pattern) => pattern.gtfsRouteId === 'R1');
    expect(r1).toHaveLength(2);
    expect(r1.map((pattern) => pattern.stopIds)).toEqual(
      expect.arrayContaining([
        ['DHK', 'CUM', 'CTG'],
        ['DHK', 'CTG'],
      ]),
    );
    expect(new Set(r1.map((pattern) => pattern.code)).size).toBe(2);
    expect(r1.every((pattern) => pattern.name.includes('Dhaka Kamalapur → Chattogram'))).toBe(true);
    const night = r1.find((pattern) => pattern.stopIds.length === 3)!;
    expect(night.arriveOffsets).toEqual([0, 90, 250]);
    expect(night.departOffsets).toEqual([0, 95, 250]);
    expect(p.patterns.find((pattern) => pattern.gtfsRouteId === 'R2')!.mode).toBe('bus');
  });

  it('turns zone fares into origin–destination fares in minor units; other currencies are not imported', () => {
    const { plan: p } = plan(padmaRailFeed(), '2027-03-01', '2027-03-01');
    const night = p.patterns.find((pattern) => pattern.stopIds.length === 3)!;
    expect(night.fares).toEqual([
      { fromIndex: 0, toIndex: 1, amount: 50_000 },
      { fromIndex: 0, toIndex: 2, amount: 90_000 },
    ]);
    const { plan: usd, log } = plan(padmaRailFeed(), '2027-03-01', '2027-03-01', 'USD');
    expect(usd.patterns.every((pattern) => pattern.fares.length === 0)).toBe(true);
    expect(log.problems.filter((problem) => problem.code === 'fare_not_imported')).toHaveLength(2);
  });

  it('keeps only the first of two trips leaving at the same instant on the same route and stops', () => {
    const feed = padmaRailFeed();
    feed['trips.txt'] += 'R1,DAILY,NIGHT_COPY,Chattogram\n';
    feed['stop_times.txt'] +=
      'NIGHT_COPY,22:00:00,22:00:00,DHK,1\r\nNIGHT_COPY,23:30:00,23:35:00,CUM,2\r\nNIGHT_COPY,26:10:00,26:10:00,CTG,3\r\n';
    const { plan: p, log } = plan(feed, '2027-03-01', '2027-03-01');
    expect(p.trips.filter((t) => t.trip.id.startsWith('NIGHT'))).toHaveLength(1);
    expect(log.problems.find((problem) => problem.code === 'trip_duplicate_departure')).toMatchObject({
      severity: 'warning',
      file: 'trips.txt',
    });
  });

  it('warns when nothing runs in the range', () => {
    const { plan: p, log } = plan(padmaRailFeed(), '2031-01-01', '2031-01-07');
    expect(p.trips).toEqual([]);
    expect(log.problems.map((problem) => problem.code)).toContain('no_trips_in_range');
  });

  it('maps route types to the two modes Boxoffice sells, warning where it approximates', () => {
    expect(modeOfRouteType(2)).toEqual({ mode: 'train', approximated: false });
    expect(modeOfRouteType(3)).toEqual({ mode: 'bus', approximated: false });
    expect(modeOfRouteType(109)).toEqual({ mode: 'train', approximated: false });
    expect(modeOfRouteType(4)).toEqual({ mode: 'bus', approximated: true });
    const feed = padmaRailFeed();
    feed['routes.txt'] = feed['routes.txt']!.replace('Dhaka – Sylhet bus,3', 'Dhaka – Sylhet ferry,4');
    const { log } = plan(feed, '2027-03-01', '2027-03-01');
    expect(log.problems.find((problem) => problem.code === 'route_type_approximated')).toMatchObject({
      field: 'route_type',
    });
  });
});
