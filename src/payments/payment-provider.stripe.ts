import type { IncomingHttpHeaders } from 'node:http';
import Stripe from 'stripe';
import { AppError } from '../shared/errors.js';
import {
  headerValue,
  type CheckoutRequest,
  type CheckoutSession,
  type PaymentProvider,
  type ProviderPayment,
  type ProviderRefund,
  type WebhookEvent,
} from './payment-provider.js';

export interface StripeProviderOptions {
  secretKey: string;
  webhookSecret: string;
  /** Another API address (a local stand-in in tests); Stripe's own when undefined. */
  apiBase?: string | undefined;
  /** Seconds a webhook signature stays valid (Stripe's default is 300). */
  toleranceSeconds?: number;
}

/**
 * Stripe through the official SDK, with Checkout Sessions: the provider payment id is the session id
 * (`cs_…`), Boxoffice's payment id travels as `client_reference_id` and in metadata. Webhook signatures
 * are verified with `stripe.webhooks.constructEvent` over the raw body; the service then re-fetches the
 * session before acting on a webhook, so a payload is never trusted alone.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;

  constructor(private readonly options: StripeProviderOptions) {
    const base = options.apiBase ? new URL(options.apiBase) : undefined;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: 2,
      timeout: 15_000,
      telemetry: false,
      ...(base
        ? {
            host: base.hostname,
            port: base.port || (base.protocol === 'https:' ? 443 : 80),
            protocol: base.protocol === 'https:' ? 'https' : 'http',
          }
        : {}),
    });
  }

  async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    const returnUrl = request.returnUrl;
    const metadata = { payment_id: request.paymentId, order_id: request.orderId, order_code: request.orderCode };
    const session = await this.call(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: request.paymentId,
          metadata,
          payment_intent_data: { metadata },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: request.currency.toLowerCase(),
                unit_amount: request.amount,
                product_data: { name: request.description.slice(0, 200) || request.orderCode },
              },
            },
          ],
          success_url: returnUrl,
          cancel_url: `${returnUrl}?cancelled=1`,
        },
        // The same payment never opens two sessions, even when this call is retried.
        { idempotencyKey: `checkout:${request.paymentId}` },
      ),
    );
    if (!session.url) throw new AppError('payment.provider_rejected', 'Stripe returned a session without a URL');
    return { providerPaymentId: session.id, checkoutUrl: session.url };
  }

  async retrievePayment(providerPaymentId: string): Promise<ProviderPayment> {
    const session = await this.call(() => this.stripe.checkout.sessions.retrieve(providerPaymentId));
    return {
      status: session.payment_status === 'paid' ? 'succeeded' : session.status === 'expired' ? 'failed' : 'pending',
      amount: session.amount_total ?? 0,
      currency: (session.currency ?? '').toUpperCase(),
    };
  }

  async refund(providerPaymentId: string, amount: number, idempotencyKey: string): Promise<ProviderRefund> {
    const session = await this.call(() => this.stripe.checkout.sessions.retrieve(providerPaymentId));
    const paymentIntent =
      typeof session.payment_intent === 'string' ? session.payment_intent : session.payment_intent?.id;
    if (!paymentIntent) {
      throw new AppError('payment.provider_rejected', `Stripe session ${providerPaymentId} has no payment to refund`);
    }
    const refund = await this.call(() =>
      this.stripe.refunds.create(
        { payment_intent: paymentIntent, amount, metadata: { idempotency_key: idempotencyKey } },
        { idempotencyKey: `refund:${idempotencyKey}` },
      ),
    );
    const status =
      refund.status === 'succeeded'
        ? 'succeeded'
        : refund.status === 'failed' || refund.status === 'canceled'
          ? 'failed'
          : 'pending';
    return { providerRefundId: refund.id, status };
  }

  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): WebhookEvent {
    const signature = headerValue(headers, 'stripe-signature');
    if (!signature) {
      throw new AppError('payment.webhook_signature_invalid', 'The Stripe-Signature header is missing');
    }
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.options.webhookSecret,
        this.options.toleranceSeconds ?? 300,
      );
    } catch (error) {
      if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
        throw new AppError('payment.webhook_signature_invalid', 'The Stripe webhook signature is not valid');
      }
      throw new AppError('payment.webhook_invalid', 'The Stripe webhook body could not be read');
    }
    const base = { id: event.id, providerType: event.type };
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded':
      case 'checkout.session.async_payment_failed':
      case 'checkout.session.expired': {
        const session = event.data.object;
        const reference = session.client_reference_id ?? session.metadata?.payment_id ?? null;
        // A completed session with a delayed method (bank debit) is not paid yet: its async event follows.
        const type =
          event.type === 'checkout.session.async_payment_succeeded' ||
          (event.type === 'checkout.session.completed' && session.payment_status === 'paid')
            ? 'payment.succeeded'
            : event.type === 'checkout.session.completed'
              ? 'other'
              : 'payment.failed';
        return { ...base, type, providerPaymentId: session.id, paymentReference: reference };
      }
      default:
        return { ...base, type: 'other', providerPaymentId: null, paymentReference: null };
    }
  }

  /** Maps SDK errors to the port's: unreachable or 5xx → retryable 503, anything else → rejected. */
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof Stripe.errors.StripeError) {
        const retryable =
          error instanceof Stripe.errors.StripeConnectionError ||
          error instanceof Stripe.errors.StripeAPIError ||
          error instanceof Stripe.errors.StripeRateLimitError ||
          (error.statusCode ?? 0) >= 500;
        if (retryable) {
          throw new AppError('payment.provider_unavailable', 'Stripe cannot be reached right now; retry shortly');
        }
        throw new AppError('payment.provider_rejected', `Stripe refused the request: ${error.message}`, {
          type: error.type,
          code: error.code,
        });
      }
      throw new AppError('payment.provider_unavailable', 'Stripe cannot be reached right now; retry shortly');
    }
  }
}
