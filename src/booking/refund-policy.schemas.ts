import { Type, type Static } from 'typebox';
import { DateTime, Id, Paging } from '../catalog/catalog.schemas.js';
import { CATEGORY_PATTERN } from '../catalog/layout-import.js';

const Amount = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });

export const RefundRuleSchema = Type.Object(
  {
    minHoursBefore: Type.Number({
      minimum: -8760,
      maximum: 87600,
      description: 'The rule applies from this many hours before start/departure (negative: after it)',
    }),
    feePercent: Type.Number({ minimum: 0, maximum: 100, description: 'Percent of the line total kept (2 decimals)' }),
    feeFlat: Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'Flat fee per line, minor units' }),
    feeMode: Type.Optional(
      Type.Union([Type.Literal('sum'), Type.Literal('max')], {
        description: 'sum (default): percent + flat; max: the greater of the two (flat as a minimum)',
      }),
    ),
    feeFlatByCategory: Type.Optional(
      Type.Record(Type.String({ pattern: CATEGORY_PATTERN.source }), Amount, {
        additionalProperties: false,
        maxProperties: 100,
        description: 'Flat fee per seat category or fare class, instead of feeFlat',
      }),
    ),
  },
  { additionalProperties: false },
);

const Rules = Type.Array(RefundRuleSchema, {
  maxItems: 20,
  description:
    'By minHoursBefore, strictly descending. The first rule whose threshold the time left reaches applies; ' +
    'when none does, cancellation is refused (too late). An empty table means never refundable.',
});

const ScopeKind = Type.Union([Type.Literal('organizer'), Type.Literal('event'), Type.Literal('route')], {
  description: "organizer: the organizer's default; event or route: an override for one event or route",
});

export const CreateRefundPolicyBody = Type.Object(
  {
    organizerId: Id,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    scopeKind: ScopeKind,
    scopeId: Type.Optional(Type.Union([Id], { description: 'The event or route id (not for organizer scope)' })),
    rules: Rules,
    minFee: Type.Optional(Amount),
  },
  { additionalProperties: false },
);
export type CreateRefundPolicyBody = Static<typeof CreateRefundPolicyBody>;

export const UpdateRefundPolicyBody = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    rules: Type.Optional(Rules),
    minFee: Type.Optional(Amount),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateRefundPolicyBody = Static<typeof UpdateRefundPolicyBody>;

export const ListRefundPoliciesQuery = Type.Object(
  { organizerId: Type.Optional(Id), scopeKind: Type.Optional(ScopeKind), ...Paging },
  { additionalProperties: false },
);
export type ListRefundPoliciesQuery = Static<typeof ListRefundPoliciesQuery>;

export const RefundPolicyResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  name: Type.String(),
  scopeKind: ScopeKind,
  scopeId: Type.String(),
  rules: Type.Array(RefundRuleSchema),
  minFee: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type RefundPolicyResponse = Static<typeof RefundPolicyResponse>;
