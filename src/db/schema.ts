import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types. Row types used by repositories are derived from these. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface SettingsTable {
  key: string;
  value: string;
}

export interface OrganizersTable {
  id: string;
  name: string;
  slug: string;
  currency: string;
  timezone: string;
  /** Tax in basis points of the taxable amount (1500 = 15 %). */
  tax_rate_bp: Generated<number>;
  booking_fee_per_seat: Generated<number>;
  max_seats_per_order: Generated<number>;
  /** Per buyer per event or trip, across all their orders (against scalpers). */
  max_seats_per_buyer: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SeatLayoutsTable {
  id: string;
  organizer_id: string;
  name: string;
  kind: 'venue' | 'vehicle';
  vehicle_type: 'bus' | 'sleeper_bus' | 'train_coach' | 'train' | null;
  decks: Generated<number>;
  seat_count: Generated<number>;
  ga_capacity: Generated<number>;
  created_at: CreatedAt;
}

export interface LayoutSectionsTable {
  id: string;
  layout_id: string;
  parent_id: string | null;
  name: string;
  path: string;
  ordinal: number;
}

export interface LayoutSeatsTable {
  id: string;
  layout_id: string;
  section_id: string;
  row_label: string;
  seat_label: string;
  label: string;
  category: string;
  x: number;
  y: number;
  deck: Generated<number>;
  flags: Generated<string[]>;
  ordinal: number;
}

export interface LayoutGaAreasTable {
  id: string;
  layout_id: string;
  name: string;
  category: string;
  capacity: number;
  x: Generated<number>;
  y: Generated<number>;
}

export interface VenuesTable {
  id: string;
  organizer_id: string;
  name: string;
  city: string;
  address: Generated<string>;
  timezone: string;
  layout_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type EventStatus = 'draft' | 'on_sale' | 'sales_closed' | 'cancelled';

export interface EventsTable {
  id: string;
  organizer_id: string;
  venue_id: string;
  layout_id: string;
  series_key: string;
  title: string;
  description: Generated<string>;
  category: Generated<string>;
  language: Generated<string>;
  image_url: string | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: ColumnType<EventStatus, EventStatus | undefined, EventStatus>;
  sale_starts_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  sale_ends_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  hold_ttl_seconds: number | null;
  search: ColumnType<string, never, never>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EventPricesTable {
  event_id: string;
  category: string;
  amount: number;
}

export interface StopsTable {
  id: string;
  organizer_id: string;
  code: string;
  name: string;
  city: Generated<string>;
  lat: number | null;
  lon: number | null;
  timezone: string;
  created_at: CreatedAt;
  /** Set on stops a GTFS import wrote (migration 0008): the feed and the GTFS stop_id. */
  gtfs_feed_id: ColumnType<string | null, string | null | undefined, string | null>;
  gtfs_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RoutesTable {
  id: string;
  organizer_id: string;
  code: string;
  name: string;
  mode: 'bus' | 'train';
  default_layout_id: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Set on routes a GTFS import wrote: the feed, the GTFS route_id and the stop-pattern key. */
  gtfs_feed_id: ColumnType<string | null, string | null | undefined, string | null>;
  gtfs_id: ColumnType<string | null, string | null | undefined, string | null>;
  gtfs_pattern: ColumnType<string | null, string | null | undefined, string | null>;
  gtfs_fingerprint: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RouteStopsTable {
  route_id: string;
  stop_index: number;
  stop_id: string;
  arrive_offset_min: number;
  depart_offset_min: number;
}

export type TripStatus = 'scheduled' | 'sales_closed' | 'cancelled';

export interface TripsTable {
  id: string;
  organizer_id: string;
  route_id: string;
  layout_id: string;
  /** A date string YYYY-MM-DD (the date type is not parsed to a JS Date; see db/client.ts). */
  service_date: string;
  departs_at: Timestamp;
  status: ColumnType<TripStatus, TripStatus | undefined, TripStatus>;
  hold_ttl_seconds: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  /** Set on trips a GTFS import wrote: the feed, the GTFS trip_id (`@start` per frequency departure), a fingerprint of its times. */
  gtfs_feed_id: ColumnType<string | null, string | null | undefined, string | null>;
  gtfs_id: ColumnType<string | null, string | null | undefined, string | null>;
  gtfs_fingerprint: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TripStopsTable {
  trip_id: string;
  stop_index: number;
  stop_id: string;
  arrives_at: Timestamp;
  departs_at: Timestamp;
}

export interface FaresTable {
  id: string;
  route_id: string;
  from_index: number;
  to_index: number;
  seat_class: string;
  amount: number;
}

export type InventoryKind = 'event' | 'trip';

export interface SeatSalesTable {
  id: Generated<number>;
  inventory_kind: InventoryKind;
  inventory_id: string;
  seat_id: string;
  /** An int4range literal, e.g. '[0,3)'. */
  legs: string;
  hold_token: string | null;
  order_id: string | null;
  order_line_id: string | null;
  status: ColumnType<'confirmed' | 'cancelled', 'confirmed' | 'cancelled' | undefined, 'confirmed' | 'cancelled'>;
  created_at: CreatedAt;
}

export interface GaInventoryTable {
  inventory_id: string;
  area_id: string;
  capacity: number;
  sold: Generated<number>;
}

export interface HoldsTable {
  token: string;
  inventory_kind: InventoryKind;
  inventory_id: string;
  owner: string;
  from_index: number;
  to_index: number;
  seat_ids: string[];
  ga: ColumnType<{ areaId: string; quantity: number }[], string, string>;
  created_at: Timestamp;
  expires_at: Timestamp;
  extended: Generated<boolean>;
  released: Generated<boolean>;
}

export interface HoldSeatsTable {
  hold_token: string;
  inventory_id: string;
  seat_id: string;
  legs: string;
  expires_at: Timestamp;
}

export interface HoldGaTable {
  hold_token: string;
  inventory_id: string;
  area_id: string;
  quantity: number;
  expires_at: Timestamp;
}

// ── Checkout (migration 0003) ──────────────────────────────────────────────────────────────────────────

export type UserRole = 'customer' | 'staff' | 'admin';

export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  password_hash: string;
  name: Generated<string>;
  phone: string | null;
  role: ColumnType<UserRole, UserRole | undefined, UserRole>;
  organizer_id: string | null;
  language: ColumnType<'en' | 'bn', 'en' | 'bn' | undefined, 'en' | 'bn'>;
  notify_email: Generated<boolean>;
  notify_sms: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RefreshTokensTable {
  id: string;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  replaced_by: string | null;
  created_at: CreatedAt;
}

export interface CouponsTable {
  id: string;
  organizer_id: string;
  code: string;
  kind: 'percent' | 'fixed';
  value: number;
  min_order: Generated<number>;
  valid_from: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  valid_to: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  max_redemptions: number | null;
  per_user_max: number | null;
  redemptions: Generated<number>;
  scope_event_ids: Generated<string[]>;
  scope_route_ids: Generated<string[]>;
  scope_categories: Generated<string[]>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type OrderStatus = 'pending_payment' | 'confirmed' | 'cancelled' | 'expired';
export type PaymentStatus = 'unpaid' | 'paid' | 'partially_refunded' | 'refunded';
export type RefundStatus = 'none' | 'pending' | 'done' | 'failed';

export interface OrdersTable {
  id: string;
  /** The booking reference a buyer reads out, e.g. BX7K2M9Q. */
  code: string;
  user_id: string;
  organizer_id: string;
  inventory_kind: InventoryKind;
  inventory_id: string;
  from_index: number;
  to_index: number;
  hold_token: string | null;
  status: ColumnType<OrderStatus, OrderStatus | undefined, OrderStatus>;
  payment_status: ColumnType<PaymentStatus, PaymentStatus | undefined, PaymentStatus>;
  refund_status: ColumnType<RefundStatus, RefundStatus | undefined, RefundStatus>;
  currency: string;
  subtotal: number;
  booking_fee: Generated<number>;
  discount: Generated<number>;
  tax: Generated<number>;
  total: number;
  refunded_amount: Generated<number>;
  coupon_id: string | null;
  /** Until when the order may be paid (its hold's expiry). */
  expires_at: Timestamp;
  created_at: CreatedAt;
  updated_at: Timestamp;
  confirmed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface OrderLinesTable {
  id: string;
  order_id: string;
  seat_id: string | null;
  area_id: string | null;
  label: string;
  category: string;
  passenger_name: string | null;
  passenger_age: number | null;
  passenger_gender: 'female' | 'male' | 'other' | null;
  price: number;
  fee: Generated<number>;
  discount: Generated<number>;
  tax: Generated<number>;
  total: number;
  status: ColumnType<'active' | 'cancelled', 'active' | 'cancelled' | undefined, 'active' | 'cancelled'>;
  refunded_amount: Generated<number>;
  cancelled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface CouponRedemptionsTable {
  id: string;
  coupon_id: string;
  order_id: string;
  user_id: string;
  status: ColumnType<'active' | 'returned', 'active' | 'returned' | undefined, 'active' | 'returned'>;
  created_at: CreatedAt;
}

export type PaymentRecordStatus = 'pending' | 'succeeded' | 'failed' | 'refunded' | 'partially_refunded';

export interface PaymentsTable {
  id: string;
  order_id: string;
  provider: 'fake' | 'stripe';
  provider_payment_id: string;
  amount: number;
  currency: string;
  status: ColumnType<PaymentRecordStatus, PaymentRecordStatus | undefined, PaymentRecordStatus>;
  refunded_amount: Generated<number>;
  checkout_url: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  succeeded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface PaymentEventsTable {
  provider: string;
  event_id: string;
  payment_id: string | null;
  type: string;
  received_at: CreatedAt;
}

export interface RefundsTable {
  id: string;
  order_id: string;
  payment_id: string;
  amount: number;
  status: ColumnType<
    'pending' | 'done' | 'failed',
    'pending' | 'done' | 'failed' | undefined,
    'pending' | 'done' | 'failed'
  >;
  reason: string;
  provider_refund_id: string | null;
  idempotency_key: string;
  created_at: CreatedAt;
  completed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface TicketsTable {
  id: string;
  /** The unguessable code in the QR image. */
  code: string;
  order_id: string;
  order_line_id: string;
  organizer_id: string;
  inventory_kind: InventoryKind;
  inventory_id: string;
  seat_id: string | null;
  area_id: string | null;
  from_index: number;
  to_index: number;
  status: ColumnType<'valid' | 'cancelled', 'valid' | 'cancelled' | undefined, 'valid' | 'cancelled'>;
  checked_in_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  checked_in_by: string | null;
  created_at: CreatedAt;
}

export interface RefundPolicyRule {
  /** The rule applies when at least this many hours remain before start or departure. */
  minHoursBefore: number;
  /** Fee kept, as a percentage of the line total (0..100), plus a flat amount in minor units. */
  feePercent: number;
  feeFlat: number;
}

export interface RefundPoliciesTable {
  id: string;
  organizer_id: string;
  name: string;
  scope_kind: 'organizer' | 'event' | 'route';
  scope_id: string;
  rules: ColumnType<RefundPolicyRule[], string, string>;
  min_fee: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CancellationCodesTable {
  id: string;
  order_id: string;
  user_id: string;
  code_hash: string;
  line_ids: string[];
  attempts: Generated<number>;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number | null;
  response_body: ColumnType<unknown, string | null, string | null>;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

// ── Fake payment gateway (migration 0006) ─────────────────────────────────────────────────────────────

export interface FakeGatewayChargesTable {
  id: string;
  /** The Boxoffice payment id the charge was opened for. */
  reference: string;
  amount: number;
  currency: string;
  description: Generated<string>;
  return_url: string | null;
  status: ColumnType<
    'pending' | 'succeeded' | 'failed',
    'pending' | 'succeeded' | 'failed' | undefined,
    'pending' | 'succeeded' | 'failed'
  >;
  failure_reason: string | null;
  refunded_amount: Generated<number>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface FakeGatewayRefundsTable {
  id: string;
  charge_id: string;
  amount: number;
  idempotency_key: string;
  created_at: CreatedAt;
}

// ── Notifications and organizer webhooks (migration 0007) ──────────────────────────────────────────────

export type NotificationChannel = 'email' | 'sms';

export interface NotificationsTable {
  id: string;
  dedupe_key: string;
  channel: NotificationChannel;
  kind: string;
  params: ColumnType<Record<string, unknown>, string | undefined, string>;
  user_id: string | null;
  organizer_id: string | null;
  order_id: string | null;
  recipient: string;
  status: ColumnType<
    'pending' | 'sent' | 'failed',
    'pending' | 'sent' | 'failed' | undefined,
    'pending' | 'sent' | 'failed'
  >;
  attempts: Generated<number>;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface MailboxMessagesTable {
  id: string;
  organizer_id: string | null;
  user_id: string | null;
  order_id: string | null;
  kind: string;
  language: string;
  from_address: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  created_at: CreatedAt;
}

export interface MailboxAttachmentsTable {
  message_id: string;
  content_id: string;
  filename: string;
  content_type: string;
  content: Buffer;
}

export interface WebhookEndpointsTable {
  id: string;
  organizer_id: string;
  url: string;
  description: Generated<string>;
  events: string[];
  secret: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  organizer_id: string;
  event_id: string;
  event_type: string;
  payload: ColumnType<unknown, string, string>;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  delivered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

// ── GTFS import (migration 0008) ──────────────────────────────────────────────────────────────────────

export interface GtfsFeedsTable {
  id: string;
  organizer_id: string;
  /** Which imports are the same feed (a newer one updates what the older one wrote). */
  key: string;
  name: string;
  timezone: string;
  feed_version: string | null;
  last_imported_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: CreatedAt;
}

export type GtfsImportStatus = 'running' | 'succeeded' | 'rejected' | 'failed';

export interface GtfsImportsTable {
  id: string;
  organizer_id: string;
  feed_key: string | null;
  feed_id: string | null;
  source: string;
  status: GtfsImportStatus;
  phase: string;
  options: ColumnType<unknown, string | undefined, string>;
  counts: ColumnType<unknown, string | undefined, string>;
  problems: ColumnType<unknown, string | undefined, string>;
  problem_counts: ColumnType<unknown, string | undefined, string>;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

// ── Organizer console (migration 0009) ────────────────────────────────────────────────────────────────

export interface HoldStatsTable {
  inventory_id: string;
  /** The start of a quarter hour (UTC). */
  bucket: Timestamp;
  holds_created: number;
}

export interface Database {
  settings: SettingsTable;
  organizers: OrganizersTable;
  seat_layouts: SeatLayoutsTable;
  layout_sections: LayoutSectionsTable;
  layout_seats: LayoutSeatsTable;
  layout_ga_areas: LayoutGaAreasTable;
  venues: VenuesTable;
  events: EventsTable;
  event_prices: EventPricesTable;
  stops: StopsTable;
  routes: RoutesTable;
  route_stops: RouteStopsTable;
  trips: TripsTable;
  trip_stops: TripStopsTable;
  fares: FaresTable;
  seat_sales: SeatSalesTable;
  ga_inventory: GaInventoryTable;
  holds: HoldsTable;
  hold_seats: HoldSeatsTable;
  hold_ga: HoldGaTable;
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  coupons: CouponsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  coupon_redemptions: CouponRedemptionsTable;
  payments: PaymentsTable;
  payment_events: PaymentEventsTable;
  refunds: RefundsTable;
  tickets: TicketsTable;
  refund_policies: RefundPoliciesTable;
  cancellation_codes: CancellationCodesTable;
  idempotency_keys: IdempotencyKeysTable;
  fake_gateway_charges: FakeGatewayChargesTable;
  fake_gateway_refunds: FakeGatewayRefundsTable;
  notifications: NotificationsTable;
  mailbox_messages: MailboxMessagesTable;
  mailbox_attachments: MailboxAttachmentsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  gtfs_feeds: GtfsFeedsTable;
  gtfs_imports: GtfsImportsTable;
  hold_stats: HoldStatsTable;
}

export type OrganizerRow = Selectable<OrganizersTable>;
export type NewOrganizer = Insertable<OrganizersTable>;
export type OrganizerUpdate = Updateable<OrganizersTable>;
export type VenueRow = Selectable<VenuesTable>;
export type EventRow = Selectable<EventsTable>;
export type StopRow = Selectable<StopsTable>;
export type RouteRow = Selectable<RoutesTable>;
export type TripRow = Selectable<TripsTable>;
export type TripStopRow = Selectable<TripStopsTable>;
export type LayoutRow = Selectable<SeatLayoutsTable>;
export type LayoutSeatRow = Selectable<LayoutSeatsTable>;
export type LayoutSectionRow = Selectable<LayoutSectionsTable>;
export type LayoutGaAreaRow = Selectable<LayoutGaAreasTable>;
export type FareRow = Selectable<FaresTable>;
