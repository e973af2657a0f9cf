import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { registerIdempotency } from '../http/idempotency.js';
import { AppError } from '../shared/errors.js';
import {
  CreateBookingBody,
  ListBookingsQuery,
  OrderListResponse,
  OrderParams,
  OrderResponse,
  SessionHeaders,
} from './booking.schemas.js';
import { checkinRoutes } from './checkin.routes.js';
import { OrderService, type OrderView } from './order.service.js';
import { ticketRoutes } from './ticket.routes.js';

export function presentOrder({ order, lines, couponCode }: OrderView): OrderResponse {
  return {
    id: order.id,
    code: order.code,
    kind: order.inventory_kind,
    ...(order.inventory_kind === 'event' ? { eventId: order.inventory_id } : { tripId: order.inventory_id }),
    ...(order.from_stop_id && order.to_stop_id ? { from: order.from_stop_id, to: order.to_stop_id } : {}),
    segment: { fromIndex: order.from_index, toIndex: order.to_index },
    title: order.title,
    startsAt: new Date(order.starts_at).toISOString(),
    timezone: order.timezone,
    place: order.place,
    status: order.status,
    paymentStatus: order.payment_status,
    refundStatus: order.refund_status,
    currency: order.currency,
    subtotal: order.subtotal,
    bookingFee: order.booking_fee,
    discount: order.discount,
    tax: order.tax,
    total: order.total,
    refundedAmount: order.refunded_amount,
    couponCode,
    expiresAt: order.expires_at.toISOString(),
    createdAt: order.created_at.toISOString(),
    confirmedAt: order.confirmed_at?.toISOString() ?? null,
    cancelledAt: order.cancelled_at?.toISOString() ?? null,
    lines: lines.map((line) => ({
      id: line.id,
      seatId: line.seat_id,
      areaId: line.area_id,
      label: line.label,
      category: line.category,
      passenger:
        line.passenger_name === null
          ? null
          : { name: line.passenger_name, age: line.passenger_age, gender: line.passenger_gender },
      price: line.price,
      fee: line.fee,
      discount: line.discount,
      tax: line.tax,
      total: line.total,
      status: line.status,
      refundedAmount: line.refunded_amount,
    })),
  };
}

/** Orders (bookings) of the calling user; tickets and check-in are registered alongside. */
export const bookingRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const orders = new OrderService(deps);
  await registerIdempotency(app, deps);

  app.post(
    '/bookings',
    {
      config: { idempotent: true },
      schema: {
        tags: ['bookings'],
        summary: 'Book a hold (or hold and book seats in one step); the order then awaits payment',
        description:
          'Send `holdToken` (a hold of this user, or of the X-Session-Id sent), or `eventId` / `tripId` with ' +
          '`from` and `to` plus `seatIds` and/or `ga`. Trips need one named passenger per seat. One line per ' +
          'seat and per GA unit; price from the seat category or the fare table, booking fee, optional coupon, ' +
          'tax per line; all amounts in minor units. The hold is extended once; pay before `expiresAt`. ' +
          'With an `Idempotency-Key` header a retry returns the first answer instead of booking again.',
        headers: SessionHeaders,
        body: CreateBookingBody,
        response: { 201: OrderResponse, ...errorResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const principal = requireUser(request);
      const body = request.body;
      const direct = body.eventId !== undefined || body.tripId !== undefined;
      if ((body.holdToken !== undefined) === direct) {
        throw new AppError('request.invalid', 'Send a holdToken, or an eventId or tripId with seats — not both');
      }
      if (body.holdToken !== undefined && (body.seatIds !== undefined || body.ga !== undefined)) {
        throw new AppError('request.invalid', 'seatIds and ga come from the hold when holdToken is sent');
      }
      if (direct && body.eventId !== undefined && body.tripId !== undefined) {
        throw new AppError('request.invalid', 'Send exactly one of eventId or tripId');
      }
      if (body.tripId !== undefined && (body.from === undefined || body.to === undefined)) {
        throw new AppError('request.invalid', 'A trip booking needs the boarding stop (from) and alighting stop (to)');
      }
      if (body.tripId === undefined && (body.from !== undefined || body.to !== undefined)) {
        throw new AppError('request.invalid', 'from and to apply to trip bookings only');
      }
      const view = await orders.createOrder({
        principal,
        sessionId: request.headers['x-session-id'],
        holdToken: body.holdToken,
        target:
          body.eventId !== undefined
            ? { kind: 'event', eventId: body.eventId }
            : body.tripId !== undefined
              ? { kind: 'trip', tripId: body.tripId, fromStopId: body.from!, toStopId: body.to! }
              : undefined,
        seatIds: body.seatIds,
        ga: body.ga,
        passengers: body.passengers,
        couponCode: body.couponCode,
      });
      return reply.status(201).send(presentOrder(view));
    },
  );

  app.get(
    '/bookings',
    {
      schema: {
        tags: ['bookings'],
        summary: 'My orders: upcoming (soonest first) or past (latest first)',
        querystring: ListBookingsQuery,
        response: { 200: OrderListResponse, ...errorResponses(400, 401) },
      },
    },
    async (request) => {
      const principal = requireUser(request);
      const views = await orders.listMyOrders(principal, {
        scope: request.query.scope ?? 'upcoming',
        limit: request.query.limit ?? 20,
        offset: request.query.offset ?? 0,
      });
      return { items: views.map(presentOrder) };
    },
  );

  app.get(
    '/bookings/:id',
    {
      schema: {
        tags: ['bookings'],
        summary: 'One order: the buyer’s own, or any of an organizer its staff manage',
        params: OrderParams,
        response: { 200: OrderResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentOrder(await orders.getOrder(requireUser(request), request.params.id)),
  );

  await app.register(ticketRoutes, { deps });
  await app.register(checkinRoutes, { deps });
};
