import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Selectable } from 'kysely';
import type { Db } from '../db/client.js';
import type { FakeGatewayChargesTable } from '../db/schema.js';
import type { Clock } from '../shared/clock.js';
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

/**
 * The built-in fake gateway: a hosted pay page served by Boxoffice itself (fake-gateway.routes.ts) with
 * Pay, Decline and Fail buttons, and webhooks signed like a real provider's, so the whole payment flow runs
 * with no outside account. It keeps its own books (fake_gateway_charges, fake_gateway_refunds).
 *
 * Webhook signature: header `Boxoffice-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
 * accepted for 5 minutes either side of now.
 */
export const FAKE_SIGNATURE_HEADER = 'boxoffice-signature';
export const FAKE_SIGNATURE_TOLERANCE_SECONDS = 300;

export type FakeCharge = Selectable<FakeGatewayChargesTable>;
export type FakeGatewayAction = 'pay' | 'decline' | 'fail';

/** The body of a fake gateway webhook. */
export interface FakeGatewayEvent {
  id: string;
  type: 'payment.succeeded' | 'payment.failed';
  created: number;
  data: {
    chargeId: string;
    reference: string;
    amount: number;
    currency: string;
    status: 'succeeded' | 'failed';
    failureReason: string | null;
  };
}

function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}

