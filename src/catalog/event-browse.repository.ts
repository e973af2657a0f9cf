import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Db } from '../db/client.js';
import type { EventStatus } from '../db/schema.js';

/**
 * Reads behind the public event pages. Buyers only ever see events that are on sale or whose sales have
 * closed (never drafts or cancelled ones) and that have not ended.
 */
const LISTED_STATUSES: EventStatus[] = ['on_sale', 'sales_closed'];

/** At most this many show times are listed per series on a results page. */
export const SHOW_TIMES_PER_SERIES = 50;

export interface EventSearch {
  city?: string;
  /** Local dates at the venue, inclusive. */
  fromDate?: string;
  toDate?: string;
  q?: string;
  category?: string;
  language?: string;
  /** Minor units: some price of the event is at most this. */
  maxPrice?: number;
  now: Date;
}

export interface PageWindow {
  limit: number;
  offset: number;
}

/**
 * Full-text match (titles are indexed with the 'simple' configuration, descriptions with 'english', so the
 * query is parsed both ways) OR a trigram match on the title: `%>` catches prefixes and partial words,
 * `%>>` whole words with a typo ("avangers" → "Avengers"). Both use the GIN trigram index on lower(title).
 */
function textMatch(q: string): Expression<SqlBool> {
  return sql<SqlBool>`(
    e.search @@ (websearch_to_tsquery('simple', ${q}) || websearch_to_tsquery('english', ${q}))
    OR lower(e.title) %> lower(${q})
    OR lower(e.title) %>> lower(${q}))`;
}

function textRank(q: string | undefined): RawBuilder<number> {
  if (!q) return sql<number>`0`;
  return sql<number>`(ts_rank(e.search, websearch_to_tsquery('simple', ${q}) || websearch_to_tsquery('english', ${q}))
    + word_similarity(lower(${q}), lower(e.title)))`;
}

/** Listed events matching the filters, aliased `e` (events) and `v` (venues). */
function listedEvents(db: Db, search: EventSearch) {
  let query = db
    .selectFrom('events as e')
    .innerJoin('venues as v', 'v.id', 'e.venue_id')
    .where('e.status', 'in', LISTED_STATUSES)
    .where('e.ends_at', '>', search.now);
  if (search.city) query = query.where(sql`lower(v.city)`, '=', search.city.toLowerCase());
  if (search.category) query = query.where(sql`lower(e.category)`, '=', search.category.toLowerCase());
  if (search.language) query = query.where(sql`lower(e.language)`, '=', search.language.toLowerCase());
  // Local dates depend on each venue's time zone. A coarse bound in UTC first (zones lie within a day of
  // UTC) lets the starts_at index narrow the scan; the exact comparison in local time follows.
  if (search.fromDate) {
    query = query
      .where('e.starts_at', '>=', sql<Date>`((${search.fromDate}::date - 1)::timestamp AT TIME ZONE 'UTC')`)
      .where(sql`(e.starts_at AT TIME ZONE v.timezone)::date`, '>=', sql`${search.fromDate}::date`);
  }
  if (search.toDate) {
    query = query
      .where('e.starts_at', '<', sql<Date>`((${search.toDate}::date + 2)::timestamp AT TIME ZONE 'UTC')`)
      .where(sql`(e.starts_at AT TIME ZONE v.timezone)::date`, '<=', sql`${search.toDate}::date`);
  }
  if (search.q) query = query.where(textMatch(search.q));
  if (search.maxPrice !== undefined) {
    const maxPrice = search.maxPrice;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('event_prices as mp')
          .select(sql`1`.as('one'))
          .whereRef('mp.event_id', '=', 'e.id')
          .where('mp.amount', '<=', maxPrice),
      ),
    );
  }
  return query;
}

export interface EventListRow {
  id: string;
  title: string;
  series_key: string;
  category: string;
  language: string;
  image_url: string | null;
  starts_at: Date;
  ends_at: Date;
  status: EventStatus;
  timezone: string;
  venue_id: string;
  venue_name: string;
  venue_city: string;
  currency: string;
  price_min: number | null;
  price_max: number | null;
}

