import { randomBytes } from 'node:crypto';
import { canManageOrganizer, scopeOrganizerFilter, type Principal } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { refundOrderPayment } from '../payments/payment.service.js';
import { AppError, notFound } from '../shared/errors.js';
import { CancellationService } from './cancellation.service.js';
import {
  findOrderContext,
  findPaymentsOfOrder,
  findRefundsOfOrder,
  searchOrders,
  type OrderSearch,
} from './order-admin.repository.js';
import { OrderService, type OrderView } from './order.service.js';
import { findTicketDetailsOfOrder, type TicketDetailRow } from './ticket.repository.js';

export interface AdminOrderDetail {
  view: OrderView;
  organizerId: string;
  buyer: { id: string; name: string; email: string; phone: string | null };
  place: string;
  timezone: string;
  tickets: TicketDetailRow[];
  payments: Awaited<ReturnType<typeof findPaymentsOfOrder>>;
  refunds: Awaited<ReturnType<typeof findRefundsOfOrder>>;
}

export interface OrganizerRefundInput {
  lineIds?: readonly string[] | undefined;
  amount?: number | undefined;
  reason: string;
  /** The request's Idempotency-Key: the same key never refunds twice. */
  idempotencyKey?: string | undefined;
}

/**
 * The organizer's order desk: find orders by booking code, buyer or passenger, read one with its tickets,
 * payments and refunds, and refund — seats (cancelled, back on sale, refunded in full) or an amount (tickets
 * stay valid). Money only moves through the payments module's refundOrderPayment, as for buyers.
 */
export class OrderAdminService {
  private readonly orders: OrderService;
  private readonly cancellations: CancellationService;

  constructor(private readonly deps: AppDeps) {
    this.orders = new OrderService(deps);
    this.cancellations = new CancellationService(deps);
  }

  async search(principal: Principal, query: Omit<OrderSearch, 'organizerId'> & { organizerId?: string | undefined }) {
    const scope = scopeOrganizerFilter(principal, query.organizerId);
    if (!scope) return { rows: [], total: 0 };
    return searchOrders(this.deps.database.db, { ...query, organizerId: scope.organizerId });
  }

  async detail(principal: Principal, orderId: string): Promise<AdminOrderDetail> {
    const db = this.deps.database.db;
    const context = await findOrderContext(db, orderId);
    // Only the organizer's staff and admins: the buyer reads their order at /api/bookings/{id}.
    if (!context || !canManageOrganizer(principal, context.organizer_id)) {
      throw notFound('Order', orderId);
    }
    const [view, tickets, payments, refunds] = await Promise.all([
      this.orders.getOrder(principal, orderId),
      findTicketDetailsOfOrder(db, orderId),
      findPaymentsOfOrder(db, orderId),
      findRefundsOfOrder(db, orderId),
    ]);
    return {
      view,
      organizerId: context.organizer_id,
      buyer: { id: context.buyer_id, name: context.buyer_name, email: context.buyer_email, phone: context.buyer_phone },
      place: context.place,
      timezone: context.timezone,
      tickets,
      payments,
      refunds,
    };
  }

  /** Refunds seats (all active ones when neither is given) or an amount of a paid order. */
  async refund(principal: Principal, orderId: string, input: OrganizerRefundInput) {
    if (input.lineIds !== undefined && input.amount !== undefined) {
      throw new AppError('request.invalid', 'Refund either seats (lineIds) or an amount, not both');
    }
    await this.detail(principal, orderId); // 404 before anything else for another organizer's order
    if (input.amount === undefined) {
      const result = await this.cancellations.refundSeatsByOrganizer(principal, orderId, input);
      return {
        kind: 'seats' as const,
        cancelledLineIds: result.cancelledLineIds,
        refund: result.refund,
        order: await this.detail(principal, orderId),
      };
    }
    const order = (await this.detail(principal, orderId)).view.order;
    if (order.payment_status !== 'paid' && order.payment_status !== 'partially_refunded') {
      throw new AppError('refund.not_refundable', 'This order has not been paid; there is nothing to refund', {
        paymentStatus: order.payment_status,
      });
    }
    const refund = await refundOrderPayment(this.deps, null, {
      orderId,
      amount: input.amount,
      reason: `Refunded by the organizer: ${input.reason}`,
      // Without a key every request is a refund of its own; with one, a retry finds the first.
      idempotencyKey: `organizer:${orderId}:${input.idempotencyKey ?? randomBytes(12).toString('hex')}`,
    });
    return {
      kind: 'amount' as const,
      cancelledLineIds: [],
      refund: { amount: input.amount, ...refund },
      order: await this.detail(principal, orderId),
    };
  }
}