/** Signs a raw webhook body for the given time (seconds). */
export function signFakeWebhook(secret: string, body: string | Buffer, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.`).update(body).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

function signatureInvalid(reason: string): AppError {
  return new AppError('payment.webhook_signature_invalid', `The webhook signature is not valid: ${reason}`);
}

export class FakePaymentProvider implements PaymentProvider {
  readonly name = 'fake' as const;

  constructor(
    private readonly db: Db,
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}

  async createCheckout(request: CheckoutRequest): Promise<CheckoutSession> {
    // The id is also the pay page's address, so it is a bearer secret like a real checkout URL (128 bits).
    const id = randomId('fpi');
    await this.db
      .insertInto('fake_gateway_charges')
      .values({
        id,
        reference: request.paymentId,
        amount: request.amount,
        currency: request.currency.toUpperCase(),
        description: request.description.slice(0, 200),
        return_url: request.returnUrl,
      })
      .execute();
    return { providerPaymentId: id, checkoutUrl: `${request.baseUrl}/pay/${id}` };
  }

  async retrievePayment(providerPaymentId: string): Promise<ProviderPayment> {
    const charge = await this.findCharge(providerPaymentId);
    if (!charge) throw new AppError('payment.provider_rejected', `The gateway has no charge ${providerPaymentId}`);
    return { status: charge.status, amount: charge.amount, currency: charge.currency };
  }

  async refund(providerPaymentId: string, amount: number, idempotencyKey: string): Promise<ProviderRefund> {
    return this.db.transaction().execute(async (trx): Promise<ProviderRefund> => {
      const charge = await trx
        .selectFrom('fake_gateway_charges')
        .selectAll()
        .where('id', '=', providerPaymentId)
        .forUpdate()
        .executeTakeFirst();
      if (!charge) throw new AppError('payment.provider_rejected', `The gateway has no charge ${providerPaymentId}`);
      // Checked under the charge lock: two refunds with one key give one refund.
      const previous = await trx
        .selectFrom('fake_gateway_refunds')
        .selectAll()
        .where('idempotency_key', '=', idempotencyKey)
        .executeTakeFirst();
      if (previous) {
        if (previous.charge_id !== providerPaymentId || previous.amount !== amount) {
          throw new AppError('payment.provider_rejected', 'This idempotency key was used for another refund');
        }
        return { providerRefundId: previous.id, status: 'succeeded' };
      }
      if (charge.status !== 'succeeded') {
        throw new AppError('payment.provider_rejected', `Charge ${providerPaymentId} was not paid`);
      }
      if (!Number.isInteger(amount) || amount <= 0 || amount > charge.amount - charge.refunded_amount) {
        throw new AppError('payment.provider_rejected', `Cannot refund ${amount} of charge ${providerPaymentId}`);
      }
      const id = randomId('fre');
      await trx
        .insertInto('fake_gateway_refunds')
        .values({ id, charge_id: providerPaymentId, amount, idempotency_key: idempotencyKey })
        .execute();
      await trx
        .updateTable('fake_gateway_charges')
        .set({ refunded_amount: charge.refunded_amount + amount, updated_at: this.clock.now() })
        .where('id', '=', providerPaymentId)
        .execute();
      return { providerRefundId: id, status: 'succeeded' };
    });
  }

  parseWebhook(rawBody: Buffer, headers: IncomingHttpHeaders): WebhookEvent {
    this.verifySignature(rawBody, headerValue(headers, FAKE_SIGNATURE_HEADER));
    let event: FakeGatewayEvent;
    try {
      event = JSON.parse(rawBody.toString('utf8')) as FakeGatewayEvent;
    } catch {
      throw new AppError('payment.webhook_invalid', 'The webhook body is not JSON');
    }
    if (
      typeof event?.id !== 'string' ||
      typeof event.type !== 'string' ||
      typeof event.data?.chargeId !== 'string' ||
      typeof event.data.reference !== 'string'
    ) {
      throw new AppError('payment.webhook_invalid', 'The webhook body is not a gateway event');
    }
    const type = event.type === 'payment.succeeded' || event.type === 'payment.failed' ? event.type : 'other';
    return {
      id: event.id,
      type,
      providerType: event.type.slice(0, 100),
      providerPaymentId: event.data.chargeId,
      paymentReference: event.data.reference,
    };
  }

  private verifySignature(rawBody: Buffer, header: string | undefined): void {
    if (!header) throw signatureInvalid('the Boxoffice-Signature header is missing');
    const parts = new Map<string, string[]>();
    for (const item of header.split(',')) {
      const at = item.indexOf('=');
      if (at <= 0) continue;
      const key = item.slice(0, at).trim();
      parts.set(key, [...(parts.get(key) ?? []), item.slice(at + 1).trim()]);
    }
    const timestamp = Number(parts.get('t')?.[0]);
    const signatures = parts.get('v1') ?? [];
    if (!Number.isInteger(timestamp) || signatures.length === 0) throw signatureInvalid('the header is malformed');
    const age = Math.abs(this.clock.now().getTime() / 1000 - timestamp);
    if (age > FAKE_SIGNATURE_TOLERANCE_SECONDS) throw signatureInvalid('the timestamp is outside the tolerance');
    const expected = Buffer.from(signFakeWebhook(this.secret, rawBody, timestamp).split('v1=')[1]!, 'hex');
    const matches = signatures.some((candidate) => {
      const given = Buffer.from(candidate, 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!matches) throw signatureInvalid('no signature matches the body');
  }

  // ── The gateway's own side: the hosted page reads charges and the buttons settle them ──────────────

  findCharge(chargeId: string): Promise<FakeCharge | undefined> {
    return this.db.selectFrom('fake_gateway_charges').selectAll().where('id', '=', chargeId).executeTakeFirst();
  }

  /**
   * Settles a charge as the buyer's button says and returns the signed webhook to deliver, or null when
   * the button changes nothing (a paid charge stays paid; a declined one may still be paid, as on a real
   * checkout page where the buyer tries another card).
   */
  async settleCharge(
    chargeId: string,
    action: FakeGatewayAction,
  ): Promise<{ charge: FakeCharge; delivery: { body: string; signature: string } | null } | null> {
    const now = this.clock.now();
    const updated = await this.db
      .updateTable('fake_gateway_charges')
      .set(
        action === 'pay'
          ? { status: 'succeeded', failure_reason: null, updated_at: now }
          : {
              status: 'failed',
              failure_reason: action === 'decline' ? 'card_declined' : 'processing_error',
              updated_at: now,
            },
      )
      .where('id', '=', chargeId)
      .where('status', 'in', action === 'pay' ? ['pending', 'failed'] : ['pending'])
      .returningAll()
      .executeTakeFirst();
    if (updated) return { charge: updated, delivery: this.buildDelivery(updated) };
    const charge = await this.findCharge(chargeId);
    return charge ? { charge, delivery: null } : null;
  }

  /** The signed webhook for a settled charge (a new event id each time: one event per settlement). */
  buildDelivery(charge: FakeCharge): { body: string; signature: string } {
    const status = charge.status === 'succeeded' ? 'succeeded' : 'failed';
    const event: FakeGatewayEvent = {
      id: randomId('fevt'),
      type: status === 'succeeded' ? 'payment.succeeded' : 'payment.failed',
      created: Math.floor(this.clock.now().getTime() / 1000),
      data: {
        chargeId: charge.id,
        reference: charge.reference,
        amount: charge.amount,
        currency: charge.currency,
        status,
        failureReason: charge.failure_reason,
      },
    };
    const body = JSON.stringify(event);
    return { body, signature: this.sign(body) };
  }

  /** Signs a body as of now. */
  sign(body: string): string {
    return signFakeWebhook(this.secret, body, Math.floor(this.clock.now().getTime() / 1000));
  }
}
