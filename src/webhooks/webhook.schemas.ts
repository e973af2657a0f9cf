import { Type, type Static } from 'typebox';
import { Id, Paging } from '../catalog/catalog.schemas.js';

/** Schemas of the organizer webhook API. Bodies are strict: unknown fields are refused. */
const strict = { additionalProperties: false } as const;

export const WEBHOOK_EVENT_TYPES = [
  'order.confirmed',
  'order.cancelled',
  'order.refunded',
  'trip.delayed',
  'trip.cancelled',
  'event.cancelled',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

const EventType = Type.Union(WEBHOOK_EVENT_TYPES.map((type) => Type.Literal(type)));
const Events = Type.Array(EventType, { minItems: 1, maxItems: WEBHOOK_EVENT_TYPES.length, uniqueItems: true });
const Url = Type.String({ minLength: 8, maxLength: 2000, description: 'https:// URL that receives the POSTs' });

export const CreateWebhookBody = Type.Object(
  {
    organizerId: Id,
    url: Url,
    events: Events,
    description: Type.Optional(Type.String({ maxLength: 200 })),
  },
  strict,
);
export type CreateWebhookBody = Static<typeof CreateWebhookBody>;

export const UpdateWebhookBody = Type.Object(
  {
    url: Type.Optional(Url),
    events: Type.Optional(Events),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
  },
  { ...strict, minProperties: 1 },
);
export type UpdateWebhookBody = Static<typeof UpdateWebhookBody>;

export const ListWebhooksQuery = Type.Object({ organizerId: Type.Optional(Id), ...Paging }, strict);

export const WebhookResponse = Type.Object({
  id: Type.String(),
  organizerId: Type.String(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(Type.String()),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type WebhookResponse = Static<typeof WebhookResponse>;

export const WebhookWithSecretResponse = Type.Intersect([
  WebhookResponse,
  Type.Object({
    secret: Type.String({
      description: 'Signing secret (whsec_…). Shown only now: keep it to verify the Boxoffice-Signature header.',
    }),
  }),
]);

export const ListDeliveriesQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')])),
    ...Paging,
  },
  strict,
);

export const DeliveryResponse = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  eventId: Type.String(),
  eventType: Type.String(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')]),
  attempts: Type.Integer(),
  lastStatusCode: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  createdAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type DeliveryResponse = Static<typeof DeliveryResponse>;
