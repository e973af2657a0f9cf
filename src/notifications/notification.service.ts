import type { Transaction } from 'kysely';
import { findTicketDetailsOfOrder } from '../booking/ticket.repository.js';
import { ticketQrPng } from '../booking/ticket.service.js';
import type { AppDeps } from '../container.js';
import type { Db } from '../db/client.js';
import type { Database, NotificationChannel } from '../db/schema.js';
import { enqueueJob, QUEUES } from '../jobs/job-queue.js';
import { newId } from '../shared/ids.js';
import type { MailAttachment } from './mailer.js';
import {
  renderMessage,
  type Language,
  type MessageInput,
  type MessageKind,
  type OrderFacts,
  type RefundCause,
  type SummaryFacts,
} from './message-templates.js';
import {
  findNotification,
  findOrderFacts,
  findOrderLineLabels,
  findRecipient,
  findTripStop,
  insertNewNotifications,
  markNotificationAttemptFailed,
  markNotificationSent,
  type NewNotification,
  type NotificationRow,
  type RecipientRow,
} from './notification.repository.js';

type Executor = Db | Transaction<Database>;

/** A message meant for one person; the channels follow their profile (notifyEmail, notifySms + phone). */
export interface NotificationRequest {
  /** Identity of this message for this person: a second request with the same key sends nothing. */
  dedupeKey: string;
  kind: MessageKind;
  params: Record<string, unknown>;
  userId: string;
  organizerId: string | null;
  orderId: string | null;
  /** Security messages (a cancellation code) go by email even to someone who turned both channels off. */
  mandatory?: boolean;
}

/** The job of one notification. */
export interface NotificationJob {
  notificationId: string;
  organizerId: string | null;
}

function channelsOf(recipient: RecipientRow, mandatory: boolean): NotificationChannel[] {
  const channels: NotificationChannel[] = [];
  if (recipient.notify_email) channels.push('email');
  if (recipient.notify_sms && recipient.phone) channels.push('sms');
  if (channels.length === 0 && mandatory) channels.push('email');
  return channels;
}

/**
 * Records the messages (one per channel the person chose) and enqueues one job for each, through `trx`:
 * inside a transaction they exist exactly when it commits, and a request whose dedupe key was seen before
 * adds nothing — so a handler that runs twice notifies once. Returns how many messages were recorded.
 */
export async function requestNotifications(trx: Executor, requests: readonly NotificationRequest[]): Promise<number> {
  const rows: NewNotification[] = [];
  for (const request of requests) {
    const recipient = await findRecipient(trx, request.userId);
    if (!recipient) continue;
    for (const channel of channelsOf(recipient, request.mandatory ?? false)) {
      rows.push({
        id: newId('notification'),
        dedupeKey: `${request.dedupeKey}:${channel}`,
        channel,
        kind: request.kind,
        params: request.params,
        userId: request.userId,
        organizerId: request.organizerId,
        orderId: request.orderId,
        recipient: channel === 'email' ? recipient.email : recipient.phone!,
      });
    }
  }
  const inserted = await insertNewNotifications(trx, rows);
  const organizerOf = new Map(rows.map((row) => [row.id, row.organizerId]));
  for (const { id, channel } of inserted) {
    const job: NotificationJob = { notificationId: id, organizerId: organizerOf.get(id) ?? null };
    await enqueueJob(trx, channel === 'email' ? QUEUES.email : QUEUES.sms, job);
  }
  return inserted.length;
}

// ── Sending ──────────────────────────────────────────────────────────────────────────────────────────────

/** Kinds whose parameters hold a secret: cleared once the message is sent. */
const SECRET_KINDS = new Set<string>(['cancellation_code']);

/**
 * Sends one notification (the job of QUEUES.email / QUEUES.sms). Idempotent: a notification already sent
 * is not sent again. A failure is recorded on the notification and thrown, so the job retries with
 * backoff; `finalAttempt` marks it failed (the job then waits in the dead-letter queue).
 */
