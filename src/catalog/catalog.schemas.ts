import { Type, type Static } from 'typebox';

/** Schemas shared by the catalog admin routes. Bodies are strict: unknown fields are refused. */
export const Id = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });

export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

/** An IANA time-zone name; the service also checks it against Intl (the schema only bounds its shape). */
export const TimeZoneName = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z][A-Za-z0-9_+/-]*$',
  description: 'IANA time zone, e.g. Asia/Dhaka',
});

export const DateTime = Type.String({ format: 'date-time', maxLength: 40 });

export const Timestamps = {
  createdAt: DateTime,
  updatedAt: DateTime,
};
