import { Type, type Static, type TSchema } from 'typebox';
import { DateTime, Id, Paging, Timestamps } from './catalog.schemas.js';
import { CATEGORY_PATTERN } from './layout-import.js';

const EventStatus = Type.Union(
  [Type.Literal('draft'), Type.Literal('on_sale'), Type.Literal('sales_closed'), Type.Literal('cancelled')],
  { description: 'draft, on_sale, sales_closed or cancelled; cancelled is final' },
);

/** Money is an integer in minor units of the organizer's currency (poisha, cents). */
const Prices = Type.Record(
  Type.String({ pattern: CATEGORY_PATTERN.source }),
  Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
  {
    additionalProperties: false,
    maxProperties: 200,
    description: 'Price per seat category in minor units, e.g. { "GOLD": 500000 }',
  },
);

const Title = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.String({ maxLength: 5000 });
const Genre = Type.String({ minLength: 1, maxLength: 50, description: 'Genre or kind: concert, drama, sports…' });
const Language = Type.String({ maxLength: 50 });
const ImageUrl = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 });
const HoldTtlSeconds = Type.Integer({ minimum: 1, maximum: 7200, description: 'Seat-hold TTL for this event' });
const SeriesKey = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: 'Groups show times of one title; defaults to <organizerId>.<slug of title>',
});
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const CreateEventBody = Type.Object(
  {
    venueId: Id,
    title: Title,
    description: Type.Optional(Description),
    category: Type.Optional(Genre),
    language: Type.Optional(Language),
    imageUrl: Type.Optional(ImageUrl),
    startsAt: DateTime,
    endsAt: DateTime,
    status: Type.Optional(EventStatus),
    saleStartsAt: Type.Optional(DateTime),
    saleEndsAt: Type.Optional(DateTime),
    holdTtlSeconds: Type.Optional(HoldTtlSeconds),
    prices: Prices,
    seriesKey: Type.Optional(SeriesKey),
  },
  { additionalProperties: false },
);
export type CreateEventBody = Static<typeof CreateEventBody>;

/** Every field optional; `null` clears the optional ones. Prices given are set, the others kept. */
export const UpdateEventBody = Type.Object(
  {
    title: Type.Optional(Title),
    description: Type.Optional(Description),
    category: Type.Optional(Genre),
    language: Type.Optional(Language),
    imageUrl: Type.Optional(Nullable(ImageUrl)),
    startsAt: Type.Optional(DateTime),
    endsAt: Type.Optional(DateTime),
    status: Type.Optional(EventStatus),
    saleStartsAt: Type.Optional(Nullable(DateTime)),
    saleEndsAt: Type.Optional(Nullable(DateTime)),
    holdTtlSeconds: Type.Optional(Nullable(HoldTtlSeconds)),
    prices: Type.Optional(Prices),
    seriesKey: Type.Optional(SeriesKey),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateEventBody = Static<typeof UpdateEventBody>;

export const ListEventsQuery = Type.Object(
  { organizerId: Type.Optional(Id), venueId: Type.Optional(Id), status: Type.Optional(EventStatus), ...Paging },
  { additionalProperties: false },
);
export type ListEventsQuery = Static<typeof ListEventsQuery>;

export const EventResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  venueId: Type.String(),
  layoutId: Type.String({ description: 'The layout the event was created with; later imports do not change it' }),
  seriesKey: Type.String(),
  title: Type.String(),
  description: Type.String(),
  category: Type.String(),
  language: Type.String(),
  imageUrl: Type.Union([Type.String(), Type.Null()]),
  startsAt: DateTime,
  endsAt: DateTime,
  status: EventStatus,
  saleStartsAt: Type.Union([DateTime, Type.Null()]),
  saleEndsAt: Type.Union([DateTime, Type.Null()]),
  holdTtlSeconds: Type.Union([Type.Integer(), Type.Null()]),
  currency: Type.String({ description: "The organizer's currency; prices are in its minor units" }),
  prices: Type.Record(Type.String(), Type.Integer()),
  seatCount: Type.Integer(),
  gaCapacity: Type.Integer(),
  ...Timestamps,
});
export type EventResponse = Static<typeof EventResponse>;
