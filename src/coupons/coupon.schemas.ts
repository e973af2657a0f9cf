import { Type, type Static, type TSchema } from 'typebox';
import { DateTime, Id, Paging } from '../catalog/catalog.schemas.js';
import { CATEGORY_PATTERN } from '../catalog/layout-import.js';

/** Coupon admin API schemas. Money is an integer in minor units of the organizer's currency. */
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const CouponCode = Type.String({
  minLength: 3,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'What buyers type; matched case-insensitively, unique per organizer',
});
const CouponKind = Type.Union([Type.Literal('percent'), Type.Literal('fixed')], {
  description: 'percent: value is whole percent 1..100 of each in-scope line; fixed: value in minor units',
});
const Value = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
const Amount = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const Cap = Type.Integer({ minimum: 1, maximum: 100_000_000 });

export const CouponScope = Type.Object(
  {
    eventIds: Type.Optional(
      Type.Array(Id, {
        maxItems: 500,
        uniqueItems: true,
        description: 'Events (or single trips) the coupon applies to; empty or absent means all',
      }),
    ),
    routeIds: Type.Optional(
      Type.Array(Id, { maxItems: 500, uniqueItems: true, description: 'Routes whose trips the coupon applies to' }),
    ),
    categories: Type.Optional(
      Type.Array(Type.String({ pattern: CATEGORY_PATTERN.source }), {
        maxItems: 100,
        uniqueItems: true,
        description: 'Seat categories (fare classes) discounted; other lines pay full price',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CouponScope = Static<typeof CouponScope>;

export const CreateCouponBody = Type.Object(
  {
    organizerId: Id,
    code: CouponCode,
    kind: CouponKind,
    value: Value,
    minOrder: Type.Optional(Amount),
    validFrom: Type.Optional(DateTime),
    validTo: Type.Optional(DateTime),
    maxRedemptions: Type.Optional(Cap),
    perUserMax: Type.Optional(Cap),
    scope: Type.Optional(CouponScope),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CreateCouponBody = Static<typeof CreateCouponBody>;

/** Every field optional; `null` clears validFrom, validTo, maxRedemptions and perUserMax. */
export const UpdateCouponBody = Type.Object(
  {
    code: Type.Optional(CouponCode),
    kind: Type.Optional(CouponKind),
    value: Type.Optional(Value),
    minOrder: Type.Optional(Amount),
    validFrom: Type.Optional(Nullable(DateTime)),
    validTo: Type.Optional(Nullable(DateTime)),
    maxRedemptions: Type.Optional(Nullable(Cap)),
    perUserMax: Type.Optional(Nullable(Cap)),
    scope: Type.Optional(CouponScope),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateCouponBody = Static<typeof UpdateCouponBody>;

export const ListCouponsQuery = Type.Object(
  { organizerId: Type.Optional(Id), active: Type.Optional(Type.Boolean()), ...Paging },
  { additionalProperties: false },
);
export type ListCouponsQuery = Static<typeof ListCouponsQuery>;

export const CouponResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  code: Type.String(),
  kind: CouponKind,
  value: Type.Integer(),
  minOrder: Type.Integer(),
  validFrom: Nullable(DateTime),
  validTo: Nullable(DateTime),
  maxRedemptions: Nullable(Type.Integer()),
  perUserMax: Nullable(Type.Integer()),
  scope: Type.Object({
    eventIds: Type.Array(Type.String()),
    routeIds: Type.Array(Type.String()),
    categories: Type.Array(Type.String()),
  }),
  active: Type.Boolean(),
  usage: Type.Object({
    redemptions: Type.Integer({ description: 'Uses counted against the cap (returned ones given back)' }),
    remaining: Nullable(Type.Integer({ description: 'Uses left before the cap; null when uncapped' })),
    active: Type.Integer({ description: 'Orders holding a redemption now' }),
    returned: Type.Integer({ description: 'Redemptions given back by orders cancelled before payment' }),
  }),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type CouponResponse = Static<typeof CouponResponse>;
