import { Type, type Static } from 'typebox';
import { Id, Paging, Timestamps, TimeZoneName } from './catalog.schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const City = Type.String({ minLength: 1, maxLength: 100 });
const Address = Type.String({ maxLength: 500 });

export const CreateVenueBody = Type.Object(
  { organizerId: Id, name: Name, city: City, address: Type.Optional(Address), timezone: TimeZoneName },
  { additionalProperties: false },
);
export type CreateVenueBody = Static<typeof CreateVenueBody>;

export const UpdateVenueBody = Type.Object(
  {
    name: Type.Optional(Name),
    city: Type.Optional(City),
    address: Type.Optional(Address),
    timezone: Type.Optional(TimeZoneName),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateVenueBody = Static<typeof UpdateVenueBody>;

export const ListVenuesQuery = Type.Object(
  { organizerId: Type.Optional(Id), city: Type.Optional(City), ...Paging },
  { additionalProperties: false },
);
export type ListVenuesQuery = Static<typeof ListVenuesQuery>;

export const VenueResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  name: Type.String(),
  city: Type.String(),
  address: Type.String(),
  timezone: Type.String(),
  layoutId: Type.Union([Type.String(), Type.Null()], {
    description: 'The current seat layout; null until one is imported',
  }),
  seatCount: Type.Integer(),
  gaCapacity: Type.Integer(),
  ...Timestamps,
});
export type VenueResponse = Static<typeof VenueResponse>;

export const ImportLayoutQuery = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Layout name for a CSV upload' })) },
  { additionalProperties: false },
);
export type ImportLayoutQuery = Static<typeof ImportLayoutQuery>;

export const ExportLayoutQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })) },
  { additionalProperties: false },
);
export type ExportLayoutQuery = Static<typeof ExportLayoutQuery>;

export const LayoutImportResponse = Type.Object({
  layoutId: Type.String(),
  seatCount: Type.Integer(),
  gaCapacity: Type.Integer(),
  sections: Type.Integer({ description: 'Number of sections at every level (a tribune and its sectors count each)' }),
  categories: Type.Array(Type.String(), {
    description: 'Price categories used by seats and GA areas; events need a price for each',
  }),
});
export type LayoutImportResponse = Static<typeof LayoutImportResponse>;