export async function handleNotification(
  deps: AppDeps,
  job: NotificationJob,
  attempt: { finalAttempt: boolean },
): Promise<'sent' | 'already_sent' | 'gone'> {
  const db = deps.database.db;
  const notification = await findNotification(db, job.notificationId);
  if (!notification) return 'gone';
  if (notification.status === 'sent') return 'already_sent';
  try {
    const recipient = notification.user_id ? await findRecipient(db, notification.user_id) : undefined;
    const language: Language = recipient?.language ?? 'en';
    const composed = await composeMessage(db, notification, recipient);
    if (!composed) {
      // The order (or person) it was about no longer exists: nothing to tell.
      await markNotificationAttemptFailed(
        db,
        notification.id,
        'nothing to send: its subject is gone',
        true,
        deps.clock.now(),
      );
      return 'gone';
    }
    const context = {
      kind: notification.kind,
      organizerId: notification.organizer_id,
      userId: notification.user_id,
      orderId: notification.order_id,
    };
    const rendered = renderMessage(composed.input, language);
    const sent =
      notification.channel === 'email'
        ? await deps.mailer.send({
            from: deps.config.mailFrom,
            to: notification.recipient,
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            attachments: composed.attachments,
            context: { ...context, language },
          })
        : await deps.sms.send({ to: notification.recipient, text: rendered.sms, context });
    await markNotificationSent(
      db,
      notification.id,
      sent.messageId,
      deps.clock.now(),
      SECRET_KINDS.has(notification.kind),
    );
    return 'sent';
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await markNotificationAttemptFailed(db, notification.id, message, attempt.finalAttempt, deps.clock.now());
    throw error;
  }
}

async function orderFactsOf(
  db: Executor,
  orderId: string,
  buyerName: string,
  seatFilter: (line: { id: string; status: string }) => boolean,
): Promise<OrderFacts | null> {
  const row = await findOrderFacts(db, orderId);
  if (!row) return null;
  const lines = await findOrderLineLabels(db, orderId);
  const isEvent = row.inventory_kind === 'event';
  return {
    buyerName,
    orderCode: row.code,
    organizerName: row.organizer_name,
    inventoryKind: row.inventory_kind,
    title: row.title,
    startsAt: row.starts_at,
    timeZone: (isEvent ? row.venue_timezone : row.from_stop_timezone) ?? row.organizer_timezone,
    place: isEvent
      ? [row.venue_name, row.venue_city].filter(Boolean).join(', ')
      : `${row.from_stop_name ?? ''} → ${row.to_stop_name ?? ''}`,
    fromStop: row.from_stop_name,
    toStop: row.to_stop_name,
    currency: row.currency,
    total: row.total,
    seats: lines.filter(seatFilter).map((line) => line.label),
  };
}

