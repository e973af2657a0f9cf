import { Type, type Static } from 'typebox';
import { Id } from '../../inventory/hold.schemas.js';
import { PROBLEM_CODES } from './gtfs-problems.js';

/** Schemas of the GTFS import API (/api/admin/organizers/{id}/gtfs-imports). */

const strict = { additionalProperties: false } as const;
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const IsoDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const OrganizerParams = Type.Object({ id: Id }, strict);
export const ImportParams = Type.Object({ id: Id, importId: Id }, strict);

export const StartImportQuery = Type.Object(
  {
    from: Type.Optional(
      Type.String({ format: 'date', description: 'First service date (agency time zone); default today' }),
    ),
    to: Type.Optional(
      Type.String({ format: 'date', description: 'Last service date; default 6 days after from; ≤ 62 days' }),
    ),
    feed: Type.Optional(
      Type.String({
        pattern: '^[a-z0-9][a-z0-9._-]{0,59}$',
        description:
          'Feed key: a re-import with the same key updates what the earlier one wrote; default from the agency name',
      }),
    ),
    layoutId: Type.Optional(
      Type.String({ minLength: 3, maxLength: 64, description: 'Vehicle layout for every route' }),
    ),
    layouts: Type.Optional(
      Type.String({
        maxLength: 100_000,
        description:
          'JSON `{"default": layoutId, "routeTypes": {"2": layoutId}, "routes": {"<GTFS route_id>": layoutId}}`; ' +
          'without any, a template layout per mode is created once and reused',
      }),
    ),
    dryRun: Type.Optional(Type.Boolean({ description: 'Validate and count what would change, write nothing' })),
  },
  strict,
);
export type StartImportQuery = Static<typeof StartImportQuery>;

export const LayoutChoiceSchema = Type.Object(
  {
    default: Type.Optional(Id),
    routeTypes: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]{1,4}$' }), Id)),
    routes: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 200 }), Id)),
  },
  strict,
);

export const ListImportsQuery = Type.Object(
  { limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })) },
  strict,
);

const Problem = Type.Object({
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  code: Type.String({ description: `One of: ${Object.keys(PROBLEM_CODES).join(', ')} (see docs/gtfs-import.md)` }),
  file: Type.Optional(Type.String()),
  line: Type.Optional(Type.Integer()),
  field: Type.Optional(Type.String()),
  message: Type.String(),
});

const Result = Type.Object({
  status: Type.Union([Type.Literal('succeeded'), Type.Literal('rejected')]),
  dryRun: Type.Boolean(),
  feedKey: Nullable(Type.String()),
  feedId: Nullable(Type.String()),
  from: Nullable(IsoDate),
  to: Nullable(IsoDate),
  timezone: Nullable(Type.String()),
  feed: Type.Object({
    agencies: Type.Integer(),
    stops: Type.Integer(),
    routes: Type.Integer(),
    trips: Type.Integer(),
    stopTimes: Type.Integer(),
  }),
  stops: Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
  routes: Type.Object({ created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
  trips: Type.Object({
    created: Type.Integer(),
    updated: Type.Integer(),
    unchanged: Type.Integer(),
    deleted: Type.Integer(),
    kept: Type.Integer({ description: 'Trips with sales the feed changed or dropped: left as they were' }),
    skipped: Type.Integer({ description: 'New trips whose route already departs at that instant' }),
  }),
  stopTimesWritten: Type.Integer(),
  keptTrips: Type.Array(
    Type.Object({
      tripId: Type.String(),
      gtfsTripId: Type.String(),
      serviceDate: IsoDate,
      reason: Type.Union([Type.Literal('changed_in_feed'), Type.Literal('removed_from_feed')]),
    }),
  ),
  errors: Type.Integer(),
  warnings: Type.Integer(),
  problems: Type.Array(Problem, { description: 'Errors first; at most 200 per code (counts below are exact)' }),
  problemCounts: Type.Array(
    Type.Object({
      code: Type.String(),
      severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
      count: Type.Integer(),
    }),
  ),
});

export const ImportRunResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  source: Type.String({ description: 'upload or cli' }),
  status: Type.Union(
    [Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('rejected'), Type.Literal('failed')],
    { description: 'rejected: the feed has errors, nothing imported; failed: the import broke off, nothing imported' },
  ),
  phase: Type.String({ description: 'queued, reading, validating, planning, writing, done' }),
  feedKey: Nullable(Type.String()),
  options: Type.Object({
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.String()),
    feedKey: Type.Optional(Type.String()),
    layouts: Type.Optional(Type.Unknown()),
    dryRun: Type.Optional(Type.Boolean()),
  }),
  progress: Type.Object({
    phase: Type.String(),
    tripsTotal: Type.Optional(Type.Integer()),
    tripsWritten: Type.Optional(Type.Integer()),
    stopTimesTotal: Type.Optional(Type.Integer()),
    stopTimesWritten: Type.Optional(Type.Integer()),
  }),
  result: Nullable(Result),
  error: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const ImportRunListResponse = Type.Object({ imports: Type.Array(ImportRunResponse) });
