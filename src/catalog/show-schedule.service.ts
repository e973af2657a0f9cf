import { sql, type Insertable } from 'kysely';
import { canManageOrganizer, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { EventsTable, EventStatus } from '../db/schema.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { addDays, daysBetween, isIsoDate, isoWeekday, zonedDateTimeToUtc, type IsoDate } from '../shared/time.js';
import { insertEvent, insertGaInventory, upsertEventPrices } from './event-admin.repository.js';
import { checkPrices, checkTimes, parseTime } from './event-admin.service.js';
import { findLayoutCategories, findLayoutGaAreas } from './layout.repository.js';
import { titleKey } from './slug.js';
import { lockVenue } from './venue.repository.js';

export const SCHEDULE_LIMITS = { maxDays: 92, maxShowTimes: 500 };

export interface ShowScheduleInput {
  venueId: string;
  title: string;
  description?: string | undefined;
  category?: string | undefined;
  language?: string | undefined;
  imageUrl?: string | undefined;
  prices: Record<string, number>;
  status?: Extract<EventStatus, 'draft' | 'on_sale'> | undefined;
  holdTtlSeconds?: number | undefined;
  seriesKey?: string | undefined;
  saleStartsAt?: string | undefined;
  from: IsoDate;
  to: IsoDate;
  weekdays: number[];
  times: string[];
  durationMinutes: number;
}

export interface ScheduledShowTimes {
  created: number;
  skipped: number;
  /** Every show time of the pattern, created now or before, by start. */
  showTimes: { eventId: string; startsAt: Date; created: boolean }[];
}

/**
 * Schedules many show times of one title at once — "every day this week at 15:00, 18:30 and 21:45" — in the
 * venue's time zone, on the venue's current layout, with one price list, in one transaction. Show times
 * that already exist (same venue, series and start) are kept, so running a pattern again adds only what is
 * missing.
 */
export async function scheduleShowTimes(
  db: Db,
  principal: Principal,
  input: ShowScheduleInput,
): Promise<ScheduledShowTimes> {
  const dates = datesOf(input);
  const times = [...new Set(input.times)].sort();
  if (dates.length * times.length > SCHEDULE_LIMITS.maxShowTimes) {
    throw new AppError('request.invalid', `At most ${SCHEDULE_LIMITS.maxShowTimes} show times at once`, {
      showTimes: dates.length * times.length,
    });
  }
  const saleStartsAt = input.saleStartsAt === undefined ? null : parseTime(input.saleStartsAt, 'saleStartsAt');
  return db.transaction().execute(async (trx) => {
    const venue = await lockVenue(trx, input.venueId);
    if (!venue || !canManageOrganizer(principal, venue.organizer_id)) throw notFound('Venue', input.venueId);
    if (!venue.layout_id) {
      throw new AppError('venue.no_layout', `Venue ${venue.id} has no seat layout; import one before creating events`, {
        venueId: venue.id,
      });
    }
    checkPrices(input.prices, await findLayoutCategories(trx, venue.layout_id), true);
    const seriesKey = input.seriesKey ?? `${venue.organizer_id}.${titleKey(input.title)}`;

    // Keyed by instant: two local times can name one instant around a daylight-saving change.
    const starts = new Map<number, Date>();
    for (const date of dates) {
      for (const time of times) {
        const startsAt = zonedDateTimeToUtc(date, time, venue.timezone);
        starts.set(startsAt.getTime(), startsAt);
      }
    }
    const wanted = [...starts.values()].sort((a, b) => a.getTime() - b.getTime());
    if (wanted.length === 0) throw new AppError('request.invalid', 'None of the dates falls on the chosen weekdays');
    if (saleStartsAt && saleStartsAt >= wanted[0]!) {
      throw new AppError('catalog.invalid', 'Sales must open before the first show time', { field: 'saleStartsAt' });
    }
    const { rows: existing } = await sql<{ id: string; starts_at: Date }>`
      SELECT id, starts_at FROM events
       WHERE venue_id = ${venue.id} AND series_key = ${seriesKey}
         AND starts_at = ANY(${wanted.map((d) => d.toISOString())}::timestamptz[])`.execute(trx);
    const existingAt = new Map(existing.map((row) => [row.starts_at.getTime(), row.id]));
    const gaAreas = await findLayoutGaAreas(trx, venue.layout_id);

    const showTimes: ScheduledShowTimes['showTimes'] = [];
    for (const startsAt of wanted) {
      const already = existingAt.get(startsAt.getTime());
      if (already) {
        showTimes.push({ eventId: already, startsAt, created: false });
        continue;
      }
      const endsAt = new Date(startsAt.getTime() + input.durationMinutes * 60_000);
      checkTimes({ startsAt, endsAt, saleStartsAt, saleEndsAt: null });
      const id = newId('event');
      const event: Insertable<EventsTable> = {
        id,
        organizer_id: venue.organizer_id,
        venue_id: venue.id,
        layout_id: venue.layout_id,
        series_key: seriesKey,
        title: input.title,
        description: input.description ?? '',
        category: input.category ?? 'other',
        language: input.language ?? '',
        image_url: input.imageUrl ?? null,
        starts_at: startsAt,
        ends_at: endsAt,
        status: input.status ?? 'draft',
        sale_starts_at: saleStartsAt,
        sale_ends_at: null,
        hold_ttl_seconds: input.holdTtlSeconds ?? null,
      };
      await insertEvent(trx, event);
      await upsertEventPrices(trx, id, input.prices);
      await insertGaInventory(trx, id, gaAreas);
      showTimes.push({ eventId: id, startsAt, created: true });
    }
    const created = showTimes.filter((showTime) => showTime.created).length;
    return { created, skipped: showTimes.length - created, showTimes };
  });
}

function datesOf(input: ShowScheduleInput): IsoDate[] {
  for (const [field, value] of [
    ['from', input.from],
    ['to', input.to],
  ] as const) {
    if (!isIsoDate(value)) throw new AppError('request.invalid', `${field} must be a calendar date`, { field });
  }
  const days = daysBetween(input.from, input.to) + 1;
  if (days < 1) throw new AppError('request.invalid', 'from must not be after to', { field: 'to' });
  if (days > SCHEDULE_LIMITS.maxDays) {
    throw new AppError('request.invalid', `At most ${SCHEDULE_LIMITS.maxDays} days at a time`, { field: 'to' });
  }
  const weekdays = new Set(input.weekdays);
  const dates: IsoDate[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(input.from, i);
    if (weekdays.has(isoWeekday(date))) dates.push(date);
  }
  return dates;
}
