import type { Db } from '../db/client.js';
import type { HoldStore } from '../inventory/hold-store.js';
import { findGaCapacities } from '../inventory/inventory.repository.js';
import { EVENT_SEGMENT } from '../inventory/segments.js';
import type { Clock } from '../shared/clock.js';
import { AppError, notFound } from '../shared/errors.js';
import {
  findEventGaAreas,
  findEventPage,
  findEventPrices,
  findOtherShowTimes,
  findSeriesPage,
  findVisibleEvent,
  type EventListRow,
  findEventFacets,
  type EventFacetRows,
  type EventSearch,
  type PricedShowTimeRow,
  type ShowTimeRow,
} from './event-browse.repository.js';
import { presentGaAreas, renderSeats, type LiveSeatMap, type SeatCounts, type SeatMapCache } from './seat-map.js';
import { DEFAULT_PAGE_SIZE, type ListEventsQuery } from './event-browse.schemas.js';

const OTHER_SHOW_TIMES_LIMIT = 200;

interface EventBrowseDeps {
  db: Db;
  holdStore: HoldStore;
  clock: Clock;
  seatMaps: SeatMapCache;
}

export interface VenueSummary {
  id: string;
  name: string;
  city: string;
}

export interface EventListItem {
  id: string;
  title: string;
  seriesKey: string;
  category: string;
  language: string;
  imageUrl: string | null;
  startsAt: string;
  endsAt: string;
  timezone: string;
  status: EventListRow['status'];
  venue: VenueSummary;
  priceRange: { min: number; max: number; currency: string } | null;
}

export interface ShowTime {
  eventId: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  status: EventListRow['status'];
  venue: VenueSummary;
}

export interface EventSeries {
  seriesKey: string;
  title: string;
  imageUrl: string | null;
  category: string;
  language: string;
  showTimeCount: number;
  showTimes: ShowTime[];
  /** Over the listed show times: the cheapest and dearest price. */
  priceRange: { min: number; max: number; currency: string } | null;
}

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export interface EventSeatMapHead {
  eventId: string;
  prices: Record<string, number>;
  currency: string;
  counts: SeatCounts;
}

/** What buyers see of events: search and listings, one event's page, and its live seat map. */
export class EventBrowseService {
  constructor(private readonly deps: EventBrowseDeps) {}

  /** Listed events (or series of show times with `groupBy: 'series'`) matching the filters, one page. */
  async listEvents(query: ListEventsQuery): Promise<Page<EventListItem> | Page<EventSeries>> {
    const search = this.toSearch(query);
    const { page = 1, pageSize = DEFAULT_PAGE_SIZE } = query;
    const window = { limit: pageSize, offset: (page - 1) * pageSize };
    const pageInfo = { page, pageSize };
    if (query.groupBy === 'series') {
      const { seriesKeys, showTimes, total } = await findSeriesPage(this.deps.db, search, window);
      return { items: groupBySeries(seriesKeys, showTimes), ...pageInfo, total };
    }
    const { rows, total } = await findEventPage(this.deps.db, search, window);
    return { items: rows.map(toListItem), ...pageInfo, total };
  }

  /** What the listing can be filtered by: the cities, genres and languages of listed events, and prices. */
  async listFilters(): Promise<EventFacetRows> {
    return findEventFacets(this.deps.db, this.deps.clock.now());
  }

  /** One event with its venue, prices, capacity and the other show times of the same title by day. */
  async getEvent(eventId: string) {
    const { db, clock } = this.deps;
    const event = await findVisibleEvent(db, eventId);
    if (!event) throw notFound('Event', eventId);
    const [prices, gaAreas, others] = await Promise.all([
      findEventPrices(db, eventId),
      findEventGaAreas(db, { id: eventId, layoutId: event.layout_id }),
      findOtherShowTimes(db, {
        seriesKey: event.series_key,
        exceptEventId: event.id,
        now: clock.now(),
        limit: OTHER_SHOW_TIMES_LIMIT,
      }),
    ]);
    const showTimesByDay = new Map<string, ShowTime[]>();
    for (const row of others) {
      const day = showTimesByDay.get(row.local_date) ?? [];
      day.push(toShowTime(row));
      showTimesByDay.set(row.local_date, day);
    }
    return {
      id: event.id,
      title: event.title,
      description: event.description,
      seriesKey: event.series_key,
      category: event.category,
      language: event.language,
      imageUrl: event.image_url,
      startsAt: event.starts_at.toISOString(),
      endsAt: event.ends_at.toISOString(),
      timezone: event.timezone,
      status: event.status,
      saleStartsAt: event.sale_starts_at?.toISOString() ?? null,
      saleEndsAt: event.sale_ends_at?.toISOString() ?? null,
      venue: {
        id: event.venue_id,
        name: event.venue_name,
        city: event.venue_city,
        address: event.venue_address,
        timezone: event.timezone,
      },
      currency: event.currency,
      prices,
      seatCount: event.seat_count,
      gaAreas,
      showTimes: [...showTimesByDay].map(([date, events]) => ({ date, events })),
    };
  }

