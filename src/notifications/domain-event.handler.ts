import type { AppDeps } from '../container.js';
import type { Db } from '../db/client.js';
import type { DomainEvent } from '../jobs/domain-events.js';
import { segmentsOverlap } from '../inventory/segments.js';
import { createWebhookDeliveries, type WebhookPayload } from '../webhooks/webhook-delivery.js';
import type { RefundCause } from './message-templates.js';
import { findTripPassengerOrders } from './notification.repository.js';
import { requestNotifications, type NotificationRequest } from './notification.service.js';

/**
 * Fans one domain event out (the job of QUEUES.domainEvents): the messages to the people it concerns and
 * the organizer's webhook deliveries, recorded and enqueued in one transaction. Idempotent: a rerun finds
 * the messages (dedupe keys) and deliveries (endpoint + event) already recorded and adds nothing.
 */
export async function handleDomainEvent(
  deps: AppDeps,
  event: DomainEvent,
): Promise<{ notifications: number; webhooks: number }> {
  const db = deps.database.db;
  const requests = await notificationsFor(db, event);
  const payload: WebhookPayload = {
    id: event.id,
    type: event.type,
    createdAt: event.occurredAt,
    organizerId: event.organizerId,
    data: await webhookDataOf(db, event),
  };
  return db.transaction().execute(async (trx) => ({
    notifications: await requestNotifications(trx, requests),
    webhooks: await createWebhookDeliveries(trx, payload),
  }));
}

async function buyerOf(db: Db, orderId: string): Promise<string | null> {
  const row = await db.selectFrom('orders').select('user_id').where('id', '=', orderId).executeTakeFirst();
  return row?.user_id ?? null;
}

async function notificationsFor(db: Db, event: DomainEvent): Promise<NotificationRequest[]> {
  const base = { organizerId: event.organizerId };
  switch (event.type) {
    case 'order.confirmed':
    case 'order.cancelled':
    case 'order.refunded': {
      const userId = await buyerOf(db, event.orderId);
      if (!userId) return [];
      const common = { ...base, dedupeKey: event.id, userId, orderId: event.orderId };
      if (event.type === 'order.confirmed') return [{ ...common, kind: 'booking_confirmed', params: {} }];
      if (event.type === 'order.cancelled') {
        const order = await db
          .selectFrom('orders')
          .select(['payment_status', 'confirmed_at'])
          .where('id', '=', event.orderId)
          .executeTakeFirst();
        return [
          {
            ...common,
            kind: 'order_cancelled',
            params: {
              lineIds: event.lineIds,
              whole: event.whole,
              refundAmount: event.refundAmount,
              fee: event.fee,
              paid: order?.confirmed_at !== null && order?.confirmed_at !== undefined,
              by: event.by,
            },
          },
        ];
      }
      const cause: RefundCause =
        event.cause === 'auto' ? 'late_payment' : event.cause === 'duplicate' ? 'duplicate' : 'cancellation';
      return [{ ...common, kind: 'refund_done', params: { amount: event.amount, cause, reason: event.reason } }];
    }
    case 'trip.delayed':
    case 'trip.cancelled': {
      const orders = await findTripPassengerOrders(db, event.tripId);
      const requests: NotificationRequest[] = [];
      for (const order of orders) {
        const segment = { from: order.from_index, to: order.to_index };
        if (event.type === 'trip.delayed') {
          // Late from stop k on: everyone still aboard at stop k (arriving there or later) is affected.
          if (segment.to < event.fromStopIndex) continue;
          requests.push({
            ...base,
            dedupeKey: `${event.id}:${order.id}`,
            userId: order.user_id,
            orderId: order.id,
            kind: 'trip_delayed',
            params: { delayMinutes: event.delayMinutes, fromStopIndex: event.fromStopIndex, reason: event.reason },
          });
        } else {
          if (!event.notifyPassengers) continue;
          const whole = event.fromStopIndex === null && event.toStopIndex === null;
          const cancelled = { from: event.fromStopIndex ?? 0, to: event.toStopIndex ?? Number.MAX_SAFE_INTEGER };
          if (!whole && !segmentsOverlap(segment, cancelled)) continue;
          const coversJourney = whole || (cancelled.from <= segment.from && cancelled.to >= segment.to);
          requests.push({
            ...base,
            dedupeKey: `${event.id}:${order.id}`,
            userId: order.user_id,
            orderId: order.id,
            kind: 'trip_disrupted',
            params: { wholeTrip: coversJourney, reason: event.reason },
          });
        }
      }
      return requests;
    }
    case 'event.cancelled':
      // Each cancelled order gets its own message (order.cancelled by the organizer, with its refund).
      return [];
  }
}

