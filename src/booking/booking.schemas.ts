import { Type, type Static } from 'typebox';
import { Id } from '../inventory/hold.schemas.js';

const HoldToken = Type.String({ minLength: 10, maxLength: 64, pattern: '^hold_[a-z0-9]+$' });
const OrderId = Type.String({ minLength: 5, maxLength: 64, pattern: '^ord_[a-z0-9]+$' });
const TicketId = Type.String({ minLength: 5, maxLength: 64, pattern: '^tkt_[a-z0-9]+$' });
const Gender = Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('other')]);

export const Passenger = Type.Object(
  {
    seatId: Id,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    gender: Type.Optional(Gender),
  },
  { additionalProperties: false },
);
export type Passenger = Static<typeof Passenger>;

export const CreateBookingBody = Type.Object(
  {
    holdToken: Type.Optional(HoldToken),
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
    passengers: Type.Optional(Type.Array(Passenger, { maxItems: 100 })),
    couponCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type CreateBookingBody = Static<typeof CreateBookingBody>;

export const SessionHeaders = Type.Object({
  'x-session-id': Type.Optional(Type.String({ minLength: 16, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' })),
});

export const OrderParams = Type.Object({ id: OrderId }, { additionalProperties: false });
export const TicketParams = Type.Object({ id: TicketId }, { additionalProperties: false });

export const ListBookingsQuery = Type.Object(
  {
    scope: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past')], { default: 'upcoming' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000, default: 0 })),
  },
  { additionalProperties: false },
);

export const OrderLineResponse = Type.Object({
  id: Type.String(),
  seatId: Type.Union([Type.String(), Type.Null()]),
  areaId: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  category: Type.String(),
  passenger: Type.Union([
    Type.Object({
      name: Type.String(),
      age: Type.Union([Type.Integer(), Type.Null()]),
      gender: Type.Union([Gender, Type.Null()]),
    }),
    Type.Null(),
  ]),
  price: Type.Integer(),
  fee: Type.Integer(),
  discount: Type.Integer(),
  tax: Type.Integer(),
  total: Type.Integer(),
  status: Type.Union([Type.Literal('active'), Type.Literal('cancelled')]),
  refundedAmount: Type.Integer(),
});

export const OrderResponse = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'Booking reference, e.g. BX7K2M9QTR' }),
  kind: Type.Union([Type.Literal('event'), Type.Literal('trip')]),
  eventId: Type.Optional(Type.String()),
  tripId: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ description: 'Boarding stop id (trips)' })),
  to: Type.Optional(Type.String({ description: 'Alighting stop id (trips)' })),
  segment: Type.Object({ fromIndex: Type.Integer(), toIndex: Type.Integer() }),
  title: Type.String(),
  startsAt: Type.String({ format: 'date-time', description: 'Event start, or departure from the boarding stop' }),
  timezone: Type.String({ description: 'IANA time zone of the venue, or of the boarding stop' }),
  place: Type.String({ description: 'The venue, or "boarding stop → alighting stop"' }),
  status: Type.Union([
    Type.Literal('pending_payment'),
    Type.Literal('confirmed'),
    Type.Literal('cancelled'),
    Type.Literal('expired'),
  ]),
  paymentStatus: Type.Union([
    Type.Literal('unpaid'),
    Type.Literal('paid'),
    Type.Literal('partially_refunded'),
    Type.Literal('refunded'),
  ]),
  refundStatus: Type.Union([
    Type.Literal('none'),
    Type.Literal('pending'),
    Type.Literal('done'),
    Type.Literal('failed'),
  ]),
  currency: Type.String(),
  subtotal: Type.Integer(),
  bookingFee: Type.Integer(),
  discount: Type.Integer(),
  tax: Type.Integer(),
  total: Type.Integer(),
  refundedAmount: Type.Integer(),
  couponCode: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.String({ format: 'date-time', description: 'Pay before this time (the hold expiry)' }),
  createdAt: Type.String({ format: 'date-time' }),
  confirmedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  cancelledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lines: Type.Array(OrderLineResponse),
});
export type OrderResponse = Static<typeof OrderResponse>;

export const OrderListResponse = Type.Object({ items: Type.Array(OrderResponse) });

export const TicketResponse = Type.Object({
  id: Type.String(),
  code: Type.String({ description: 'The code in the QR image; scanned at check-in' }),
  orderId: Type.String(),
  bookingCode: Type.String(),
  status: Type.Union([Type.Literal('valid'), Type.Literal('cancelled')]),
  kind: Type.Union([Type.Literal('event'), Type.Literal('trip')]),
  eventId: Type.Optional(Type.String()),
  tripId: Type.Optional(Type.String()),
  title: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  seatId: Type.Union([Type.String(), Type.Null()]),
  areaId: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  category: Type.String(),
  passengerName: Type.Union([Type.String(), Type.Null()]),
  segment: Type.Object({
    fromIndex: Type.Integer(),
    toIndex: Type.Integer(),
    fromStopId: Type.Optional(Type.String()),
    toStopId: Type.Optional(Type.String()),
  }),
  checkedInAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type TicketResponse = Static<typeof TicketResponse>;

export const TicketListResponse = Type.Object({ items: Type.Array(TicketResponse) });

export const CheckinBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64 }),
    eventId: Type.Optional(Id),
    tripId: Type.Optional(Id),
    stopId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CheckinBody = Static<typeof CheckinBody>;

export const CheckinResponse = Type.Object({
  result: Type.Literal('valid'),
  checkedInAt: Type.String({ format: 'date-time' }),
  ticket: TicketResponse,
});