/** One page of listed events, best match first when searching, else soonest first; and the total. */
export async function findEventPage(
  db: Db,
  search: EventSearch,
  window: PageWindow,
): Promise<{ rows: EventListRow[]; total: number }> {
  const rowsQuery = listedEvents(db, search)
    .innerJoin('organizers as o', 'o.id', 'e.organizer_id')
    .select((eb) => [
      'e.id',
      'e.title',
      'e.series_key',
      'e.category',
      'e.language',
      'e.image_url',
      'e.starts_at',
      'e.ends_at',
      'e.status',
      'v.timezone',
      'v.id as venue_id',
      'v.name as venue_name',
      'v.city as venue_city',
      sql<string>`o.currency`.as('currency'),
      eb
        .selectFrom('event_prices as p')
        .select((p) => p.fn.min('p.amount').as('amount'))
        .whereRef('p.event_id', '=', 'e.id')
        .as('price_min'),
      eb
        .selectFrom('event_prices as p')
        .select((p) => p.fn.max('p.amount').as('amount'))
        .whereRef('p.event_id', '=', 'e.id')
        .as('price_max'),
      textRank(search.q).as('rank'),
    ])
    .orderBy('rank', 'desc')
    .orderBy('e.starts_at')
    .orderBy('e.id')
    .limit(window.limit)
    .offset(window.offset);
  const [rows, count] = await Promise.all([
    rowsQuery.execute(),
    listedEvents(db, search)
      .select((eb) => eb.fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map(({ rank: _rank, ...row }) => row), total: count.total };
}

export interface ShowTimeRow {
  id: string;
  series_key: string;
  title: string;
  category: string;
  language: string;
  image_url: string | null;
  starts_at: Date;
  ends_at: Date;
  status: EventStatus;
  timezone: string;
  venue_id: string;
  venue_name: string;
  venue_city: string;
  /** All matching show times of the series (only the first SHOW_TIMES_PER_SERIES are returned). */
  show_time_count: number;
}

/** A show time on a results page, with its prices (the series shows the range over its show times). */
export interface PricedShowTimeRow extends ShowTimeRow {
  currency: string;
  price_min: number | null;
  price_max: number | null;
}

/**
 * One page of series (titles) with at least one listed event matching the filters — best match first,
 * else the series playing soonest first — and each series' matching show times in start order.
 */
export async function findSeriesPage(
  db: Db,
  search: EventSearch,
  window: PageWindow,
): Promise<{ seriesKeys: string[]; showTimes: PricedShowTimeRow[]; total: number }> {
  const matches = listedEvents(db, search).select(['e.series_key', 'e.starts_at', textRank(search.q).as('rank')]);
  const [keys, count] = await Promise.all([
    db
      .selectFrom(matches.as('m'))
      .select((eb) => ['m.series_key', eb.fn.max('m.rank').as('best_rank'), eb.fn.min('m.starts_at').as('first_start')])
      .groupBy('m.series_key')
      .orderBy('best_rank', 'desc')
      .orderBy('first_start')
      .orderBy('m.series_key')
      .limit(window.limit)
      .offset(window.offset)
      .execute(),
    db
      .selectFrom(matches.as('m'))
      .select((eb) => eb.fn.count<number>('m.series_key').distinct().as('total'))
      .executeTakeFirstOrThrow(),
  ]);
  const seriesKeys = keys.map((row) => row.series_key);
  if (seriesKeys.length === 0) return { seriesKeys, showTimes: [], total: count.total };

  const numbered = listedEvents(db, search)
    .where('e.series_key', 'in', seriesKeys)
    .select([
      'e.id',
      'e.series_key',
      'e.title',
      'e.category',
      'e.language',
      'e.image_url',
      'e.starts_at',
      'e.ends_at',
      'e.status',
      'v.timezone',
      'v.id as venue_id',
      'v.name as venue_name',
      'v.city as venue_city',
      sql<string>`(SELECT o.currency FROM organizers o WHERE o.id = e.organizer_id)`.as('currency'),
      sql<number | null>`(SELECT min(p.amount) FROM event_prices p WHERE p.event_id = e.id)`.as('price_min'),
      sql<number | null>`(SELECT max(p.amount) FROM event_prices p WHERE p.event_id = e.id)`.as('price_max'),
      sql<number>`row_number() OVER (PARTITION BY e.series_key ORDER BY e.starts_at, e.id)::int`.as('position'),
      sql<number>`count(*) OVER (PARTITION BY e.series_key)::int`.as('show_time_count'),
    ]);
  const showTimes = await db
    .selectFrom(numbered.as('s'))
    .selectAll()
    .where('s.position', '<=', SHOW_TIMES_PER_SERIES)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute();
  return { seriesKeys, showTimes: showTimes.map(({ position: _position, ...row }) => row), total: count.total };
}

export interface EventDetailRow {
  id: string;
  layout_id: string;
  series_key: string;
  title: string;
  description: string;
  category: string;
  language: string;
  image_url: string | null;
  starts_at: Date;
  ends_at: Date;
  status: EventStatus;
  sale_starts_at: Date | null;
  sale_ends_at: Date | null;
  venue_id: string;
  venue_name: string;
  venue_city: string;
  venue_address: string;
  timezone: string;
  currency: string;
  seat_count: number;
}

/** An event a buyer may look at: anything but a draft. */
export async function findVisibleEvent(db: Db, eventId: string): Promise<EventDetailRow | undefined> {
  return db
    .selectFrom('events as e')
    .innerJoin('venues as v', 'v.id', 'e.venue_id')
    .innerJoin('organizers as o', 'o.id', 'e.organizer_id')
    .innerJoin('seat_layouts as l', 'l.id', 'e.layout_id')
    .select([
      'e.id',
      'e.layout_id',
      'e.series_key',
      'e.title',
      'e.description',
      'e.category',
      'e.language',
      'e.image_url',
      'e.starts_at',
      'e.ends_at',
      'e.status',
      'e.sale_starts_at',
      'e.sale_ends_at',
      'v.id as venue_id',
      'v.name as venue_name',
      'v.city as venue_city',
      'v.address as venue_address',
      'v.timezone',
      sql<string>`o.currency`.as('currency'),
      'l.seat_count',
    ])
    .where('e.id', '=', eventId)
    .where('e.status', '!=', 'draft')
    .executeTakeFirst();
}

export function findEventPrices(db: Db, eventId: string): Promise<{ category: string; amount: number }[]> {
  return db
    .selectFrom('event_prices')
    .select(['category', 'amount'])
    .where('event_id', '=', eventId)
    .orderBy('amount', 'desc')
    .orderBy('category')
    .execute();
}

export interface SeriesShowTimeRow extends Omit<ShowTimeRow, 'show_time_count'> {
  /** YYYY-MM-DD at the venue. */
  local_date: string;
}

/** Other listed show times of a series, soonest first. */
export function findOtherShowTimes(
  db: Db,
  options: { seriesKey: string; exceptEventId: string; now: Date; limit: number },
): Promise<SeriesShowTimeRow[]> {
  return listedEvents(db, { now: options.now })
    .where('e.series_key', '=', options.seriesKey)
    .where('e.id', '!=', options.exceptEventId)
    .select([
      'e.id',
      'e.series_key',
      'e.title',
      'e.category',
      'e.language',
      'e.image_url',
      'e.starts_at',
      'e.ends_at',
      'e.status',
      'v.timezone',
      'v.id as venue_id',
      'v.name as venue_name',
      'v.city as venue_city',
      sql<string>`to_char(e.starts_at AT TIME ZONE v.timezone, 'YYYY-MM-DD')`.as('local_date'),
    ])
    .orderBy('e.starts_at')
    .orderBy('e.id')
    .limit(options.limit)
    .execute();
}

/** General-admission areas of an event's layout with the capacity on sale for that event. */
export function findEventGaAreas(
  db: Db,
  event: { id: string; layoutId: string },
): Promise<{ id: string; name: string; category: string; capacity: number }[]> {
  return db
    .selectFrom('layout_ga_areas as a')
    .leftJoin('ga_inventory as g', (join) => join.onRef('g.area_id', '=', 'a.id').on('g.inventory_id', '=', event.id))
    .select(['a.id', 'a.name', 'a.category', sql<number>`coalesce(g.capacity, a.capacity)`.as('capacity')])
    .where('a.layout_id', '=', event.layoutId)
    .orderBy('a.name')
    .execute();
}

export interface EventFacetRows {
  cities: string[];
  categories: string[];
  languages: string[];
  prices: { currency: string; min: number; max: number } | null;
}

/** The values the listing can be filtered by: cities, genres and languages of listed events, and prices. */
export async function findEventFacets(db: Db, now: Date): Promise<EventFacetRows> {
  const listed = listedEvents(db, { now });
  const distinct = async (column: 'v.city' | 'e.category' | 'e.language') =>
    (
      await listed
        .select(sql<string>`${sql.ref(column)}`.as('value'))
        .distinct()
        .orderBy('value')
        .execute()
    ).map((row) => row.value);
  const [cities, categories, languages, prices] = await Promise.all([
    distinct('v.city'),
    distinct('e.category'),
    distinct('e.language'),
    listed
      .innerJoin('organizers as o', 'o.id', 'e.organizer_id')
      .innerJoin('event_prices as p', 'p.event_id', 'e.id')
      .select((eb) => [
        'o.currency',
        eb.fn.min<number>('p.amount').as('min'),
        eb.fn.max<number>('p.amount').as('max'),
        eb.fn.countAll<number>().as('count'),
      ])
      .groupBy('o.currency')
      .orderBy('count', 'desc')
      .orderBy('o.currency')
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    cities,
    categories,
    languages,
    prices: prices ? { currency: prices.currency, min: Number(prices.min), max: Number(prices.max) } : null,
  };
}