const num = (value: unknown, fallback = 0) => (typeof value === 'number' ? value : fallback);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The template input (and inline images) of a notification, from its parameters and the database now. */
async function composeMessage(
  db: Executor,
  notification: NotificationRow,
  recipient: RecipientRow | undefined,
): Promise<{ input: MessageInput; attachments: MailAttachment[] } | null> {
  const params = notification.params;
  const kind = notification.kind as MessageKind;
  const buyerName = recipient?.name ?? '';
  if (kind === 'daily_summary') {
    const summary = params as unknown as Omit<SummaryFacts, 'recipientName'> & { top: { startsAt: string }[] };
    return {
      input: {
        kind,
        summary: {
          ...summary,
          recipientName: buyerName,
          top: summary.top.map((item) => ({ ...item, startsAt: new Date(item.startsAt) })),
        } as SummaryFacts,
      },
      attachments: [],
    };
  }
  if (!notification.order_id) return null;
  const orderId = notification.order_id;
  const active = (line: { status: string }) => line.status === 'active';
  switch (kind) {
    case 'booking_confirmed': {
      const order = await orderFactsOf(db, orderId, buyerName, active);
      if (!order) return null;
      const tickets = (await findTicketDetailsOfOrder(db, orderId)).filter((ticket) => ticket.status === 'valid');
      const attachments: MailAttachment[] = [];
      const ticketFacts = [];
      for (const [i, ticket] of tickets.entries()) {
        const contentId = `qr-${ticket.id}@boxoffice`;
        attachments.push({
          contentId,
          filename: `ticket-${i + 1}-${ticket.id}.png`,
          contentType: 'image/png',
          content: await ticketQrPng(ticket.code),
        });
        ticketFacts.push({
          label: ticket.label,
          category: ticket.category,
          passengerName: ticket.passenger_name,
          code: ticket.code,
          qrContentId: contentId,
        });
      }
      // SMS carries no images; an email with no valid ticket left (all cancelled) would say nothing true.
      if (ticketFacts.length === 0) return null;
      return {
        input: { kind, order, tickets: ticketFacts },
        attachments: notification.channel === 'email' ? attachments : [],
      };
    }
    case 'cancellation_code': {
      const order = await orderFactsOf(db, orderId, buyerName, active);
      const code = str(params.code);
      if (!order || !code) return null;
      return {
        input: { kind, order, code, seatCount: num(params.seatCount, 1), validMinutes: num(params.validMinutes, 10) },
        attachments: [],
      };
    }
    case 'order_cancelled': {
      const lineIds = new Set(Array.isArray(params.lineIds) ? (params.lineIds as string[]) : []);
      const order = await orderFactsOf(db, orderId, buyerName, () => true);
      if (!order) return null;
      const cancelledSeats = (await findOrderLineLabels(db, orderId))
        .filter((line) => lineIds.has(line.id))
        .map((line) => line.label);
      return {
        input: {
          kind,
          order,
          cancelledSeats,
          whole: params.whole === true,
          refund: num(params.refundAmount),
          fee: num(params.fee),
          paid: params.paid === true,
          by: params.by === 'organizer' ? 'organizer' : 'customer',
        },
        attachments: [],
      };
    }
    case 'refund_done': {
      const order = await orderFactsOf(db, orderId, buyerName, () => true);
      if (!order) return null;
      const cause = (['late_payment', 'duplicate', 'cancellation'] as const).includes(params.cause as RefundCause)
        ? (params.cause as RefundCause)
        : 'cancellation';
      return {
        input: { kind, order, amount: num(params.amount), cause, reason: str(params.reason) ?? '' },
        attachments: [],
      };
    }
    case 'reminder': {
      const order = await orderFactsOf(db, orderId, buyerName, active);
      return order ? { input: { kind, order }, attachments: [] } : null;
    }
    case 'trip_delayed': {
      const order = await orderFactsOf(db, orderId, buyerName, active);
      const facts = await findOrderFacts(db, orderId);
      if (!order || !facts) return null;
      const delayMinutes = num(params.delayMinutes);
      const fromStopIndex = num(params.fromStopIndex);
      const affects = facts.from_index >= fromStopIndex ? 'departure' : 'arrival';
      const stop = await findTripStop(
        db,
        facts.inventory_id,
        affects === 'departure' ? facts.from_index : facts.to_index,
      );
      if (!stop) return null;
      const scheduled = affects === 'departure' ? stop.departs_at : stop.arrives_at;
      return {
        input: {
          kind,
          order: { ...order, timeZone: stop.timezone },
          delayMinutes,
          affects,
          stopName: stop.name,
          expectedAt: new Date(scheduled.getTime() + delayMinutes * 60_000),
          reason: str(params.reason),
        },
        attachments: [],
      };
    }
    case 'trip_disrupted': {
      const order = await orderFactsOf(db, orderId, buyerName, active);
      if (!order) return null;
      return {
        input: { kind, order, wholeTrip: params.wholeTrip !== false, reason: str(params.reason) },
        attachments: [],
      };
    }
    default:
      return null;
  }
}