async function orderDataOf(db: Db, orderId: string): Promise<Record<string, unknown>> {
  const order = await db
    .selectFrom('orders')
    .innerJoin('users', 'users.id', 'orders.user_id')
    .select([
      'orders.id',
      'orders.code',
      'orders.status',
      'orders.payment_status',
      'orders.refund_status',
      'orders.inventory_kind',
      'orders.inventory_id',
      'orders.from_index',
      'orders.to_index',
      'orders.currency',
      'orders.total',
      'orders.refunded_amount',
      'orders.confirmed_at',
      'orders.cancelled_at',
      'users.name as buyer_name',
      'users.email as buyer_email',
    ])
    .where('orders.id', '=', orderId)
    .executeTakeFirst();
  if (!order) return { id: orderId };
  const lines = await db
    .selectFrom('order_lines')
    .select(['id', 'label', 'category', 'status', 'total', 'refunded_amount', 'passenger_name'])
    .where('order_id', '=', orderId)
    .orderBy('label')
    .orderBy('id')
    .execute();
  return {
    id: order.id,
    code: order.code,
    status: order.status,
    paymentStatus: order.payment_status,
    refundStatus: order.refund_status,
    inventoryKind: order.inventory_kind,
    ...(order.inventory_kind === 'event'
      ? { eventId: order.inventory_id }
      : { tripId: order.inventory_id, fromStopIndex: order.from_index, toStopIndex: order.to_index }),
    currency: order.currency,
    total: order.total,
    refundedAmount: order.refunded_amount,
    confirmedAt: order.confirmed_at?.toISOString() ?? null,
    cancelledAt: order.cancelled_at?.toISOString() ?? null,
    buyer: { name: order.buyer_name, email: order.buyer_email },
    lines: lines.map((line) => ({
      id: line.id,
      label: line.label,
      category: line.category,
      status: line.status,
      total: line.total,
      refundedAmount: line.refunded_amount,
      passengerName: line.passenger_name,
    })),
  };
}

async function webhookDataOf(db: Db, event: DomainEvent): Promise<Record<string, unknown>> {
  switch (event.type) {
    case 'order.confirmed':
      return { order: await orderDataOf(db, event.orderId) };
    case 'order.cancelled':
      return {
        order: await orderDataOf(db, event.orderId),
        cancellation: {
          lineIds: event.lineIds,
          whole: event.whole,
          refundAmount: event.refundAmount,
          fee: event.fee,
          by: event.by,
        },
      };
    case 'order.refunded':
      return {
        order: await orderDataOf(db, event.orderId),
        refund: { id: event.refundId, amount: event.amount, reason: event.reason, cause: event.cause },
      };
    case 'trip.delayed':
    case 'trip.cancelled': {
      const trip = await db
        .selectFrom('trips')
        .select(['id', 'route_id', 'service_date', 'departs_at', 'status'])
        .where('id', '=', event.tripId)
        .executeTakeFirst();
      const tripData = trip
        ? {
            id: trip.id,
            routeId: trip.route_id,
            serviceDate: trip.service_date,
            departsAt: trip.departs_at.toISOString(),
            status: trip.status,
          }
        : { id: event.tripId };
      return event.type === 'trip.delayed'
        ? { trip: tripData, delayMinutes: event.delayMinutes, fromStopIndex: event.fromStopIndex, reason: event.reason }
        : {
            trip: tripData,
            fromStopIndex: event.fromStopIndex,
            toStopIndex: event.toStopIndex,
            reason: event.reason,
          };
    }
    case 'event.cancelled': {
      const row = await db
        .selectFrom('events')
        .select(['id', 'title', 'starts_at', 'status'])
        .where('id', '=', event.eventId)
        .executeTakeFirst();
      return {
        event: row
          ? { id: row.id, title: row.title, startsAt: row.starts_at.toISOString(), status: row.status }
          : { id: event.eventId },
      };
    }
  }
}
