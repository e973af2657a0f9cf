/**
 * Calendar dates, wall-clock times and time zones without a date library. Times are stored in UTC; a
 * schedule is written in local wall-clock time at a place (a stop, a venue), so these helpers convert
 * between the two with Intl, which carries the IANA time-zone database.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const WALL_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** A calendar date as written in ISO 8601, e.g. "2026-03-29". */
export type IsoDate = string;

/** True for a real calendar date "YYYY-MM-DD" (so 2026-02-30 is false). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** True for a wall-clock time "HH:MM" from 00:00 to 23:59. */
export function isWallTime(value: string): boolean {
  return WALL_TIME.test(value);
}

/** The IANA name of a time zone as Intl spells it ("asia/dhaka" → "Asia/Dhaka"), or undefined if unknown. */
export function canonicalTimeZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClockAt(instantMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** Minutes the zone is ahead of UTC at an instant (Asia/Dhaka: 360; Europe/London in summer: 60). */
export function utcOffsetMinutes(instant: Date, timeZone: string): number {
  const wholeSecondMs = Math.floor(instant.getTime() / 1000) * 1000; // the wall clock shows whole seconds
  const wall = wallClockAt(wholeSecondMs, timeZone);
  const wallAsUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((wallAsUtc - wholeSecondMs) / MINUTE_MS);
}

/** The local calendar date at an instant in a zone. */
export function localDateOf(instant: Date, timeZone: string): IsoDate {
  const wall = wallClockAt(instant.getTime(), timeZone);
  return `${String(wall.year).padStart(4, '0')}-${pad2(wall.month)}-${pad2(wall.day)}`;
}

/**
 * The UTC instant of a local date and wall-clock time in a zone, safe across daylight-saving changes.
 * Like Temporal's "compatible" disambiguation: a time that occurs twice (clocks go back) means the
 * earlier instant; a time that never occurs (clocks go forward) is moved forward by the length of the
 * gap, so 01:30 on the day London springs forward becomes 02:30 BST.
 */
export function zonedDateTimeToUtc(date: IsoDate, time: string, timeZone: string): Date {
  if (!isIsoDate(date)) throw new RangeError(`Not a calendar date: ${date}`);
  if (!isWallTime(time)) throw new RangeError(`Not a wall-clock time: ${time}`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const [hour, minute] = time.split(':').map(Number) as [number, number];
  const wallAsUtc = Date.UTC(year, month - 1, day, hour, minute);

  // Zones change offset at most once within a day either side, so the offsets a day before and a day
  // after are the only candidates.
  const offsetBefore = utcOffsetMinutes(new Date(wallAsUtc - DAY_MS), timeZone);
  const offsetAfter = utcOffsetMinutes(new Date(wallAsUtc + DAY_MS), timeZone);
  const candidates = [...new Set([offsetBefore, offsetAfter])]
    .map((offset) => wallAsUtc - offset * MINUTE_MS)
    .filter((instantMs) => {
      const wall = wallClockAt(instantMs, timeZone);
      return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute) === wallAsUtc;
    });
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // In the gap: read the wall time with the offset in force before the change.
  return new Date(wallAsUtc - offsetBefore * MINUTE_MS);
}

/** The date `days` days after (or before) a date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from one date to another (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** ISO weekday of a date: Monday = 1 … Sunday = 7. */
export function isoWeekday(date: IsoDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
