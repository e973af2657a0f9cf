import QRCode from 'qrcode';
import type { Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import { AppError } from '../shared/errors.js';
import { findOrder } from './order.repository.js';
import { mayRead } from './order.service.js';
import { renderTicketPage } from './ticket-print.js';
import { findTicketDetail, findTicketDetailsOfOrder, type TicketDetailRow } from './ticket.repository.js';

const QR_OPTIONS = { errorCorrectionLevel: 'M', margin: 2, width: 320 } as const;

/** PNG bytes of a QR image of a ticket code. */
export function ticketQrPng(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, { ...QR_OPTIONS, type: 'png' });
}

/**
 * Tickets of confirmed orders: read by their buyer, by staff of their organizer and by admins; anyone else
 * gets 404, so a ticket id reveals nothing.
 */
export class TicketService {
  constructor(private readonly db: Db) {}

  async getTicket(principal: Principal, ticketId: string): Promise<TicketDetailRow> {
    const ticket = await findTicketDetail(this.db, ticketId);
    if (!ticket || !mayRead(principal, ticket)) {
      throw new AppError('resource.not_found', `Ticket ${ticketId} was not found`, { id: ticketId });
    }
    return ticket;
  }

  async listTicketsOfOrder(principal: Principal, orderId: string): Promise<TicketDetailRow[]> {
    const order = await findOrder(this.db, orderId);
    if (!order || !mayRead(principal, order)) {
      throw new AppError('resource.not_found', `Order ${orderId} was not found`, { id: orderId });
    }
    return findTicketDetailsOfOrder(this.db, orderId);
  }

  async qrPng(principal: Principal, ticketId: string): Promise<Buffer> {
    return ticketQrPng((await this.getTicket(principal, ticketId)).code);
  }

  async printPage(principal: Principal, ticketId: string): Promise<string> {
    const ticket = await this.getTicket(principal, ticketId);
    const qrDataUrl = await QRCode.toDataURL(ticket.code, { ...QR_OPTIONS, type: 'image/png' });
    return renderTicketPage({
      code: ticket.code,
      bookingCode: ticket.order_code,
      organizerName: ticket.organizer_name,
      title: ticket.title,
      kind: ticket.inventory_kind,
      status: ticket.status,
      seatLabel: ticket.label,
      category: ticket.category,
      passengerName: ticket.passenger_name,
      venue:
        ticket.inventory_kind === 'event' && ticket.venue_name !== null
          ? {
              name: ticket.venue_name,
              city: ticket.venue_city ?? '',
              address: ticket.venue_address ?? '',
              startsAt: ticket.starts_at,
              timeZone: ticket.venue_timezone ?? 'UTC',
            }
          : undefined,
      journey:
        ticket.inventory_kind === 'trip' && ticket.departs_at && ticket.arrives_at
          ? {
              from: {
                name: ticket.from_stop_name ?? '',
                at: ticket.departs_at,
                timeZone: ticket.from_stop_timezone ?? 'UTC',
              },
              to: {
                name: ticket.to_stop_name ?? '',
                at: ticket.arrives_at,
                timeZone: ticket.to_stop_timezone ?? 'UTC',
              },
            }
          : undefined,
      qrDataUrl,
    });
  }
}
