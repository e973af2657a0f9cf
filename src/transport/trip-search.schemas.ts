import { Type, type Static } from 'typebox';
import { Nullable, SeatCountsSchema, SeatMapLayoutSchema } from '../catalog/event-browse.schemas.js';
import { Id } from '../inventory/hold.schemas.js';

/** Public (buyer-facing) read API of trips. Times are ISO UTC with each stop's timezone name alongside. */
const Timestamp = Type.String({ format: 'date-time', description: 'UTC' });

/** At most this many trips answer one search. */
export const MAX_SEARCH_RESULTS = 200;

export const TripSearchQuery = Type.Object(
  {
    from: Id,
    to: Id,
    date: Type.String({ format: 'date', description: 'Departure date at the boarding stop, in its time zone' }),
    sort: Type.Optional(
      Type.Union([Type.Literal('departure'), Type.Literal('duration'), Type.Literal('fare')], {
        default: 'departure',
      }),
    ),
    mode: Type.Optional(Type.Union([Type.Literal('bus'), Type.Literal('train')])),
  },
  { additionalProperties: false },
);
export type TripSearchQuery = Static<typeof TripSearchQuery>;

export const TripIdParams = Type.Object({ id: Id }, { additionalProperties: false });

export const TripSeatsQuery = Type.Object(
  {
    from: Type.Optional(Id),
    to: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type TripSeatsQuery = Static<typeof TripSeatsQuery>;

const SearchStop = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  city: Type.String(),
  timezone: Type.String(),
});

const FareQuote = Type.Object({ seatClass: Type.String(), amount: Type.Integer({ description: 'Minor units' }) });

const Mode = Type.Union([Type.Literal('bus'), Type.Literal('train')]);
const VehicleType = Nullable(
  Type.Union([Type.Literal('bus'), Type.Literal('sleeper_bus'), Type.Literal('train_coach'), Type.Literal('train')]),
);
const TripStatus = Type.Union([Type.Literal('scheduled'), Type.Literal('sales_closed'), Type.Literal('cancelled')]);

export const TripSearchItem = Type.Object({
  tripId: Type.String(),
  routeId: Type.String(),
  routeName: Type.String(),
  mode: Mode,
  vehicleType: VehicleType,
  departsAt: Type.String({ format: 'date-time', description: 'Departure from the boarding stop (UTC)' }),
  arrivesAt: Type.String({ format: 'date-time', description: 'Arrival at the alighting stop (UTC)' }),
  durationMinutes: Type.Integer(),
  fromTimezone: Type.String(),
  toTimezone: Type.String(),
  fromIndex: Type.Integer(),
  toIndex: Type.Integer(),
  seatsFree: Type.Integer({ description: 'Seats free for the whole segment' }),
  fares: Type.Array(FareQuote, { description: 'Per seat class on this vehicle that has a fare, cheapest first' }),
  currency: Type.String(),
});

export const TripSearchResponse = Type.Object({
  from: SearchStop,
  to: SearchStop,
  date: Type.String({ format: 'date' }),
  items: Type.Array(TripSearchItem, { description: `At most ${MAX_SEARCH_RESULTS} trips` }),
});

export const TripDetailResponse = Type.Object({
  id: Type.String(),
  status: TripStatus,
  serviceDate: Type.String({ format: 'date' }),
  departsAt: Timestamp,
  arrivesAt: Timestamp,
  currency: Type.String(),
  route: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String(), mode: Mode }),
  layout: Type.Object({
    id: Type.String(),
    name: Type.String(),
    vehicleType: VehicleType,
    decks: Type.Integer(),
    seatCount: Type.Integer(),
    seatClasses: Type.Array(Type.String()),
  }),
  stops: Type.Array(
    Type.Object({
      index: Type.Integer(),
      stopId: Type.String(),
      code: Type.String(),
      name: Type.String(),
      city: Type.String(),
      arrivesAt: Timestamp,
      departsAt: Timestamp,
      timezone: Type.String(),
    }),
  ),
});

export const TripSeatMapResponse = Type.Object({
  tripId: Type.String(),
  segment: Type.Object({
    from: Type.String({ description: 'Boarding stop id' }),
    to: Type.String({ description: 'Alighting stop id' }),
    fromIndex: Type.Integer(),
    toIndex: Type.Integer(),
  }),
  prices: Type.Record(Type.String(), Type.Integer(), {
    description: 'Seat class → fare for this segment in minor units; a class without a fare is absent',
  }),
  currency: Type.String(),
  counts: SeatCountsSchema,
  layout: SeatMapLayoutSchema,
});

export const PopularRoutesQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 4 })) },
  { additionalProperties: false },
);
export type PopularRoutesQuery = Static<typeof PopularRoutesQuery>;

const RouteEnd = Type.Object({ id: Type.String(), name: Type.String(), city: Type.String() });

export const PopularRoute = Type.Object({
  routeId: Type.String(),
  name: Type.String(),
  mode: Mode,
  organizerName: Type.String(),
  from: RouteEnd,
  to: RouteEnd,
  currency: Type.String(),
  lowestFare: Nullable(Type.Integer({ description: 'Cheapest fare from the first to the last stop, minor units' })),
  departures: Type.Array(
    Type.Object({
      tripId: Type.String(),
      departsAt: Timestamp,
      arrivesAt: Timestamp,
      timezone: Type.String({ description: 'Time zone of the first stop' }),
      seatsFree: Type.Integer({ description: 'Seats free from the first to the last stop' }),
    }),
  ),
});

export const PopularRoutesResponse = Type.Object({ items: Type.Array(PopularRoute) });
