import { createHmac } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { AppDeps } from '../container.js';
import type { Db } from '../db/client.js';
import type { Database } from '../db/schema.js';
import { enqueueJob, QUEUES } from '../jobs/job-queue.js';
import { newId } from '../shared/ids.js';
import { assertWebhookUrlAllowed } from './webhook-url.js';
import {
  findDelivery,
  findEndpoint,
  findSubscribedEndpoints,
  insertNewDeliveries,
  recordDeliveryAttempt,
} from './webhook.repository.js';

type Executor = Db | Transaction<Database>;

/** The body of every webhook POST. */
export interface WebhookPayload {
  id: string;
  type: string;
  createdAt: string;
  organizerId: string;
  data: Record<string, unknown>;
}

/** The job of one delivery. */
export interface WebhookDeliveryJob {
  deliveryId: string;
  organizerId: string;
}

/** How long an organizer's endpoint may take to answer. */
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * `Boxoffice-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the endpoint's secret>`.
 * The receiver recomputes it over the raw body, compares in constant time and rejects old timestamps
 * (replays); the same scheme as the fake payment gateway's and Stripe's.
 */
export function signWebhook(secret: string, body: string, timestamp: number): string {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

/**
 * Records one delivery per active endpoint of the organizer subscribed to this event, and enqueues their
 * jobs, through `trx`. Safe to repeat for the same event: an endpoint already given it gets nothing new.
 */
export async function createWebhookDeliveries(trx: Executor, payload: WebhookPayload): Promise<number> {
  const endpoints = await findSubscribedEndpoints(trx, payload.organizerId, payload.type);
  const inserted = await insertNewDeliveries(
    trx,
    endpoints.map((endpoint) => ({
      id: newId('webhookDelivery'),
      endpoint_id: endpoint.id,
      organizer_id: payload.organizerId,
      event_id: payload.id,
      event_type: payload.type,
    })),
    payload,
  );
  for (const delivery of inserted) {
    const job: WebhookDeliveryJob = { deliveryId: delivery.id, organizerId: payload.organizerId };
    await enqueueJob(trx, QUEUES.webhook, job);
  }
  return inserted.length;
}

/**
 * Delivers one webhook (the job of QUEUES.webhook): a signed POST; any 2xx counts as received. Anything
 * else is recorded on the delivery and thrown, so the job retries with exponential backoff; after the last
 * retry the delivery is `failed` and its job waits in the dead-letter queue, from which staff can retry it.
 * Idempotent: a delivered delivery is not sent again. Redirects are not followed.
 */
export async function handleWebhookDelivery(
  deps: AppDeps,
  job: WebhookDeliveryJob,
  attempt: { finalAttempt: boolean },
): Promise<'delivered' | 'already_delivered' | 'dropped'> {
  const db = deps.database.db;
  const delivery = await findDelivery(db, job.deliveryId);
  if (!delivery) return 'dropped';
  if (delivery.status === 'delivered') return 'already_delivered';
  const endpoint = await findEndpoint(db, delivery.endpoint_id);
  if (!endpoint || !endpoint.active) {
    await recordDeliveryAttempt(
      db,
      delivery.id,
      { status: 'failed', statusCode: null, error: 'The endpoint was disabled or deleted' },
      deps.clock.now(),
    );
    return 'dropped';
  }
  const body = JSON.stringify(delivery.payload);
  const fail = async (statusCode: number | null, error: string): Promise<never> => {
    await recordDeliveryAttempt(
      db,
      delivery.id,
      { status: attempt.finalAttempt ? 'failed' : 'pending', statusCode, error },
      deps.clock.now(),
    );
    throw new Error(`webhook ${delivery.id} to ${endpoint.url}: ${error}`);
  };
  try {
    await assertWebhookUrlAllowed(endpoint.url, deps.config.webhookAllowPrivateNetworks);
  } catch (error) {
    return fail(null, error instanceof Error ? error.message : String(error));
  }
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Boxoffice-Webhooks/1',
        'boxoffice-event': delivery.event_type,
        'boxoffice-event-id': delivery.event_id,
        'boxoffice-delivery': delivery.id,
        'boxoffice-signature': signWebhook(endpoint.secret, body, Math.floor(deps.clock.now().getTime() / 1000)),
      },
      body,
    });
    // Only the status matters; the body is read (bounded) so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
  } catch (error) {
    const reason =
      error instanceof Error ? (error.name === 'TimeoutError' ? 'timed out' : error.message) : String(error);
    return fail(null, reason);
  }
  if (response.status < 200 || response.status >= 300) return fail(response.status, `answered HTTP ${response.status}`);
  await recordDeliveryAttempt(
    db,
    delivery.id,
    { status: 'delivered', statusCode: response.status, error: null },
    deps.clock.now(),
  );
  return 'delivered';
}
