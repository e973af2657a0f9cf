import { Type, type Static } from 'typebox';
import { Id } from '../catalog/catalog.schemas.js';

const strict = { additionalProperties: false } as const;
const IsoDate = (description: string) => Type.String({ format: 'date', description });
const Instant = Type.String({ format: 'date-time', description: 'UTC' });
const Rate = Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], {
  description: 'A share from 0 to 1; null when there is nothing to divide by',
});
const OrganizerFilter = Type.Optional(
  Id,
  // (an Optional keeps its own description in the OpenAPI document)
);

export const DashboardQuery = Type.Object({ organizerId: OrganizerFilter }, strict);
export type DashboardQuery = Static<typeof DashboardQuery>;

export const SalesReportQuery = Type.Object(
  {
    organizerId: OrganizerFilter,
    from: IsoDate("First day, in the organizer's time zone"),
    to: IsoDate("Last day (inclusive), in the organizer's time zone"),
    groupBy: Type.Optional(
      Type.Union([Type.Literal('day'), Type.Literal('event'), Type.Literal('trip')], { default: 'day' }),
    ),
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('csv')], {
        default: 'json',
        description: 'csv: a text/csv download',
      }),
    ),
  },
  strict,
);
export type SalesReportQuery = Static<typeof SalesReportQuery>;

export const OccupancyQuery = Type.Object(
  {
    organizerId: OrganizerFilter,
    kind: Type.Union([Type.Literal('event'), Type.Literal('trip')]),
    from: Type.Optional(IsoDate('First day of starts or departures (default: today)')),
    to: Type.Optional(IsoDate('Last day, inclusive (default: 30 days after from)')),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  strict,
);
export type OccupancyQuery = Static<typeof OccupancyQuery>;

const MoneyTotals = Type.Object({
  currency: Type.String(),
  gross: Type.Integer({ description: 'Paid, in minor units' }),
  refunded: Type.Integer({ description: 'Refunded of it so far, in minor units' }),
  net: Type.Integer(),
});

const PeriodSummary = {
  from: Instant,
  to: Instant,
  orders: Type.Integer({ description: 'Orders paid in the period' }),
  tickets: Type.Integer(),
  cancelledTickets: Type.Integer({ description: 'Of those tickets, cancelled since' }),
  revenue: Type.Array(MoneyTotals),
  holdsCreated: Type.Integer(),
  abandonedHoldRate: Rate,
  cancellationRate: Rate,
};

const DailySales = Type.Object({
  date: Type.String({ format: 'date' }),
  orders: Type.Integer(),
  tickets: Type.Integer(),
  revenue: Type.Array(MoneyTotals),
});

export const OccupancyItem = Type.Object({
  kind: Type.Union([Type.Literal('event'), Type.Literal('trip')]),
  id: Type.String(),
  title: Type.String(),
  startsAt: Instant,
  timezone: Type.String(),
  status: Type.String(),
  capacity: Type.Integer(),
  sold: Type.Integer(),
  held: Type.Integer(),
  available: Type.Integer(),
  loadFactor: Type.Number({ description: 'Events: sold / capacity. Trips: seat-legs sold / (seats × legs)' }),
  peakLoadFactor: Type.Optional(Type.Number({ description: "Trips: the busiest leg's seats sold / seats" })),
  legs: Type.Optional(Type.Integer()),
});

export const DashboardResponse = Type.Object({
  organizerId: Type.Union([Type.String(), Type.Null()]),
  organizerName: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String({ description: "Days are this zone's days: the organizer's, or UTC across all" }),
  generatedAt: Instant,
  today: Type.Object({ date: Type.String({ format: 'date' }), ...PeriodSummary }),
  week: Type.Object({ startDate: Type.String({ format: 'date', description: 'The Monday' }), ...PeriodSummary }),
  daily: Type.Array(DailySales, { description: 'The last 14 days, oldest first' }),
  holds: Type.Object({
    active: Type.Integer(),
    expiringSoon: Type.Integer(),
    expiringWithinSeconds: Type.Integer(),
  }),
  upcoming: Type.Object({ events: Type.Array(OccupancyItem), trips: Type.Array(OccupancyItem) }),
});

export const SalesReportResponse = Type.Object({
  organizerId: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String(),
  from: Type.String({ format: 'date' }),
  to: Type.String({ format: 'date' }),
  groupBy: Type.String(),
  rows: Type.Array(
    Type.Object({
      key: Type.String({ description: 'The date, event id or trip id' }),
      label: Type.String(),
      startsAt: Type.Union([Instant, Type.Null()]),
      timezone: Type.String(),
      orders: Type.Integer(),
      tickets: Type.Integer(),
      currency: Type.String(),
      gross: Type.Integer(),
      refunded: Type.Integer(),
      net: Type.Integer(),
    }),
  ),
  totals: Type.Array(MoneyTotals),
  orders: Type.Integer(),
  tickets: Type.Integer(),
});

export const OccupancyResponse = Type.Object({
  organizerId: Type.Union([Type.String(), Type.Null()]),
  timezone: Type.String(),
  items: Type.Array(OccupancyItem),
  total: Type.Integer(),
});
