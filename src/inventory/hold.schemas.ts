import { Type, type Static } from 'typebox';

export const Id = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });

export const CreateHoldBody = Type.Object(
  {
    eventId: Type.Optional(Id),
    tripId: Type.Optional(Id),
    from: Type.Optional(Id),
    to: Type.Optional(Id),
    seatIds: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    ga: Type.Optional(
      Type.Array(
        Type.Object(
          { areaId: Id, quantity: Type.Integer({ minimum: 1, maximum: 100 }) },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
  },
  { additionalProperties: false },
);
export type CreateHoldBody = Static<typeof CreateHoldBody>;

export const HoldTokenParams = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 64, pattern: '^hold_[a-z0-9]+$' }) },
  { additionalProperties: false },
);

export const SessionHeaders = Type.Object({
  'x-session-id': Type.Optional(Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' })),
});

export const HoldResponse = Type.Object({
  token: Type.String(),
  owner: Type.String({
    description: 'The user id that owns the hold, or for an anonymous buyer the session id: send it as X-Session-Id.',
  }),
  kind: Type.Union([Type.Literal('event'), Type.Literal('trip')]),
  eventId: Type.Optional(Type.String()),
  tripId: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ description: 'Boarding stop id (trips)' })),
  to: Type.Optional(Type.String({ description: 'Alighting stop id (trips)' })),
  segment: Type.Object({ fromIndex: Type.Integer(), toIndex: Type.Integer() }),
  seats: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), category: Type.String() })),
  ga: Type.Array(Type.Object({ areaId: Type.String(), quantity: Type.Integer() })),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  expiresInSeconds: Type.Integer(),
  extended: Type.Boolean(),
  canExtend: Type.Boolean(),
});
