import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { registerIdempotency } from '../http/idempotency.js';
import { OrderParams } from './booking.schemas.js';
import { presentOrder } from './booking.routes.js';
import {
  AdminOrderResponse,
  OrderSearchQuery,
  OrderSearchResponse,
  OrganizerRefundBody,
  OrganizerRefundResponse,
} from './order-admin.schemas.js';
import { OrderAdminService, type AdminOrderDetail } from './order-admin.service.js';
import { presentTicket } from './ticket.routes.js';

const tags = ['admin: orders'];
const security = [{ bearerAuth: [] }];

function presentDetail(detail: AdminOrderDetail): AdminOrderResponse {
  return {
    ...presentOrder(detail.view),
    organizerId: detail.organizerId,
    buyer: detail.buyer,
    place: detail.place,
    timezone: detail.timezone,
    tickets: detail.tickets.map(presentTicket),
    payments: detail.payments.map((payment) => ({
      id: payment.id,
      provider: payment.provider,
      amount: payment.amount,
      currency: payment.currency,
      status: payment.status,
      refundedAmount: payment.refunded_amount,
      createdAt: payment.created_at.toISOString(),
      succeededAt: payment.succeeded_at?.toISOString() ?? null,
    })),
    refunds: detail.refunds.map((refund) => ({
      id: refund.id,
      paymentId: refund.payment_id,
      amount: refund.amount,
      status: refund.status,
      reason: refund.reason,
      createdAt: refund.created_at.toISOString(),
      completedAt: refund.completed_at?.toISOString() ?? null,
    })),
  };
}

/** /api/admin/orders: the organizer's order desk (staff: their organizer's orders; admins: all). */
export const orderAdminRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const orders = new OrderAdminService(deps);
  await registerIdempotency(app, deps);

  app.get(
    '/orders',
    {
      schema: {
        tags,
        security,
        summary: "Find orders by booking code, buyer's name or email, or passenger name; newest first",
        querystring: OrderSearchQuery,
        response: { 200: OrderSearchResponse, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { limit = 50, offset = 0, ...query } = request.query;
      const { rows, total } = await orders.search(requireStaff(request), { ...query, limit, offset });
      return {
        total,
        items: rows.map((row) => ({
          id: row.id,
          code: row.code,
          status: row.status,
          paymentStatus: row.payment_status,
          refundStatus: row.refund_status,
          currency: row.currency,
          total: row.total,
          refundedAmount: row.refunded_amount,
          createdAt: row.created_at.toISOString(),
          confirmedAt: row.confirmed_at?.toISOString() ?? null,
          kind: row.inventory_kind,
          inventoryId: row.inventory_id,
          organizerId: row.organizer_id,
          title: row.title,
          startsAt: new Date(row.starts_at).toISOString(),
          timezone: row.timezone,
          tickets: row.tickets,
          buyer: { id: row.buyer_id, name: row.buyer_name, email: row.buyer_email },
        })),
      };
    },
  );

  app.get(
    '/orders/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One order with its lines, tickets, payments and refunds',
        params: OrderParams,
        response: { 200: AdminOrderResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => presentDetail(await orders.detail(requireStaff(request), request.params.id)),
  );

  app.post(
    '/orders/:id/refund',
    {
      config: { idempotent: true },
      schema: {
        tags,
        security,
        summary: 'Refund a paid order: seats (cancelled and refunded in full) or an amount (tickets stay valid)',
        description:
          'Without `lineIds` and `amount` every active seat is cancelled and everything paid is refunded. ' +
          '`lineIds` cancel those seats and refund what was paid for them, whatever the refund policy; they go ' +
          'back on sale at once. `amount` refunds that much without cancelling anything. Checked-in seats ' +
          'cannot be cancelled (409 `cancellation.checked_in`); an unpaid order has nothing to refund (409 ' +
          '`refund.not_refundable`); more than is left is 422 `refund.amount_invalid`. Send an ' +
          '`Idempotency-Key`: a retry then never refunds twice.',
        params: OrderParams,
        body: OrganizerRefundBody,
        response: { 200: OrganizerRefundResponse, ...errorResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const header = request.headers['idempotency-key'];
      const result = await orders.refund(requireStaff(request), request.params.id, {
        ...request.body,
        idempotencyKey: Array.isArray(header) ? header[0] : header,
      });
      return { ...result, order: presentDetail(result.order) };
    },
  );
};
