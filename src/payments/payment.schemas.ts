import { Type, type Static } from 'typebox';

export const StartPaymentBody = Type.Object(
  {
    orderId: Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' }),
    returnPath: Type.Optional(
      Type.String({
        maxLength: 200,
        // A path on this server only (no scheme, host or `//`): the gateway must not send buyers elsewhere.
        pattern: '^/[A-Za-z0-9_-][A-Za-z0-9/_-]*$',
        description:
          'Where the buyer comes back to on this server after paying (e.g. the web app’s order page); ' +
          'default /pay/return/{paymentId}. `?cancelled=1` is added when they give up.',
      }),
    ),
  },
  { additionalProperties: false },
);
export type StartPaymentBody = Static<typeof StartPaymentBody>;

export const PaymentParams = Type.Object(
  { paymentId: Type.String({ minLength: 3, maxLength: 64, pattern: '^pay_[a-z0-9]+$' }) },
  { additionalProperties: false },
);

export const PaymentResponse = Type.Object({
  paymentId: Type.String(),
  orderId: Type.String(),
  provider: Type.Union([Type.Literal('fake'), Type.Literal('stripe')]),
  status: Type.Union([
    Type.Literal('pending'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('refunded'),
    Type.Literal('partially_refunded'),
  ]),
  amount: Type.Integer({ description: 'Minor units of the currency' }),
  currency: Type.String(),
  checkoutUrl: Type.Union([Type.String({ description: 'Send the buyer here to pay' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'Retry-safe key: the same key and body within 24 h returns the first answer' }),
  ),
});

export const WebhookParams = Type.Object(
  { provider: Type.Union([Type.Literal('fake'), Type.Literal('stripe')]) },
  { additionalProperties: false },
);

export const WebhookResponse = Type.Object({
  received: Type.Boolean(),
  outcome: Type.String(),
  paymentId: Type.Optional(Type.String()),
});

export const ChargeParams = Type.Object(
  { chargeId: Type.String({ minLength: 10, maxLength: 64, pattern: '^fpi_[A-Za-z0-9_-]+$' }) },
  { additionalProperties: false },
);

export const GatewayActionBody = Type.Object(
  { action: Type.Union([Type.Literal('pay'), Type.Literal('decline'), Type.Literal('fail')]) },
  { additionalProperties: false },
);
export type GatewayActionBody = Static<typeof GatewayActionBody>;

export const GatewayActionResponse = Type.Object({
  chargeId: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]),
  /** Whether Boxoffice's webhook answered 2xx to the first delivery (else it is retried in the background). */
  delivered: Type.Boolean(),
  webhookStatus: Type.Union([Type.Integer(), Type.Null()]),
  returnUrl: Type.Union([Type.String(), Type.Null()]),
});
