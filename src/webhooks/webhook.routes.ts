import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStaff } from '../auth/principal.js';
import { IdParams } from '../catalog/catalog.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import {
  CreateWebhookBody,
  DeliveryResponse,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  UpdateWebhookBody,
  WebhookResponse,
  WebhookWithSecretResponse,
} from './webhook.schemas.js';
import { WebhookService } from './webhook.service.js';

const tags = ['admin: webhooks'];
const security = [{ bearerAuth: [] }];

const signatureHelp =
  'Each POST carries `Boxoffice-Signature: t=<unix seconds>,v1=<hex>`, where v1 is HMAC-SHA256 of ' +
  '`"<t>.<raw body>"` with the endpoint secret; also `Boxoffice-Event`, `Boxoffice-Event-Id` (the same for ' +
  'every retry: deduplicate on it) and `Boxoffice-Delivery`. Any 2xx answer counts as received; anything ' +
  'else is retried with exponential backoff, then the delivery is `failed` and can be retried from ' +
  '/api/admin/jobs/dead-letters.';

/** /api/admin/webhooks: organizer webhook endpoints and their delivery log (staff of the organizer, admins). */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const webhooks = new WebhookService(deps);

  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Register a webhook endpoint for some events; answers its signing secret once',
        description: `${signatureHelp} The URL must be https:// to a public address (400 \`webhook.url_invalid\`).`,
        body: CreateWebhookBody,
        response: { 201: WebhookWithSecretResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.status(201).send(await webhooks.create(requireStaff(request), request.body)),
  );

  app.get(
    '/webhooks',
    {
      schema: {
        tags,
        security,
        summary: 'Webhook endpoints (staff: their organizer’s); secrets are never shown again',
        querystring: ListWebhooksQuery,
        response: { 200: Type.Array(WebhookResponse), ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { organizerId, limit = 100, offset = 0 } = request.query;
      return webhooks.list(requireStaff(request), {
        ...(organizerId !== undefined ? { organizerId } : {}),
        limit,
        offset,
      });
    },
  );

  app.get(
    '/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'One webhook endpoint',
        params: IdParams,
        response: { 200: WebhookResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => webhooks.get(requireStaff(request), request.params.id),
  );

  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change the URL, events or description; `active: false` pauses deliveries',
        params: IdParams,
        body: UpdateWebhookBody,
        response: { 200: WebhookResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => webhooks.update(requireStaff(request), request.params.id, request.body),
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        security,
        summary: 'Replace the signing secret (the old one stops working at once); answers the new one once',
        params: IdParams,
        response: { 200: WebhookWithSecretResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => webhooks.rotateSecret(requireStaff(request), request.params.id),
  );

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a webhook endpoint and its delivery log',
        params: IdParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await webhooks.remove(requireStaff(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        security,
        summary: 'The delivery log of an endpoint, newest first: payload, attempts, last answer',
        params: IdParams,
        querystring: ListDeliveriesQuery,
        response: { 200: Type.Array(DeliveryResponse), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { status, limit = 50, offset = 0 } = request.query;
      return webhooks.deliveries(requireStaff(request), request.params.id, {
        ...(status !== undefined ? { status } : {}),
        limit,
        offset,
      });
    },
  );
};
