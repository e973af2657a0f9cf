import { Type, type Static } from 'typebox';
import { SEAT_FLAGS } from '../catalog/layout.model.js';
import { Id } from '../inventory/hold.schemas.js';

/**
 * Request and response schemas of the transport admin API: stops, vehicle layouts, routes, trips and
 * fares. Bodies are strict (no coercion, unknown fields refused); every string and number is bounded.
 */

const Code = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const Name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const City = Type.String({ maxLength: 100 });
const Latitude = Type.Number({ minimum: -90, maximum: 90 });
const Longitude = Type.Number({ minimum: -180, maximum: 180 });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$',
  description: 'IANA time zone, e.g. Asia/Dhaka',
});
const SeatClass = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' });
const isoDate = (description = 'YYYY-MM-DD') => Type.String({ format: 'date', description });
const wallTime = (description = 'HH:MM, 00:00–23:59') =>
  Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description });
const dateTime = (description = 'ISO 8601 with an offset') => Type.String({ format: 'date-time', description });
/** Offsets are minutes after the first departure; two weeks covers the longest scheduled journeys. */
const OffsetMinutes = Type.Integer({ minimum: 0, maximum: 20_160 });
const HoldTtlSeconds = Type.Integer({ minimum: 1, maximum: 7200 });
/** Money in minor units (poisha, cents); up to ten million major units. */
const Amount = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const TripStatus = Type.Union([Type.Literal('scheduled'), Type.Literal('sales_closed'), Type.Literal('cancelled')]);
const RouteMode = Type.Union([Type.Literal('bus'), Type.Literal('train')]);
const VehicleType = Type.Union([
  Type.Literal('bus'),
  Type.Literal('sleeper_bus'),
  Type.Literal('train_coach'),
  Type.Literal('train'),
]);

const strict = { additionalProperties: false } as const;

export const IdParams = Type.Object({ id: Id }, strict);
export const FareParams = Type.Object({ id: Id, fareId: Id }, strict);
export const OrganizerQuery = Type.Object({ organizerId: Id }, strict);
export const NoContent = Type.Null();

// ── Stops ────────────────────────────────────────────────────────────────────────────────────────────

export const CreateStopBody = Type.Object(
  {
    organizerId: Id,
    code: Code,
    name: Name,
    city: Type.Optional(City),
    lat: Type.Optional(Latitude),
    lon: Type.Optional(Longitude),
    timezone: TimeZone,
  },
  strict,
);
export type CreateStopBody = Static<typeof CreateStopBody>;

export const UpdateStopBody = Type.Object(
  {
    code: Type.Optional(Code),
    name: Type.Optional(Name),
    city: Type.Optional(City),
    lat: Type.Optional(Type.Union([Latitude, Type.Null()])),
    lon: Type.Optional(Type.Union([Longitude, Type.Null()])),
    timezone: Type.Optional(TimeZone),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateStopBody = Static<typeof UpdateStopBody>;

export const StopResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  city: Type.String(),
  lat: Type.Union([Type.Number(), Type.Null()]),
  lon: Type.Union([Type.Number(), Type.Null()]),
  timezone: Type.String(),
});
export const StopListResponse = Type.Object({ stops: Type.Array(StopResponse) });

// ── Vehicle layouts ──────────────────────────────────────────────────────────────────────────────────

export const VehicleTemplateType = Type.Union([
  Type.Literal('bus_2_2'),
  Type.Literal('bus_2_1'),
  Type.Literal('sleeper_2_decks'),
  Type.Literal('train_coach'),
]);

const CoachTemplate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9][A-Za-z0-9 _-]*$' }),
    seatClass: SeatClass,
    rows: Type.Integer({ minimum: 1, maximum: 40 }),
    seatsPerRow: Type.Integer({ minimum: 1, maximum: 6 }),
    berths: Type.Optional(
      Type.Boolean({ description: 'Berths instead of seats: lower and upper alternate within each row' }),
    ),
  },
  strict,
);

