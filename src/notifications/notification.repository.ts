import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, NotificationChannel, NotificationsTable } from '../db/schema.js';

/** SQL of notifications: the message records, and the facts their templates need. */
type Executor = Db | Transaction<Database>;

export type NotificationRow = Selectable<NotificationsTable>;

export interface NewNotification {
  id: string;
  dedupeKey: string;
  channel: NotificationChannel;
  kind: string;
  params: Record<string, unknown>;
  userId: string | null;
  organizerId: string | null;
  orderId: string | null;
  recipient: string;
}

/** Inserts the notifications not recorded before (by dedupe key); returns the ones inserted now. */
export async function insertNewNotifications(
  trx: Executor,
  notifications: readonly NewNotification[],
): Promise<{ id: string; channel: NotificationChannel }[]> {
  if (notifications.length === 0) return [];
  return trx
    .insertInto('notifications')
    .values(
      notifications.map((n) => ({
        id: n.id,
        dedupe_key: n.dedupeKey,
        channel: n.channel,
        kind: n.kind,
        params: JSON.stringify(n.params),
        user_id: n.userId,
        organizer_id: n.organizerId,
        order_id: n.orderId,
        recipient: n.recipient,
      })),
    )
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning(['id', 'channel'])
    .execute();
}

export function findNotification(db: Executor, id: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('notifications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markNotificationSent(
  db: Executor,
  id: string,
  providerMessageId: string,
  now: Date,
  scrubParams: boolean,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({
      status: 'sent',
      attempts: sql`attempts + 1`,
      provider_message_id: providerMessageId,
      last_error: null,
      sent_at: now,
      updated_at: now,
      ...(scrubParams ? { params: '{}' } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function markNotificationAttemptFailed(
  db: Executor,
  id: string,
  error: string,
  final: boolean,
  now: Date,
): Promise<void> {
  await db
    .updateTable('notifications')
    .set({
      attempts: sql`attempts + 1`,
      last_error: error.slice(0, 1000),
      updated_at: now,
      ...(final ? { status: 'failed' as const } : {}),
    })
    .where('id', '=', id)
    .where('status', '!=', 'sent')
    .execute();
}

/** A buyer (or staff member) as a recipient: where and how they want to hear from us. */
export interface RecipientRow {
  id: string;
  email: string;
  name: string;
  phone: string | null;
  language: 'en' | 'bn';
  notify_email: boolean;
  notify_sms: boolean;
}

export function findRecipient(db: Executor, userId: string): Promise<RecipientRow | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'phone', 'language', 'notify_email', 'notify_sms'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** Everything an order message says about its order. */
export interface OrderFactsRow {
  id: string;
  code: string;
  user_id: string;
  organizer_id: string;
  organizer_name: string;
  organizer_timezone: string;
  inventory_kind: 'event' | 'trip';
  inventory_id: string;
  status: string;
  payment_status: string;
  from_index: number;
  to_index: number;
  currency: string;
  total: number;
  confirmed_at: Date | null;
  title: string;
  starts_at: Date;
  venue_name: string | null;
  venue_city: string | null;
  venue_timezone: string | null;
  from_stop_name: string | null;
  from_stop_timezone: string | null;
  to_stop_name: string | null;
  arrives_at: Date | null;
}

export async function findOrderFacts(db: Executor, orderId: string): Promise<OrderFactsRow | undefined> {
  const { rows } = await sql<OrderFactsRow>`
    SELECT o.id, o.code, o.user_id, o.organizer_id, org.name AS organizer_name, org.timezone AS organizer_timezone,
           o.inventory_kind, o.inventory_id, o.status, o.payment_status, o.from_index, o.to_index, o.currency,
           o.total, o.confirmed_at,
           coalesce(e.title, r.name, '') AS title,
           coalesce(e.starts_at, bs.departs_at, o.created_at) AS starts_at,
           v.name AS venue_name, v.city AS venue_city, v.timezone AS venue_timezone,
           fs.name AS from_stop_name, fs.timezone AS from_stop_timezone,
           ts.name AS to_stop_name, als.arrives_at
      FROM orders o
      JOIN organizers org ON org.id = o.organizer_id
      LEFT JOIN events e ON o.inventory_kind = 'event' AND e.id = o.inventory_id
      LEFT JOIN venues v ON v.id = e.venue_id
      LEFT JOIN trips tr ON o.inventory_kind = 'trip' AND tr.id = o.inventory_id
      LEFT JOIN routes r ON r.id = tr.route_id
      LEFT JOIN trip_stops bs ON bs.trip_id = tr.id AND bs.stop_index = o.from_index
      LEFT JOIN stops fs ON fs.id = bs.stop_id
      LEFT JOIN trip_stops als ON als.trip_id = tr.id AND als.stop_index = o.to_index
      LEFT JOIN stops ts ON ts.id = als.stop_id
     WHERE o.id = ${orderId}`.execute(db);
  return rows[0];
}

export function findOrderLineLabels(db: Executor, orderId: string) {
  return db
    .selectFrom('order_lines')
    .select(['id', 'label', 'status'])
    .where('order_id', '=', orderId)
    .orderBy('label')
    .orderBy('id')
    .execute();
}

/** A trip stop's name and times, for delay messages. */
export function findTripStop(db: Executor, tripId: string, stopIndex: number) {
  return db
    .selectFrom('trip_stops')
    .innerJoin('stops', 'stops.id', 'trip_stops.stop_id')
    .select(['stops.name', 'stops.timezone', 'trip_stops.arrives_at', 'trip_stops.departs_at'])
    .where('trip_stops.trip_id', '=', tripId)
    .where('trip_stops.stop_index', '=', stopIndex)
    .executeTakeFirst();
}

/** Confirmed orders of a trip whose segment [from, to) meets the given condition, with their buyers. */
export function findTripPassengerOrders(db: Executor, tripId: string) {
  return db
    .selectFrom('orders')
    .select(['id', 'user_id', 'from_index', 'to_index'])
    .where('inventory_kind', '=', 'trip')
    .where('inventory_id', '=', tripId)
    .where('status', '=', 'confirmed')
    .orderBy('id')
    .execute();
}
