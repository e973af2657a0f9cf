import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errorResponses } from '../http/common.schemas.js';
import { AppError } from '../shared/errors.js';
import { renderChargePage, renderNotFoundPage } from './fake-gateway.page.js';
import { FAKE_SIGNATURE_HEADER, type FakePaymentProvider } from './payment-provider.fake.js';
import type { PaymentLogger } from './payment-providers.js';
import { ChargeParams, GatewayActionBody, GatewayActionResponse } from './payment.schemas.js';

/** Redelivery after a webhook answered other than 2xx (503 while a lock was held, a crash): seconds. */
const REDELIVERY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000, 30_000, 60_000, 120_000];

/**
 * The fake gateway's hosted pages, registered only when PAYMENT_PROVIDER is fake (never next to Stripe:
 * they would let anyone "pay"). GET /pay/{chargeId} shows the amount and Pay / Decline / Fail; the form
 * POSTs back here, the gateway settles the charge and calls Boxoffice's webhook POST /api/webhooks/fake
 * with a signed event — through the full HTTP stack (raw body, signature check) via inject, as any other
 * caller would — then sends the buyer to the return page. A delivery that is not answered 2xx is retried
 * in the background, like a real provider does.
 */
export const fakeGatewayRoutes: FastifyPluginAsyncTypebox<{
  provider: FakePaymentProvider;
  log: PaymentLogger;
}> = async (app, { provider, log }) => {
  // The pay page's form posts application/x-www-form-urlencoded; tests and scripts may post JSON.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 4096 },
    (_r, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    },
  );
  const redelivery = new Set<NodeJS.Timeout>();
  let closing = false;
  app.addHook('onClose', async () => {
    closing = true;
    for (const timer of redelivery) clearTimeout(timer);
  });

  const deliver = async (body: string, signature: string): Promise<number | null> => {
    try {
      const response = await (app as unknown as FastifyInstance).inject({
        method: 'POST',
        url: '/api/webhooks/fake',
        headers: { 'content-type': 'application/json', [FAKE_SIGNATURE_HEADER]: signature },
        payload: body,
      });
      return response.statusCode;
    } catch {
      return null;
    }
  };

  const redeliver = (body: string, attempt: number) => {
    const delay = REDELIVERY_DELAYS_MS[attempt];
    if (delay === undefined || closing) {
      if (!closing) log.error({ body }, 'fake gateway gave up delivering a webhook');
      return;
    }
    const timer = setTimeout(() => {
      redelivery.delete(timer);
      if (closing) return;
      // Signed again at each attempt, as a real provider does (the signature carries the time).
      void deliver(body, provider.sign(body)).then((status) => {
        if (status === null || status < 200 || status >= 300) redeliver(body, attempt + 1);
      });
    }, delay);
    timer.unref();
    redelivery.add(timer);
  };

  app.get(
    '/pay/:chargeId',
    { schema: { params: ChargeParams, tags: ['payments'], summary: 'Fake gateway: the hosted pay page (HTML)' } },
    async (request, reply) => {
      const charge = await provider.findCharge(request.params.chargeId);
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
      if (!charge) return reply.code(404).send(renderNotFoundPage());
      return renderChargePage({
        chargeId: charge.id,
        description: charge.description,
        amount: charge.amount,
        currency: charge.currency,
        status: charge.status,
        failureReason: charge.failure_reason,
        returnUrl: charge.return_url,
      });
    },
  );

  app.post(
    '/pay/:chargeId',
    {
      schema: {
        params: ChargeParams,
        body: GatewayActionBody,
        tags: ['payments'],
        summary: 'Fake gateway: press Pay, Decline or Fail',
        description:
          'Settles the charge and calls the webhook with a signed event. Answers 303 to the return page, ' +
          'or JSON when the request accepts application/json.',
        response: { 200: GatewayActionResponse, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const settled = await provider.settleCharge(request.params.chargeId, request.body.action);
      if (!settled) {
        throw new AppError('resource.not_found', `Charge ${request.params.chargeId} was not found`, {
          id: request.params.chargeId,
        });
      }
      let webhookStatus: number | null = null;
      if (settled.delivery) {
        webhookStatus = await deliver(settled.delivery.body, settled.delivery.signature);
        if (webhookStatus === null || webhookStatus < 200 || webhookStatus >= 300) {
          redeliver(settled.delivery.body, 0);
        }
      }
      const delivered = webhookStatus !== null && webhookStatus >= 200 && webhookStatus < 300;
      if ((request.headers.accept ?? '').includes('application/json')) {
        return {
          chargeId: settled.charge.id,
          status: settled.charge.status,
          delivered,
          webhookStatus,
          returnUrl: settled.charge.return_url,
        };
      }
      return reply.redirect(settled.charge.return_url ?? `/pay/${encodeURIComponent(settled.charge.id)}`, 303);
    },
  );
};
