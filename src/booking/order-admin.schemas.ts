import { Type, type Static } from 'typebox';
import { Id } from '../inventory/hold.schemas.js';
import { OrderResponse, TicketResponse } from './booking.schemas.js';

const strict = { additionalProperties: false } as const;
const Instant = Type.String({ format: 'date-time' });
const OrderStatus = Type.Union([
  Type.Literal('pending_payment'),
  Type.Literal('confirmed'),
  Type.Literal('cancelled'),
  Type.Literal('expired'),
]);

export const OrderSearchQuery = Type.Object(
  {
    organizerId: Type.Optional(Id),
    q: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: "Booking code, or part of the buyer's name or email" }),
    ),
    status: Type.Optional(OrderStatus),
    inventoryId: Type.Optional(Type.String({ minLength: 3, maxLength: 64, description: 'An event or trip id' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
  },
  strict,
);
export type OrderSearchQuery = Static<typeof OrderSearchQuery>;

const Buyer = Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() });

export const OrderSearchResponse = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      code: Type.String(),
      status: OrderStatus,
      paymentStatus: Type.String(),
      refundStatus: Type.String(),
      currency: Type.String(),
      total: Type.Integer(),
      refundedAmount: Type.Integer(),
      createdAt: Instant,
      confirmedAt: Type.Union([Instant, Type.Null()]),
      kind: Type.Union([Type.Literal('event'), Type.Literal('trip')]),
      inventoryId: Type.String(),
      organizerId: Type.String(),
      title: Type.String(),
      startsAt: Instant,
      timezone: Type.String({ description: 'Of the venue, or of the boarding stop' }),
      tickets: Type.Integer(),
      buyer: Buyer,
    }),
  ),
  total: Type.Integer(),
});

export const AdminOrderResponse = Type.Object({
  ...OrderResponse.properties,
  ...{
    organizerId: Type.String(),
    buyer: Type.Object({
      id: Type.String(),
      name: Type.String(),
      email: Type.String(),
      phone: Type.Union([Type.String(), Type.Null()]),
    }),
    place: Type.String({ description: 'Venue and city, or route' }),
    timezone: Type.String(),
    tickets: Type.Array(TicketResponse),
    payments: Type.Array(
      Type.Object({
        id: Type.String(),
        provider: Type.String(),
        amount: Type.Integer(),
        currency: Type.String(),
        status: Type.String(),
        refundedAmount: Type.Integer(),
        createdAt: Instant,
        succeededAt: Type.Union([Instant, Type.Null()]),
      }),
    ),
    refunds: Type.Array(
      Type.Object({
        id: Type.String(),
        paymentId: Type.String(),
        amount: Type.Integer(),
        status: Type.String(),
        reason: Type.String(),
        createdAt: Instant,
        completedAt: Type.Union([Instant, Type.Null()]),
      }),
    ),
  },
});
export type AdminOrderResponse = Static<typeof AdminOrderResponse>;

export const OrganizerRefundBody = Type.Object(
  {
    lineIds: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 64 }), {
        minItems: 1,
        maxItems: 100,
        uniqueItems: true,
        description: 'Cancel these seats and refund them in full (they go back on sale)',
      }),
    ),
    amount: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 1_000_000_000,
        description: 'Refund this much (minor units) and keep every ticket valid: a goodwill refund',
      }),
    ),
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'Why; shown on the refund' }),
  },
  strict,
);
export type OrganizerRefundBody = Static<typeof OrganizerRefundBody>;

export const OrganizerRefundResponse = Type.Object({
  kind: Type.Union([Type.Literal('seats'), Type.Literal('amount')]),
  cancelledLineIds: Type.Array(Type.String()),
  refund: Type.Object({
    amount: Type.Integer(),
    refundId: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
  }),
  order: AdminOrderResponse,
});
