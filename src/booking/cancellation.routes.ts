import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireUser } from '../auth/principal.js';
import { IdParams } from '../catalog/catalog.schemas.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { registerIdempotency } from '../http/idempotency.js';
import {
  CancelOrderBody,
  CancellationCodeBody,
  CancellationCodeResponse,
  CancellationQuoteQuery,
  CancellationQuoteResponse,
  CancellationResponse,
} from './cancellation.schemas.js';
import { CancellationService } from './cancellation.service.js';

const tags = ['cancellations'];

/** Both POSTs may come without a body ("everything"): it is read as `{}`. */
async function emptyBodyAsObject(request: { body: unknown }): Promise<void> {
  request.body ??= {};
}
const security = [{ bearerAuth: [] }];

/** /api/bookings/{id}/cancellation-quote, …/cancellation-code and …/cancel: a buyer cancels seats of their order. */
export const cancellationRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  const cancellations = new CancellationService(deps);
  await registerIdempotency(app, deps);

  app.get(
    '/bookings/:id/cancellation-quote',
    {
      schema: {
        tags,
        security,
        summary: 'What cancelling all or some seats of my order would refund',
        description:
          'Per line: the fee kept under the refund policy and the refund. `cancellable: false` with a reason when ' +
          'the cancellation would be refused now (checked in, too late, part of an unpaid order).',
        params: IdParams,
        querystring: CancellationQuoteQuery,
        response: { 200: CancellationQuoteResponse, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const lineIds = request.query.lineIds?.split(',');
      return cancellations.quoteCancellation(requireUser(request), request.params.id, lineIds);
    },
  );

  app.post(
    '/bookings/:id/cancellation-code',
    {
      config: { idempotent: true },
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        security,
        summary: 'Send me a one-time code to confirm cancelling seats of my paid order',
        description:
          'A 6-digit code valid 10 minutes, 5 tries, for exactly these lines (absent: all active lines). A new code ' +
          'replaces the previous one. At most 5 codes per order per hour (429).',
        params: IdParams,
        body: CancellationCodeBody,
        response: { 201: CancellationCodeResponse, ...errorResponses(400, 401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      const issued = await cancellations.issueCode(requireUser(request), request.params.id, request.body.lineIds);
      return reply.status(201).send({
        orderId: issued.orderId,
        lineIds: issued.lineIds,
        expiresAt: issued.expiresAt.toISOString(),
        delivery: 'email',
      });
    },
  );

  app.post(
    '/bookings/:id/cancel',
    {
      config: { idempotent: true },
      preValidation: emptyBodyAsObject,
      schema: {
        tags,
        security,
        summary: 'Cancel seats of my order; the refund follows the refund policy',
        description:
          'A paid order needs the code from …/cancellation-code (`lineIds` absent: the lines the code was issued ' +
          'for). An unpaid order is cancelled whole without a code and gives its coupon use back. Seats go back ' +
          'on sale at once. 409 `cancellation.checked_in`, `cancellation.already_cancelled`, ' +
          '`cancellation.not_allowed` (too late); 422 `cancellation.code_invalid` / `cancellation.code_expired`. ' +
          'Send an `Idempotency-Key` to retry safely: the same key replays the first answer.',
        params: IdParams,
        body: CancelOrderBody,
        response: { 200: CancellationResponse, ...errorResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request) =>
      cancellations.cancelOrder(requireUser(request), request.params.id, {
        ...(request.body.code !== undefined ? { code: request.body.code } : {}),
        ...(request.body.lineIds !== undefined ? { lineIds: request.body.lineIds } : {}),
      }),
  );
};
