import { Type, type Static } from 'typebox';
import { Id } from '../catalog/catalog.schemas.js';
import { RefundRuleSchema } from './refund-policy.schemas.js';

const LineIds = Type.Array(Id, {
  minItems: 1,
  maxItems: 100,
  uniqueItems: true,
  description: 'Order lines (seats, passengers) to cancel; absent means every line still active',
});

export const CancellationQuoteQuery = Type.Object(
  {
    lineIds: Type.Optional(
      Type.String({
        minLength: 3,
        maxLength: 6600,
        pattern: '^[A-Za-z0-9_.:-]+(,[A-Za-z0-9_.:-]+)*$',
        description: 'Comma-separated order line ids; absent means the whole order',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CancellationQuoteQuery = Static<typeof CancellationQuoteQuery>;

export const CancellationCodeBody = Type.Object({ lineIds: Type.Optional(LineIds) }, { additionalProperties: false });
export type CancellationCodeBody = Static<typeof CancellationCodeBody>;

export const CancelOrderBody = Type.Object(
  {
    code: Type.Optional(
      Type.String({ pattern: '^[0-9]{6}$', description: 'The one-time code sent to the buyer (paid orders)' }),
    ),
    lineIds: Type.Optional(LineIds),
  },
  { additionalProperties: false },
);
export type CancelOrderBody = Static<typeof CancelOrderBody>;

const LineQuote = Type.Object({
  lineId: Type.String(),
  label: Type.String(),
  total: Type.Integer(),
  fee: Type.Integer({ description: 'Kept under the refund policy' }),
  refund: Type.Integer(),
});

const AppliedPolicy = Type.Object({
  id: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  scopeKind: Type.Union([
    Type.Literal('organizer'),
    Type.Literal('event'),
    Type.Literal('route'),
    Type.Literal('default'),
  ]),
  rule: Type.Union([RefundRuleSchema, Type.Null()], { description: 'The rule that applies now; null: too late' }),
});

const OrderStatus = Type.Union([
  Type.Literal('pending_payment'),
  Type.Literal('confirmed'),
  Type.Literal('cancelled'),
  Type.Literal('expired'),
]);

export const CancellationQuoteResponse = Type.Object({
  orderId: Type.String(),
  currency: Type.String(),
  orderStatus: OrderStatus,
  hoursBefore: Type.Number({ description: 'Hours left before the start or the departure from the boarding stop' }),
  cancellable: Type.Boolean(),
  reason: Type.Union([Type.Object({ code: Type.String(), message: Type.String() }), Type.Null()]),
  requiresCode: Type.Boolean(),
  policy: AppliedPolicy,
  lines: Type.Array(LineQuote),
  fee: Type.Integer(),
  refund: Type.Integer(),
});

export const CancellationCodeResponse = Type.Object({
  orderId: Type.String(),
  lineIds: Type.Array(Type.String()),
  expiresAt: Type.String({ format: 'date-time' }),
  delivery: Type.String({ description: 'Where the code was sent' }),
});

export const CancellationResponse = Type.Object({
  orderId: Type.String(),
  orderStatus: OrderStatus,
  cancelledLineIds: Type.Array(Type.String()),
  lines: Type.Array(LineQuote),
  fee: Type.Integer(),
  refund: Type.Object({
    amount: Type.Integer(),
    refundId: Type.Union([Type.String(), Type.Null()]),
    status: Type.Union([Type.Literal('none'), Type.Literal('pending'), Type.Literal('done'), Type.Literal('failed')]),
  }),
  couponReturned: Type.Boolean(),
});

export const InventoryCancellationResponse = Type.Object({
  inventoryKind: Type.Union([Type.Literal('event'), Type.Literal('trip')]),
  inventoryId: Type.String(),
  status: Type.Literal('cancelled'),
  ordersCancelled: Type.Integer(),
  ordersRefunded: Type.Integer(),
  refundedAmount: Type.Integer(),
  failures: Type.Array(Type.Object({ orderId: Type.String(), code: Type.String(), message: Type.String() }), {
    description: 'Orders left open (run the cancellation again to retry them)',
  }),
});
