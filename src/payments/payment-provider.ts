import type { IncomingHttpHeaders } from 'node:http';

/**
 * The payment-provider port. Adapters: the built-in fake gateway (payment-provider.fake.ts, the default)
 * and Stripe (payment-provider.stripe.ts). Domain code never talks to a provider any other way.
 *
 * Rules every adapter keeps:
 * - Amounts are integers in minor units; currencies are ISO 4217 codes in upper case.
 * - A provider that cannot be reached, or answers 5xx, throws AppError `payment.provider_unavailable`
 *   (the caller may retry); one that refuses the request throws `payment.provider_rejected`.
 * - refund() is idempotent by its key: the same key never refunds twice.
 * - parseWebhook() verifies the signature over the raw body before it reads anything, and throws
 *   `payment.webhook_signature_invalid` when it does not match (or is too old).
 */
export type ProviderName = 'fake' | 'stripe';

export interface CheckoutRequest {
  /** Boxoffice's payment id; the provider keeps it as a reference and echoes it in webhooks. */
  readonly paymentId: string;
  readonly orderId: string;
  /** The booking reference shown to the buyer. */
  readonly orderCode: string;
  readonly amount: number;
  readonly currency: string;
  readonly description: string;
  /** Where buyers of this server are sent back to (no trailing slash). */
  readonly baseUrl: string;
  /** The full URL the buyer returns to after paying (a path on baseUrl). */
  readonly returnUrl: string;
}

export interface CheckoutSession {
  readonly providerPaymentId: string;
  /** Where the buyer pays. */
  readonly checkoutUrl: string;
}

export type ProviderPaymentStatus = 'pending' | 'succeeded' | 'failed';

/** What the provider itself says about a payment when asked directly. */
export interface ProviderPayment {
  readonly status: ProviderPaymentStatus;
  readonly amount: number;
  readonly currency: string;
}

export interface ProviderRefund {
  readonly providerRefundId: string;
  /** `pending`: accepted by the provider and on its way (card refunds settle asynchronously). */
  readonly status: 'succeeded' | 'pending' | 'failed';
}

/** A verified webhook event, reduced to what Boxoffice acts on. */
export interface WebhookEvent {
  /** The provider's event id: deliveries of one event share it (deduplication key). */
  readonly id: string;
  readonly type: 'payment.succeeded' | 'payment.failed' | 'other';
  /** The provider's own type name, for the record. */
  readonly providerType: string;
  readonly providerPaymentId: string | null;
  /** Boxoffice's payment id, when the provider echoes it (found even before the checkout was saved). */
  readonly paymentReference: string | null;
}

export interface PaymentProvider {
  readonly name: ProviderName;
  /** Opens a hosted checkout for one payment. */
  createCheckout(request: CheckoutRequest): Promise<CheckoutSession>;
  /** Asks the provider what it knows about a payment (webhook payloads are never trusted alone). */
  retrievePayment(providerPaymentId: string): Promise<ProviderPayment>;
  /** Refunds part or all of a payment; idempotent by key. */
  refund(providerPaymentId: string, amount: number, idempotencyKey: string): Promise<ProviderRefund>;
  /** Verifies and parses a webhook delivery; throws `payment.webhook_signature_invalid`. */
  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): WebhookEvent;
}

/** The first value of a header that may be repeated. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