export const VehicleTemplate = Type.Object(
  {
    type: VehicleTemplateType,
    rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 40, description: 'Buses and sleepers' })),
    seatClass: Type.Optional(SeatClass),
    backRowOfFive: Type.Optional(
      Type.Boolean({ description: 'bus_2_2 only: the last row has five seats across the aisle' }),
    ),
    coaches: Type.Optional(
      Type.Array(CoachTemplate, { minItems: 1, maxItems: 30, description: 'train_coach only: one section each' }),
    ),
  },
  strict,
);
export type VehicleTemplate = Static<typeof VehicleTemplate>;

const ExplicitSeat = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 16 }),
    category: SeatClass,
    x: Type.Number({ minimum: -100_000, maximum: 100_000 }),
    y: Type.Number({ minimum: -100_000, maximum: 100_000 }),
    deck: Type.Optional(Type.Integer({ minimum: 1, maximum: 2 })),
    flags: Type.Optional(
      Type.Array(Type.Union(SEAT_FLAGS.map((flag) => Type.Literal(flag))), { maxItems: 8, uniqueItems: true }),
    ),
  },
  strict,
);

const ExplicitRow = Type.Object(
  { name: Type.String({ maxLength: 16 }), seats: Type.Array(ExplicitSeat, { minItems: 1, maxItems: 20 }) },
  strict,
);

const ExplicitSection = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 64 }), rows: Type.Array(ExplicitRow, { minItems: 1, maxItems: 100 }) },
  strict,
);

export const ExplicitVehicleLayout = Type.Object(
  {
    vehicleType: Type.Optional(VehicleType),
    sections: Type.Array(ExplicitSection, { minItems: 1, maxItems: 40 }),
  },
  strict,
);
export type ExplicitVehicleLayout = Static<typeof ExplicitVehicleLayout>;

export const CreateVehicleLayoutBody = Type.Object(
  {
    organizerId: Id,
    name: Name,
    template: Type.Optional(VehicleTemplate),
    layout: Type.Optional(ExplicitVehicleLayout),
  },
  strict,
);
export type CreateVehicleLayoutBody = Static<typeof CreateVehicleLayoutBody>;

const VehicleLayoutSummary = {
  id: Type.String(),
  organizerId: Type.String(),
  name: Type.String(),
  vehicleType: Type.Union([VehicleType, Type.Null()]),
  decks: Type.Integer(),
  seatCount: Type.Integer(),
  classes: Type.Array(Type.Object({ seatClass: Type.String(), seatCount: Type.Integer() })),
};
export const VehicleLayoutResponse = Type.Object(VehicleLayoutSummary);
export const VehicleLayoutListResponse = Type.Object({ layouts: Type.Array(VehicleLayoutResponse) });
export const VehicleLayoutDetailResponse = Type.Object({
  ...VehicleLayoutSummary,
  sections: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  seats: Type.Array(
    Type.Object({
      id: Type.String(),
      sectionId: Type.String(),
      row: Type.String(),
      label: Type.String({ description: 'As printed on the ticket within its row, e.g. A1' }),
      fullLabel: Type.String(),
      seatClass: Type.String(),
      x: Type.Number(),
      y: Type.Number(),
      deck: Type.Integer(),
      flags: Type.Array(Type.String()),
    }),
  ),
});

// ── Routes ───────────────────────────────────────────────────────────────────────────────────────────

const RouteStopInput = Type.Object(
  { stopId: Id, arriveOffsetMin: OffsetMinutes, departOffsetMin: OffsetMinutes },
  strict,
);
const RouteStops = Type.Array(RouteStopInput, { minItems: 2, maxItems: 100 });

export const CreateRouteBody = Type.Object(
  {
    organizerId: Id,
    code: Code,
    name: Name,
    mode: RouteMode,
    defaultLayoutId: Type.Optional(Id),
    stops: RouteStops,
  },
  strict,
);
export type CreateRouteBody = Static<typeof CreateRouteBody>;
export type RouteStopInput = Static<typeof RouteStopInput>;

export const UpdateRouteBody = Type.Object(
  {
    name: Type.Optional(Name),
    defaultLayoutId: Type.Optional(Type.Union([Id, Type.Null()])),
    stops: Type.Optional(RouteStops),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateRouteBody = Static<typeof UpdateRouteBody>;

export const RouteResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  mode: RouteMode,
  defaultLayoutId: Type.Union([Type.String(), Type.Null()]),
  stops: Type.Array(
    Type.Object({
      index: Type.Integer(),
      stopId: Type.String(),
      code: Type.String(),
      name: Type.String(),
      timezone: Type.String(),
      arriveOffsetMin: Type.Integer(),
      departOffsetMin: Type.Integer(),
    }),
  ),
});
export const RouteListResponse = Type.Object({ routes: Type.Array(RouteResponse) });

