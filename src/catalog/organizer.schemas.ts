import { Type, type Static } from 'typebox';
import { Paging, Timestamps, TimeZoneName } from './catalog.schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 200 });
const Slug = Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. BDT' });

export const CreateOrganizerBody = Type.Object(
  {
    name: Name,
    slug: Type.Optional(Slug),
    currency: Currency,
    timezone: TimeZoneName,
  },
  { additionalProperties: false },
);
export type CreateOrganizerBody = Static<typeof CreateOrganizerBody>;

export const UpdateOrganizerBody = Type.Object(
  {
    name: Type.Optional(Name),
    slug: Type.Optional(Slug),
    currency: Type.Optional(Currency),
    timezone: Type.Optional(TimeZoneName),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateOrganizerBody = Static<typeof UpdateOrganizerBody>;

export const ListOrganizersQuery = Type.Object(Paging, { additionalProperties: false });
export type ListOrganizersQuery = Static<typeof ListOrganizersQuery>;

export const OrganizerResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  currency: Type.String(),
  timezone: Type.String(),
  ...Timestamps,
});
export type OrganizerResponse = Static<typeof OrganizerResponse>;
