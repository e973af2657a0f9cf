import { describe, expect, it } from 'vitest';
import {
  addDays,
  canonicalTimeZone,
  daysBetween,
  isIsoDate,
  isoWeekday,
  isWallTime,
  localDateOf,
  utcOffsetMinutes,
  zonedDateTimeToUtc,
} from './time.js';

describe('calendar dates and wall-clock times', () => {
  it('accepts real dates and refuses impossible ones', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
    expect(isIsoDate('2026-01-01T00:00:00Z')).toBe(false);
  });

  it('accepts 00:00 to 23:59 and nothing else', () => {
    expect(isWallTime('00:00')).toBe(true);
    expect(isWallTime('23:59')).toBe(true);
    expect(isWallTime('24:00')).toBe(false);
    expect(isWallTime('25:61')).toBe(false);
    expect(isWallTime('7:00')).toBe(false);
  });

  it('counts days, weekdays and date steps across month and year ends', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2026-01-01', '2026-12-31')).toBe(364);
    expect(daysBetween('2026-03-02', '2026-03-01')).toBe(-1);
    expect(isoWeekday('2026-03-02')).toBe(1); // a Monday
    expect(isoWeekday('2026-03-08')).toBe(7); // a Sunday
  });
});

describe('time zones', () => {
  it('knows IANA zones, spells them canonically and refuses unknown ones', () => {
    expect(canonicalTimeZone('asia/dhaka')).toBe('Asia/Dhaka');
    expect(canonicalTimeZone('Europe/London')).toBe('Europe/London');
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(canonicalTimeZone('')).toBeUndefined();
  });

  it('reads offsets and local dates', () => {
    expect(utcOffsetMinutes(new Date('2026-01-15T12:00:00Z'), 'Asia/Dhaka')).toBe(360);
    expect(utcOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Europe/London')).toBe(60);
    expect(utcOffsetMinutes(new Date('2026-07-15T12:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(localDateOf(new Date('2026-01-15T19:00:00Z'), 'Asia/Dhaka')).toBe('2026-01-16');
    expect(localDateOf(new Date('2026-01-15T19:00:00Z'), 'America/New_York')).toBe('2026-01-15');
  });

  it('converts local times in a zone without daylight saving', () => {
    expect(zonedDateTimeToUtc('2026-03-29', '07:00', 'Asia/Dhaka').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    expect(zonedDateTimeToUtc('2026-03-29', '00:30', 'Asia/Dhaka').toISOString()).toBe('2026-03-28T18:30:00.000Z');
    expect(zonedDateTimeToUtc('2026-03-29', '21:00', 'Asia/Kolkata').toISOString()).toBe('2026-03-29T15:30:00.000Z');
  });

  it('keeps the wall-clock time across a daylight-saving change', () => {
    // London springs forward on 2026-03-29 at 01:00 UTC and falls back on 2026-10-25 at 01:00 UTC.
    expect(zonedDateTimeToUtc('2026-03-28', '07:00', 'Europe/London').toISOString()).toBe('2026-03-28T07:00:00.000Z');
    expect(zonedDateTimeToUtc('2026-03-29', '07:00', 'Europe/London').toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(zonedDateTimeToUtc('2026-10-25', '07:00', 'Europe/London').toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(zonedDateTimeToUtc('2026-03-08', '09:00', 'America/New_York').toISOString()).toBe(
      '2026-03-08T13:00:00.000Z',
    );
  });

  it('moves a time that never happens forward by the gap, and takes the first of a time that happens twice', () => {
    expect(zonedDateTimeToUtc('2026-03-29', '01:30', 'Europe/London').toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(zonedDateTimeToUtc('2026-10-25', '01:30', 'Europe/London').toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(zonedDateTimeToUtc('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe(
      '2026-03-08T07:30:00.000Z',
    );
    expect(zonedDateTimeToUtc('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
  });

  it('refuses impossible input instead of guessing', () => {
    expect(() => zonedDateTimeToUtc('2026-02-30', '07:00', 'Asia/Dhaka')).toThrow(RangeError);
    expect(() => zonedDateTimeToUtc('2026-02-28', '25:61', 'Asia/Dhaka')).toThrow(RangeError);
  });
});
