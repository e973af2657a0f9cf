import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireUser } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { OrderParams, TicketListResponse, TicketParams, TicketResponse } from './booking.schemas.js';
import type { TicketDetailRow } from './ticket.repository.js';
import { TicketService } from './ticket.service.js';

export function presentTicket(ticket: TicketDetailRow): TicketResponse {
  return {
    id: ticket.id,
    code: ticket.code,
    orderId: ticket.order_id,
    bookingCode: ticket.order_code,
    status: ticket.status,
    kind: ticket.inventory_kind,
    ...(ticket.inventory_kind === 'event' ? { eventId: ticket.inventory_id } : { tripId: ticket.inventory_id }),
    title: ticket.title,
    startsAt: new Date(ticket.starts_at).toISOString(),
    seatId: ticket.seat_id,
    areaId: ticket.area_id,
    label: ticket.label,
    category: ticket.category,
    passengerName: ticket.passenger_name,
    segment: {
      fromIndex: ticket.from_index,
      toIndex: ticket.to_index,
      ...(ticket.from_stop_id ? { fromStopId: ticket.from_stop_id } : {}),
      ...(ticket.to_stop_id ? { toStopId: ticket.to_stop_id } : {}),
    },
    checkedInAt: ticket.checked_in_at ? new Date(ticket.checked_in_at).toISOString() : null,
    createdAt: new Date(ticket.created_at).toISOString(),
  };
}

/** Tickets of confirmed orders: JSON, QR image and a printable page, for the buyer, organizer staff and admins. */
export const ticketRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const tickets = new TicketService(deps.database.db);

  app.get(
    '/bookings/:id/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'The tickets of an order (one per seat, per passenger and segment on trips)',
        params: OrderParams,
        response: { 200: TicketListResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => ({
      items: (await tickets.listTicketsOfOrder(requireUser(request), request.params.id)).map(presentTicket),
    }),
  );

  app.get(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'One ticket',
        params: TicketParams,
        response: { 200: TicketResponse, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => presentTicket(await tickets.getTicket(requireUser(request), request.params.id)),
  );

  app.get(
    '/tickets/:id/qr.png',
    {
      schema: {
        tags: ['tickets'],
        summary: 'The ticket code as a QR image (PNG)',
        params: TicketParams,
        produces: ['image/png'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const png = await tickets.qrPng(requireUser(request), request.params.id);
      return reply.type('image/png').header('cache-control', 'private, no-store').send(png);
    },
  );

  app.get(
    '/tickets/:id/print',
    {
      schema: {
        tags: ['tickets'],
        summary: 'A printable ticket (HTML page with the QR inline)',
        params: TicketParams,
        produces: ['text/html'],
        response: { 200: Type.String(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const html = await tickets.printPage(requireUser(request), request.params.id);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-store').send(html);
    },
  );
};
