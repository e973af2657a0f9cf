import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database, WebhookDeliveriesTable, WebhookDeliveryStatus, WebhookEndpointsTable } from '../db/schema.js';

/** SQL of organizer webhook endpoints and their delivery log. */
type Executor = Db | Transaction<Database>;

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

export async function insertEndpoint(
  db: Executor,
  endpoint: Pick<WebhookEndpointRow, 'id' | 'organizer_id' | 'url' | 'description' | 'events' | 'secret'>,
): Promise<WebhookEndpointRow> {
  return db.insertInto('webhook_endpoints').values(endpoint).returningAll().executeTakeFirstOrThrow();
}

export function findEndpoint(db: Executor, id: string): Promise<WebhookEndpointRow | undefined> {
  return db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listEndpoints(
  db: Executor,
  filter: { organizerId: string | undefined; limit: number; offset: number },
): Promise<WebhookEndpointRow[]> {
  let query = db.selectFrom('webhook_endpoints').selectAll();
  if (filter.organizerId !== undefined) query = query.where('organizer_id', '=', filter.organizerId);
  return query.orderBy('created_at').orderBy('id').limit(filter.limit).offset(filter.offset).execute();
}

export async function updateEndpoint(
  db: Executor,
  id: string,
  changes: Partial<Pick<WebhookEndpointRow, 'url' | 'description' | 'events' | 'active' | 'secret'>>,
  now: Date,
): Promise<WebhookEndpointRow | undefined> {
  return db
    .updateTable('webhook_endpoints')
    .set({ ...changes, updated_at: now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteEndpoint(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
}

/** Active endpoints of an organizer subscribed to an event type. */
export function findSubscribedEndpoints(db: Executor, organizerId: string, eventType: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(['id'])
    .where('organizer_id', '=', organizerId)
    .where('active', '=', true)
    .where(sql<boolean>`${eventType} = ANY(events)`)
    .orderBy('id')
    .execute();
}

/** Records deliveries not recorded before (one per endpoint and event); returns those inserted now. */
export async function insertNewDeliveries(
  trx: Executor,
  deliveries: readonly Pick<WebhookDeliveryRow, 'id' | 'endpoint_id' | 'organizer_id' | 'event_id' | 'event_type'>[],
  payload: unknown,
): Promise<{ id: string }[]> {
  if (deliveries.length === 0) return [];
  return trx
    .insertInto('webhook_deliveries')
    .values(deliveries.map((delivery) => ({ ...delivery, payload: JSON.stringify(payload) })))
    .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
    .returning(['id'])
    .execute();
}

export function findDelivery(db: Executor, id: string): Promise<WebhookDeliveryRow | undefined> {
  return db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listDeliveries(
  db: Executor,
  filter: { endpointId: string; status: WebhookDeliveryStatus | undefined; limit: number; offset: number },
): Promise<WebhookDeliveryRow[]> {
  let query = db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', filter.endpointId);
  if (filter.status) query = query.where('status', '=', filter.status);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).offset(filter.offset).execute();
}

export async function recordDeliveryAttempt(
  db: Executor,
  id: string,
  outcome: { status: WebhookDeliveryStatus; statusCode: number | null; error: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: outcome.status,
      attempts: sql`attempts + 1`,
      last_status_code: outcome.statusCode,
      last_error: outcome.error?.slice(0, 1000) ?? null,
      updated_at: now,
      ...(outcome.status === 'delivered' ? { delivered_at: now } : {}),
    })
    .where('id', '=', id)
    .where('status', '!=', 'delivered')
    .execute();
}

/** A dead-lettered delivery being retried is pending again. */
export async function reopenDelivery(db: Executor, id: string, now: Date): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'failed')
    .execute();
}
