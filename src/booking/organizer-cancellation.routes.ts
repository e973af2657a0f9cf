import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireStaff } from '../auth/principal.js';
import { IdParams } from '../catalog/catalog.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { registerIdempotency } from '../http/idempotency.js';
import { InventoryCancellationResponse } from './cancellation.schemas.js';
import { CancellationService } from './cancellation.service.js';

const tags = ['admin: cancellations'];
const security = [{ bearerAuth: [] }];
const description =
  'Status becomes cancelled (no more sales); every open order is cancelled — paid ones refunded in full ' +
  'whatever the refund policy, checked-in tickets included — and its seats released. Safe to repeat: ' +
  'orders listed under `failures` are retried by calling it again.';

/** /api/admin/events/{id}/cancel and /api/admin/trips/{id}/cancel (staff of the organizer, or an admin). */
export const organizerCancellationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const cancellations = new CancellationService(deps);
  await registerIdempotency(app, deps);

  app.post(
    '/events/:id/cancel',
    {
      config: { idempotent: true },
      schema: {
        tags,
        security,
        summary: 'Cancel a whole event and refund every order in full',
        description,
        params: IdParams,
        response: { 200: InventoryCancellationResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => cancellations.cancelInventory(requireStaff(request), 'event', request.params.id),
  );

  app.post(
    '/trips/:id/cancel',
    {
      config: { idempotent: true },
      schema: {
        tags,
        security,
        summary: 'Cancel a whole trip and refund every order in full',
        description,
        params: IdParams,
        response: { 200: InventoryCancellationResponse, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => cancellations.cancelInventory(requireStaff(request), 'trip', request.params.id),
  );
};
