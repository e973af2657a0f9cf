import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { canManageOrganizer, requireStaff, type Principal } from '../auth/principal.js';
import { IdParams } from '../catalog/catalog.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { AppError, notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { requestNotifications } from './notification.service.js';

const tags = ['admin: notifications'];
const security = [{ bearerAuth: [] }];

const NotificationResponse = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  recipient: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

/** /api/admin/orders/{id}/notifications and …/resend-tickets (staff of the order's organizer, admins). */
export const notificationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const db = deps.database.db;

  async function managedOrder(principal: Principal, orderId: string) {
    const order = await db
      .selectFrom('orders')
      .select(['id', 'user_id', 'organizer_id', 'status'])
      .where('id', '=', orderId)
      .executeTakeFirst();
    if (!order || !canManageOrganizer(principal, order.organizer_id)) throw notFound('Order', orderId);
    return order;
  }

  app.get(
    '/orders/:id/notifications',
    {
      schema: {
        tags,
        security,
        summary: 'Every message sent (or being sent) about an order, by channel, with its delivery state',
        params: IdParams,
        response: { 200: Type.Array(NotificationResponse), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const order = await managedOrder(requireStaff(request), request.params.id);
      const rows = await db
        .selectFrom('notifications')
        .select(['id', 'kind', 'channel', 'recipient', 'status', 'attempts', 'last_error', 'created_at', 'sent_at'])
        .where('order_id', '=', order.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        kind: row.kind,
        channel: row.channel,
        recipient: row.recipient,
        status: row.status,
        attempts: row.attempts,
        lastError: row.last_error,
        createdAt: row.created_at.toISOString(),
        sentAt: row.sent_at?.toISOString() ?? null,
      }));
    },
  );

  app.post(
    '/orders/:id/resend-tickets',
    {
      schema: {
        tags,
        security,
        summary: 'Send the booking confirmation with the tickets again (email and/or SMS, as the buyer chose)',
        description: '409 `notification.order_not_confirmed` for an order that has no valid tickets to send.',
        params: IdParams,
        response: {
          202: Type.Object({ orderId: Type.String(), messages: Type.Integer() }),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const order = await managedOrder(requireStaff(request), request.params.id);
      if (order.status !== 'confirmed') {
        throw new AppError(
          'notification.order_not_confirmed',
          `Order ${order.id} is ${order.status}: no tickets to send`,
        );
      }
      const messages = await db.transaction().execute((trx) =>
        requestNotifications(trx, [
          {
            // A new key each time: a resend is a new message, asked for on purpose.
            dedupeKey: `resend:${order.id}:${newId('notification')}`,
            kind: 'booking_confirmed',
            params: {},
            userId: order.user_id,
            organizerId: order.organizer_id,
            orderId: order.id,
            mandatory: true,
          },
        ]),
      );
      return reply.status(202).send({ orderId: order.id, messages });
    },
  );
};