  /** The event's seat map with the live status of every seat (static layout cached, status per request). */
  async getSeatMap(eventId: string): Promise<LiveSeatMap<EventSeatMapHead>> {
    const { db, holdStore, seatMaps } = this.deps;
    const event = await findVisibleEvent(db, eventId);
    if (!event) throw notFound('Event', eventId);
    const [seatMap, priceRows, capacities, occupancy] = await Promise.all([
      seatMaps.get(event.layout_id),
      findEventPrices(db, eventId),
      findGaCapacities(db, eventId),
      holdStore.occupancy({ kind: 'event', id: eventId }, EVENT_SEGMENT),
    ]);
    const prices = Object.fromEntries(priceRows.map((row) => [row.category, row.amount]));
    const { seatsJson, counts } = renderSeats(seatMap, occupancy);
    return {
      head: { eventId, prices, currency: event.currency, counts },
      layout: {
        id: seatMap.layoutId,
        sections: seatMap.sections,
        gaAreas: presentGaAreas(seatMap, capacities, occupancy.ga, prices),
      },
      seatsJson,
    };
  }

  private toSearch(query: ListEventsQuery): EventSearch {
    if (query.date && (query.from || query.to)) {
      throw new AppError('request.invalid', 'Filter by one date or by a from/to range, not both');
    }
    const fromDate = query.date ?? query.from;
    const toDate = query.date ?? query.to;
    if (fromDate && toDate && fromDate > toDate) {
      throw new AppError('request.invalid', 'The date range ends before it starts', { from: fromDate, to: toDate });
    }
    const q = query.q?.trim();
    return {
      now: this.deps.clock.now(),
      ...(query.city ? { city: query.city.trim() } : {}),
      ...(query.category ? { category: query.category } : {}),
      ...(query.language ? { language: query.language } : {}),
      ...(query.maxPrice !== undefined ? { maxPrice: query.maxPrice } : {}),
      ...(fromDate ? { fromDate } : {}),
      ...(toDate ? { toDate } : {}),
      ...(q ? { q } : {}),
    };
  }
}

function venueOf(row: { venue_id: string; venue_name: string; venue_city: string }): VenueSummary {
  return { id: row.venue_id, name: row.venue_name, city: row.venue_city };
}

function toListItem(row: EventListRow): EventListItem {
  return {
    id: row.id,
    title: row.title,
    seriesKey: row.series_key,
    category: row.category,
    language: row.language,
    imageUrl: row.image_url,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    timezone: row.timezone,
    status: row.status,
    venue: venueOf(row),
    priceRange:
      row.price_min === null || row.price_max === null
        ? null
        : { min: row.price_min, max: row.price_max, currency: row.currency },
  };
}

function toShowTime(row: Omit<ShowTimeRow, 'show_time_count'>): ShowTime {
  return {
    eventId: row.id,
    startsAt: row.starts_at.toISOString(),
    endsAt: row.ends_at.toISOString(),
    timezone: row.timezone,
    status: row.status,
    venue: venueOf(row),
  };
}

/** Series in page order; each described by its first show time, which is where buyers start. */
function groupBySeries(seriesKeys: string[], showTimes: PricedShowTimeRow[]): EventSeries[] {
  const series = new Map<string, EventSeries>();
  for (const row of showTimes) {
    let entry = series.get(row.series_key);
    if (!entry) {
      entry = {
        seriesKey: row.series_key,
        title: row.title,
        imageUrl: row.image_url,
        category: row.category,
        language: row.language,
        showTimeCount: row.show_time_count,
        showTimes: [],
        priceRange: null,
      };
      series.set(row.series_key, entry);
    }
    entry.showTimes.push(toShowTime(row));
    if (row.price_min !== null && row.price_max !== null) {
      const range = entry.priceRange;
      // Prices in another currency than the first show time's cannot be compared; they are left out.
      if (!range) entry.priceRange = { min: row.price_min, max: row.price_max, currency: row.currency };
      else if (range.currency === row.currency) {
        range.min = Math.min(range.min, row.price_min);
        range.max = Math.max(range.max, row.price_max);
      }
    }
  }
  return seriesKeys.flatMap((key) => series.get(key) ?? []);
}
