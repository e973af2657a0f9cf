import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { requireUser } from '../auth/principal.js';
import type { AppDeps } from '../container.js';
import { errorResponses } from '../http/common.schemas.js';
import { registerIdempotency } from '../http/idempotency.js';
import { renderNotFoundPage, renderReturnPage } from './fake-gateway.page.js';
import { fakeGatewayRoutes } from './fake-gateway.routes.js';
import { FakePaymentProvider } from './payment-provider.fake.js';
import { paymentProviderFor, setPaymentLogger } from './payment-providers.js';
import { handleWebhook } from './payment-webhook.service.js';
import {
  IdempotencyHeaders,
  PaymentParams,
  PaymentResponse,
  StartPaymentBody,
  WebhookParams,
  WebhookResponse,
} from './payment.schemas.js';
import { getPaymentOfBuyer, startPayment, stopRefundRunner } from './payment.service.js';

const WEBHOOK_BODY_LIMIT = 512 * 1024;

/**
 * Payments, registered at the root: POST/GET /api/payments, the webhooks POST /api/webhooks/{provider},
 * the return page GET /pay/return/{paymentId}, and — with the fake provider only — its hosted pay page.
 */
export const paymentRoutes: FastifyPluginAsyncTypebox<{ deps: AppDeps }> = async (app, { deps }) => {
  setPaymentLogger(deps, app.log);
  const provider = await paymentProviderFor(deps);

  // Pending refunds are retried by a scheduled job (src/jobs/job-runner.ts), not by every API process.
  app.addHook('onClose', async () => {
    stopRefundRunner(deps);
  });

  const buyerRoutes: FastifyPluginAsyncTypebox = async (api) => {
    await registerIdempotency(api, deps);

    api.post(
      '/api/payments',
      {
        config: { idempotent: true },
        schema: {
          tags: ['payments'],
          summary: 'Start paying an order; returns where to pay',
          description:
            'The caller’s own order, awaiting payment and not expired. A pending payment of the order is ' +
            'returned again (200) instead of opening a second checkout. Send `Idempotency-Key` to retry safely.',
          headers: IdempotencyHeaders,
          body: StartPaymentBody,
          response: { 200: PaymentResponse, 201: PaymentResponse, ...errorResponses(400, 401, 404, 409, 422, 503) },
        },
      },
      async (request, reply) => {
        const principal = requireUser(request);
        const { payment, created } = await startPayment(deps, {
          userId: principal.userId,
          orderId: request.body.orderId,
          baseUrl: publicBaseUrl(deps, request),
          returnPath: request.body.returnPath,
        });
        return reply.code(created ? 201 : 200).send(payment);
      },
    );

    api.get(
      '/api/payments/:paymentId',
      {
        schema: {
          tags: ['payments'],
          summary: 'A payment of one of my orders',
          params: PaymentParams,
          response: { 200: PaymentResponse, ...errorResponses(401, 404) },
        },
      },
      async (request) => getPaymentOfBuyer(deps, requireUser(request).userId, request.params.paymentId),
    );
  };
  await app.register(buyerRoutes);

  // Webhooks need the exact bytes that were signed: in this scope every body is kept as a raw Buffer.
  const webhookRoutes: FastifyPluginAsyncTypebox = async (hooks) => {
    hooks.removeAllContentTypeParsers();
    hooks.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );
    hooks.post(
      '/api/webhooks/:provider',
      {
        schema: {
          tags: ['payments'],
          summary: 'Payment provider webhook (signed)',
          description:
            'Verified against the provider’s signature over the raw body (400 when it does not match), ' +
            'deduplicated by event id, acted on only from the expected state. 503 when the order or payment ' +
            'is locked: the provider retries.',
          params: WebhookParams,
          response: { 200: WebhookResponse, ...errorResponses(400, 404, 503) },
        },
      },
      async (request) => {
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const result = await handleWebhook(deps, request.params.provider, body, request.headers);
        if (result.outcome !== 'duplicate' && result.outcome !== 'ignored') {
          request.log.info({ ...result, provider: request.params.provider }, 'payment webhook handled');
        }
        return { received: true, ...result };
      },
    );
  };
  await app.register(webhookRoutes);

  app.get(
    '/pay/return/:paymentId',
    {
      schema: {
        tags: ['payments'],
        summary: 'Where the buyer returns after paying (HTML)',
        params: PaymentParams,
        querystring: Type.Object({ cancelled: Type.Optional(Type.String({ maxLength: 5 })) }),
      },
    },
    async (request, reply) => {
      const row = await deps.database.db
        .selectFrom('payments')
        .innerJoin('orders', 'orders.id', 'payments.order_id')
        .select([
          'orders.code as orderCode',
          'orders.status as orderStatus',
          'payments.status as paymentStatus',
          'payments.amount',
          'payments.currency',
        ])
        .where('payments.id', '=', request.params.paymentId)
        .executeTakeFirst();
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!row) return reply.code(404).send(renderNotFoundPage());
      return renderReturnPage({ ...row, cancelled: request.query.cancelled !== undefined });
    },
  );

  if (provider instanceof FakePaymentProvider) {
    await app.register(fakeGatewayRoutes, { provider, log: app.log });
  }
};

/** Where buyers reach this server: PUBLIC_URL, else the address this request came to. */
function publicBaseUrl(deps: AppDeps, request: FastifyRequest): string {
  return deps.config.publicUrl ?? `${request.protocol}://${request.host}`;
}