// ── Trips ────────────────────────────────────────────────────────────────────────────────────────────

export const CreateTripBody = Type.Object(
  {
    routeId: Id,
    departsAt: Type.Optional(dateTime("The first stop's departure, with an offset")),
    serviceDate: Type.Optional(isoDate('Local date at the first stop (with departureTime)')),
    departureTime: Type.Optional(wallTime('Local time at the first stop (with serviceDate)')),
    layoutId: Type.Optional(Id),
    status: Type.Optional(TripStatus),
    holdTtlSeconds: Type.Optional(HoldTtlSeconds),
  },
  strict,
);
export type CreateTripBody = Static<typeof CreateTripBody>;

export const GenerateTripsBody = Type.Object(
  {
    from: isoDate(),
    to: isoDate(),
    weekdays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
      description: 'ISO weekdays: Monday = 1 … Sunday = 7',
    }),
    departureTimes: Type.Array(wallTime(), {
      minItems: 1,
      maxItems: 48,
      uniqueItems: true,
      description: "Local times at the first stop, in that stop's time zone",
    }),
    layoutId: Type.Optional(Id),
    holdTtlSeconds: Type.Optional(HoldTtlSeconds),
  },
  strict,
);
export type GenerateTripsBody = Static<typeof GenerateTripsBody>;

export const GenerateTripsResponse = Type.Object({
  created: Type.Integer(),
  skipped: Type.Integer({ description: 'Departures that already existed' }),
  tripIds: Type.Array(Type.String(), {
    description: 'Every trip of the pattern, created now or before, in departure order',
  }),
});

export const TripListQuery = Type.Object(
  {
    routeId: Id,
    date: Type.Optional(isoDate('Service date (local date at the first stop)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 500 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  strict,
);

export const UpdateTripBody = Type.Object(
  {
    status: Type.Optional(TripStatus),
    holdTtlSeconds: Type.Optional(Type.Union([HoldTtlSeconds, Type.Null()])),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateTripBody = Static<typeof UpdateTripBody>;

const TripSummary = {
  id: Type.String(),
  organizerId: Type.String(),
  routeId: Type.String(),
  layoutId: Type.String(),
  serviceDate: isoDate('Local date at the first stop'),
  departsAt: dateTime('Departure from the first stop'),
  arrivesAt: dateTime('Arrival at the last stop'),
  status: TripStatus,
  holdTtlSeconds: Type.Union([Type.Integer(), Type.Null()]),
};
export const TripSummaryResponse = Type.Object(TripSummary);
export const TripListResponse = Type.Object({ trips: Type.Array(TripSummaryResponse) });
export const TripResponse = Type.Object({
  ...TripSummary,
  stops: Type.Array(
    Type.Object({
      index: Type.Integer(),
      stopId: Type.String(),
      code: Type.String(),
      name: Type.String(),
      arrivesAt: dateTime(),
      departsAt: dateTime(),
    }),
  ),
});

// ── Fares ────────────────────────────────────────────────────────────────────────────────────────────

const FareInput = Type.Object({ fromStopId: Id, toStopId: Id, seatClass: SeatClass, amount: Amount }, strict);
export type FareInput = Static<typeof FareInput>;

export const PutFaresBody = Type.Object({ fares: Type.Array(FareInput, { minItems: 1, maxItems: 5000 }) }, strict);
export type PutFaresBody = Static<typeof PutFaresBody>;

export const FareResponse = Type.Object({
  id: Type.String(),
  routeId: Type.String(),
  fromStopId: Type.String(),
  toStopId: Type.String(),
  fromIndex: Type.Integer(),
  toIndex: Type.Integer(),
  seatClass: Type.String(),
  amount: Type.Integer({ description: 'Minor units of currency' }),
  currency: Type.String(),
});
export const FareListResponse = Type.Object({ fares: Type.Array(FareResponse) });
