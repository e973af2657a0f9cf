import { Type, type Static, type TSchema } from 'typebox';
import { Id } from '../inventory/hold.schemas.js';

/** Public (buyer-facing) read API of events. Times are ISO UTC with the venue's timezone name alongside. */
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD, in the venue’s time zone' });
const Timestamp = Type.String({ format: 'date-time', description: 'UTC' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const DEFAULT_PAGE_SIZE = 20;

export const ListEventsQuery = Type.Object(
  {
    city: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Venue city, any case' })),
    date: Type.Optional(IsoDate),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'Full-text search; tolerates typos in titles' }),
    ),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    language: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    maxPrice: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 1_000_000_000,
        description: 'Only events with a price at or below this, in minor units of the event’s currency',
      }),
    ),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1 })),
    pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: DEFAULT_PAGE_SIZE })),
    groupBy: Type.Optional(
      Type.Literal('series', { description: 'Group show times of the same title: pick a title, then a time' }),
    ),
  },
  { additionalProperties: false },
);
export type ListEventsQuery = Static<typeof ListEventsQuery>;

export const EventFiltersResponse = Type.Object({
  cities: Type.Array(Type.String(), { description: 'Venue cities of listed events, A–Z' }),
  categories: Type.Array(Type.String(), { description: 'Genres (event categories), A–Z' }),
  languages: Type.Array(Type.String(), { description: 'Languages, A–Z' }),
  prices: Nullable(
    Type.Object({
      currency: Type.String({ description: 'The currency most listed events are sold in' }),
      min: Type.Integer({ description: 'Lowest price in that currency, minor units' }),
      max: Type.Integer({ description: 'Highest price in that currency, minor units' }),
    }),
  ),
});

export const EventIdParams = Type.Object({ id: Id }, { additionalProperties: false });

/** For routes that take no query parameters: an unknown one is a mistake worth a 400. */
export const NoQuery = Type.Object({}, { additionalProperties: false });

const VenueSummary = Type.Object({ id: Type.String(), name: Type.String(), city: Type.String() });

const PriceRange = Type.Object({
  min: Type.Integer({ description: 'Minor units' }),
  max: Type.Integer({ description: 'Minor units' }),
  currency: Type.String(),
});

const EventStatus = Type.Union([
  Type.Literal('on_sale'),
  Type.Literal('sales_closed'),
  Type.Literal('cancelled'),
  Type.Literal('draft'),
]);

export const EventListItem = Type.Object({
  id: Type.String(),
  title: Type.String(),
  seriesKey: Type.String(),
  category: Type.String(),
  language: Type.String(),
  imageUrl: Nullable(Type.String()),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timezone: Type.String({ description: 'IANA time zone of the venue' }),
  status: EventStatus,
  venue: VenueSummary,
  priceRange: Nullable(PriceRange),
});

const ShowTime = Type.Object({
  eventId: Type.String(),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timezone: Type.String(),
  status: EventStatus,
  venue: VenueSummary,
});

export const EventSeries = Type.Object({
  seriesKey: Type.String(),
  title: Type.String(),
  imageUrl: Nullable(Type.String()),
  category: Type.String(),
  language: Type.String(),
  showTimeCount: Type.Integer({ description: 'All matching show times; at most 50 are listed' }),
  showTimes: Type.Array(ShowTime),
  priceRange: Nullable(PriceRange),
});

const PageFields = { page: Type.Integer(), pageSize: Type.Integer(), total: Type.Integer() };

export const EventListResponse = Type.Union([
  Type.Object({ items: Type.Array(EventListItem), ...PageFields }),
  Type.Object({ items: Type.Array(EventSeries), ...PageFields }),
]);

export const EventDetailResponse = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  seriesKey: Type.String(),
  category: Type.String(),
  language: Type.String(),
  imageUrl: Nullable(Type.String()),
  startsAt: Timestamp,
  endsAt: Timestamp,
  timezone: Type.String(),
  status: EventStatus,
  saleStartsAt: Nullable(Timestamp),
  saleEndsAt: Nullable(Timestamp),
  venue: Type.Object({
    id: Type.String(),
    name: Type.String(),
    city: Type.String(),
    address: Type.String(),
    timezone: Type.String(),
  }),
  currency: Type.String(),
  prices: Type.Array(Type.Object({ category: Type.String(), amount: Type.Integer() })),
  seatCount: Type.Integer(),
  gaAreas: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), category: Type.String(), capacity: Type.Integer() }),
  ),
  showTimes: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date', description: 'Local date at the venue' }),
      events: Type.Array(ShowTime),
    }),
    { description: 'Other upcoming show times of the same title, by day' },
  ),
});

const SeatStatus = Type.Union([
  Type.Literal('available'),
  Type.Literal('held'),
  Type.Literal('sold'),
  Type.Literal('blocked'),
]);

export const SeatCountsSchema = Type.Object({
  available: Type.Integer(),
  held: Type.Integer(),
  sold: Type.Integer(),
  blocked: Type.Integer(),
});

export const SeatSchema = Type.Object({
  id: Type.String(),
  sectionId: Type.String(),
  row: Type.String(),
  number: Type.String(),
  label: Type.String(),
  category: Type.String(),
  x: Type.Number(),
  y: Type.Number(),
  flags: Type.Array(Type.String()),
  deck: Type.Optional(Type.Integer({ description: 'Vehicles only' })),
  class: Type.Optional(Type.String({ description: 'Vehicles only: the seat class' })),
  status: SeatStatus,
});

export const SeatMapLayoutSchema = Type.Object({
  id: Type.String(),
  sections: Type.Array(
    Type.Object({ id: Type.String(), parentId: Nullable(Type.String()), name: Type.String(), path: Type.String() }),
  ),
  gaAreas: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      category: Type.String(),
      capacity: Type.Integer(),
      available: Type.Integer(),
      price: Nullable(Type.Integer()),
    }),
  ),
  seats: Type.Array(SeatSchema),
});

export const EventSeatMapResponse = Type.Object({
  eventId: Type.String(),
  prices: Type.Record(Type.String(), Type.Integer(), { description: 'Category → amount in minor units' }),
  currency: Type.String(),
  counts: SeatCountsSchema,
  layout: SeatMapLayoutSchema,
});
