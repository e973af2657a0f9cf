import { randomBytes } from 'node:crypto';
import { canManageOrganizer, scopeOrganizerFilter, type Principal } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { notFound } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { assertWebhookUrlAllowed } from './webhook-url.js';
import {
  deleteEndpoint,
  findEndpoint,
  insertEndpoint,
  listDeliveries,
  listEndpoints,
  updateEndpoint,
  type WebhookDeliveryRow,
  type WebhookEndpointRow,
} from './webhook.repository.js';
import type { CreateWebhookBody, DeliveryResponse, UpdateWebhookBody, WebhookResponse } from './webhook.schemas.js';

export function presentEndpoint(row: WebhookEndpointRow): WebhookResponse {
  return {
    id: row.id,
    organizerId: row.organizer_id,
    url: row.url,
    description: row.description,
    events: row.events,
    active: row.active,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function presentDelivery(row: WebhookDeliveryRow): DeliveryResponse {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    payload: row.payload,
    createdAt: row.created_at.toISOString(),
    deliveredAt: row.delivered_at?.toISOString() ?? null,
  };
}

function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url')}`;
}

/**
 * Organizer webhook endpoints: staff of the organizer (or an admin) register a URL and the events it
 * wants; the signing secret is shown once, at creation or rotation. Another organizer's endpoint is 404.
 */
export class WebhookService {
  constructor(private readonly deps: AppDeps) {}

  private get db() {
    return this.deps.database.db;
  }

  private async owned(principal: Principal, id: string): Promise<WebhookEndpointRow> {
    const endpoint = await findEndpoint(this.db, id);
    if (!endpoint || !canManageOrganizer(principal, endpoint.organizer_id)) throw notFound('Webhook', id);
    return endpoint;
  }

  async create(principal: Principal, input: CreateWebhookBody): Promise<WebhookResponse & { secret: string }> {
    if (!canManageOrganizer(principal, input.organizerId)) throw notFound('Organizer', input.organizerId);
    const organizer = await this.db
      .selectFrom('organizers')
      .select('id')
      .where('id', '=', input.organizerId)
      .executeTakeFirst();
    if (!organizer) throw notFound('Organizer', input.organizerId);
    await assertWebhookUrlAllowed(input.url, this.deps.config.webhookAllowPrivateNetworks);
    const secret = newSecret();
    const row = await insertEndpoint(this.db, {
      id: newId('webhookEndpoint'),
      organizer_id: input.organizerId,
      url: input.url,
      description: input.description ?? '',
      events: [...input.events],
      secret,
    });
    return { ...presentEndpoint(row), secret };
  }

  async list(
    principal: Principal,
    filter: { organizerId?: string; limit: number; offset: number },
  ): Promise<WebhookResponse[]> {
    const scope = scopeOrganizerFilter(principal, filter.organizerId);
    if (!scope) return [];
    const rows = await listEndpoints(this.db, {
      organizerId: scope.organizerId,
      limit: filter.limit,
      offset: filter.offset,
    });
    return rows.map(presentEndpoint);
  }

  async get(principal: Principal, id: string): Promise<WebhookResponse> {
    return presentEndpoint(await this.owned(principal, id));
  }

  async update(principal: Principal, id: string, input: UpdateWebhookBody): Promise<WebhookResponse> {
    await this.owned(principal, id);
    if (input.url !== undefined) await assertWebhookUrlAllowed(input.url, this.deps.config.webhookAllowPrivateNetworks);
    const row = await updateEndpoint(
      this.db,
      id,
      {
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.events !== undefined ? { events: [...input.events] } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.active !== undefined ? { active: input.active } : {}),
      },
      this.deps.clock.now(),
    );
    if (!row) throw notFound('Webhook', id);
    return presentEndpoint(row);
  }

  /** A new signing secret; the old one stops working at once. */
  async rotateSecret(principal: Principal, id: string): Promise<WebhookResponse & { secret: string }> {
    await this.owned(principal, id);
    const secret = newSecret();
    const row = await updateEndpoint(this.db, id, { secret }, this.deps.clock.now());
    if (!row) throw notFound('Webhook', id);
    return { ...presentEndpoint(row), secret };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    await this.owned(principal, id);
    await deleteEndpoint(this.db, id);
  }

  async deliveries(
    principal: Principal,
    id: string,
    filter: { status?: 'pending' | 'delivered' | 'failed'; limit: number; offset: number },
  ): Promise<DeliveryResponse[]> {
    await this.owned(principal, id);
    const rows = await listDeliveries(this.db, {
      endpointId: id,
      status: filter.status,
      limit: filter.limit,
      offset: filter.offset,
    });
    return rows.map(presentDelivery);
  }
}
