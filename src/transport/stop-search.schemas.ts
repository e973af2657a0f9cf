import { Type, type Static } from 'typebox';
import { Id } from '../inventory/hold.schemas.js';

export const DEFAULT_STOP_LIMIT = 10;

export const StopSearchQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Part of a stop name, city or code' })),
    organizerId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: DEFAULT_STOP_LIMIT })),
  },
  { additionalProperties: false },
);
export type StopSearchQuery = Static<typeof StopSearchQuery>;

export const StopView = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  code: Type.String(),
  name: Type.String(),
  city: Type.String(),
  timezone: Type.String(),
  lat: Type.Union([Type.Number(), Type.Null()]),
  lon: Type.Union([Type.Number(), Type.Null()]),
});

export const StopSearchResponse = Type.Object({ items: Type.Array(StopView) });
