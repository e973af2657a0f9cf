import { sql, type Kysely } from 'kysely';

/**
 * Checkout: accounts, orders with separate order / payment / refund status axes, payments and their
 * provider events (deduplicated), refunds, tickets, coupons with capped atomic redemption, refund
 * policies, cancellation one-time codes, and Idempotency-Key records. Money stays integer minor units.
 */
const statements = [
  `ALTER TABLE organizers
     ADD COLUMN tax_rate_bp integer NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
     ADD COLUMN booking_fee_per_seat integer NOT NULL DEFAULT 0 CHECK (booking_fee_per_seat >= 0),
     ADD COLUMN max_seats_per_order integer NOT NULL DEFAULT 10 CHECK (max_seats_per_order BETWEEN 1 AND 100),
     ADD COLUMN max_seats_per_buyer integer NOT NULL DEFAULT 20 CHECK (max_seats_per_buyer BETWEEN 1 AND 1000)`,

  `CREATE TABLE users (
     id text PRIMARY KEY,
     email text NOT NULL,
     email_normalized text NOT NULL UNIQUE,
     password_hash text NOT NULL,
     name text NOT NULL DEFAULT '',
     phone text,
     role text NOT NULL DEFAULT 'customer' CHECK (role IN ('customer', 'staff', 'admin')),
     organizer_id text REFERENCES organizers(id) ON DELETE RESTRICT,
     language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'bn')),
     notify_email boolean NOT NULL DEFAULT true,
     notify_sms boolean NOT NULL DEFAULT false,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     CHECK ((role = 'staff') = (organizer_id IS NOT NULL))
   )`,

  `CREATE TABLE refresh_tokens (
     id text PRIMARY KEY,
     user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     family_id text NOT NULL,
     token_hash text NOT NULL UNIQUE,
     expires_at timestamptz NOT NULL,
     revoked_at timestamptz,
     replaced_by text,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)`,

  `CREATE TABLE coupons (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     code text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('percent', 'fixed')),
     -- percent: whole percent 1..100; fixed: minor units of the organizer's currency
     value integer NOT NULL CHECK (value > 0),
     min_order integer NOT NULL DEFAULT 0 CHECK (min_order >= 0),
     valid_from timestamptz,
     valid_to timestamptz,
     max_redemptions integer CHECK (max_redemptions > 0),
     per_user_max integer CHECK (per_user_max > 0),
     redemptions integer NOT NULL DEFAULT 0,
     scope_event_ids text[] NOT NULL DEFAULT '{}',
     scope_route_ids text[] NOT NULL DEFAULT '{}',
     scope_categories text[] NOT NULL DEFAULT '{}',
     active boolean NOT NULL DEFAULT true,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     CHECK (kind <> 'percent' OR value <= 100),
     CHECK (redemptions >= 0 AND (max_redemptions IS NULL OR redemptions <= max_redemptions)),
     CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from)
   )`,
  `CREATE UNIQUE INDEX coupons_code ON coupons (organizer_id, upper(code))`,

  `CREATE TABLE orders (
     id text PRIMARY KEY,
     code text NOT NULL UNIQUE,
     user_id text NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     inventory_kind text NOT NULL CHECK (inventory_kind IN ('event', 'trip')),
     inventory_id text NOT NULL,
     from_index integer NOT NULL,
     to_index integer NOT NULL,
     hold_token text,
     status text NOT NULL DEFAULT 'pending_payment'
       CHECK (status IN ('pending_payment', 'confirmed', 'cancelled', 'expired')),
     payment_status text NOT NULL DEFAULT 'unpaid'
       CHECK (payment_status IN ('unpaid', 'paid', 'partially_refunded', 'refunded')),
     refund_status text NOT NULL DEFAULT 'none' CHECK (refund_status IN ('none', 'pending', 'done', 'failed')),
     currency char(3) NOT NULL,
     subtotal integer NOT NULL CHECK (subtotal >= 0),
     booking_fee integer NOT NULL DEFAULT 0 CHECK (booking_fee >= 0),
     discount integer NOT NULL DEFAULT 0 CHECK (discount >= 0),
     tax integer NOT NULL DEFAULT 0 CHECK (tax >= 0),
     total integer NOT NULL CHECK (total >= 0),
     refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= total),
     coupon_id text REFERENCES coupons(id) ON DELETE RESTRICT,
     expires_at timestamptz NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     confirmed_at timestamptz,
     cancelled_at timestamptz
   )`,
  `CREATE INDEX orders_user ON orders (user_id, created_at DESC)`,
  `CREATE INDEX orders_inventory ON orders (inventory_id, status)`,
  `CREATE INDEX orders_organizer ON orders (organizer_id, created_at DESC)`,
  `CREATE INDEX orders_pending_expiry ON orders (expires_at) WHERE status = 'pending_payment'`,

  `CREATE TABLE order_lines (
     id text PRIMARY KEY,
     order_id text NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
     seat_id text,
     area_id text,
     label text NOT NULL,
     category text NOT NULL,
     passenger_name text,
     passenger_age integer CHECK (passenger_age BETWEEN 0 AND 130),
     passenger_gender text CHECK (passenger_gender IN ('female', 'male', 'other')),
     price integer NOT NULL CHECK (price >= 0),
     fee integer NOT NULL DEFAULT 0 CHECK (fee >= 0),
     discount integer NOT NULL DEFAULT 0 CHECK (discount >= 0),
     tax integer NOT NULL DEFAULT 0 CHECK (tax >= 0),
     total integer NOT NULL CHECK (total >= 0),
     status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
     refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= total),
     cancelled_at timestamptz,
     CHECK ((seat_id IS NULL) <> (area_id IS NULL))
   )`,
  `CREATE INDEX order_lines_order ON order_lines (order_id)`,

  `ALTER TABLE seat_sales ADD COLUMN order_line_id text REFERENCES order_lines(id) ON DELETE RESTRICT`,

  `CREATE TABLE coupon_redemptions (
     id text PRIMARY KEY,
     coupon_id text NOT NULL REFERENCES coupons(id) ON DELETE RESTRICT,
     order_id text NOT NULL UNIQUE REFERENCES orders(id) ON DELETE CASCADE,
     user_id text NOT NULL REFERENCES users(id) ON DELETE RESTRICT,
     status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'returned')),
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX coupon_redemptions_user ON coupon_redemptions (coupon_id, user_id) WHERE status = 'active'`,

  `CREATE TABLE payments (
     id text PRIMARY KEY,
     order_id text NOT NULL REFERENCES orders(id) ON DELETE RESTRICT,
     provider text NOT NULL CHECK (provider IN ('fake', 'stripe')),
     provider_payment_id text NOT NULL,
     amount integer NOT NULL CHECK (amount >= 0),
     currency char(3) NOT NULL,
     status text NOT NULL DEFAULT 'pending'
       CHECK (status IN ('pending', 'succeeded', 'failed', 'refunded', 'partially_refunded')),
     refunded_amount integer NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
     checkout_url text,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     succeeded_at timestamptz,
     UNIQUE (provider, provider_payment_id)
   )`,
  `CREATE INDEX payments_order ON payments (order_id)`,

  `CREATE TABLE payment_events (
     provider text NOT NULL,
     event_id text NOT NULL,
     payment_id text REFERENCES payments(id) ON DELETE RESTRICT,
     type text NOT NULL,
     received_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (provider, event_id)
   )`,

  `CREATE TABLE refunds (
     id text PRIMARY KEY,
     order_id text NOT NULL REFERENCES orders(id) ON DELETE RESTRICT,
     payment_id text NOT NULL REFERENCES payments(id) ON DELETE RESTRICT,
     amount integer NOT NULL CHECK (amount > 0),
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
     reason text NOT NULL,
     provider_refund_id text,
     idempotency_key text NOT NULL UNIQUE,
     created_at timestamptz NOT NULL DEFAULT now(),
     completed_at timestamptz
   )`,
  `CREATE INDEX refunds_order ON refunds (order_id)`,

  `CREATE TABLE tickets (
     id text PRIMARY KEY,
     code text NOT NULL UNIQUE,
     order_id text NOT NULL REFERENCES orders(id) ON DELETE RESTRICT,
     order_line_id text NOT NULL UNIQUE REFERENCES order_lines(id) ON DELETE RESTRICT,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     inventory_kind text NOT NULL CHECK (inventory_kind IN ('event', 'trip')),
     inventory_id text NOT NULL,
     seat_id text,
     area_id text,
     from_index integer NOT NULL,
     to_index integer NOT NULL,
     status text NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'cancelled')),
     checked_in_at timestamptz,
     checked_in_by text REFERENCES users(id) ON DELETE SET NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX tickets_order ON tickets (order_id)`,
  `CREATE INDEX tickets_inventory ON tickets (inventory_id)`,

  `CREATE TABLE refund_policies (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
     name text NOT NULL,
     scope_kind text NOT NULL CHECK (scope_kind IN ('organizer', 'event', 'route')),
     scope_id text NOT NULL,
     -- [{ "minHoursBefore": 48, "feeFlat": 5000, "feePercent": 0 }, …] ordered by minHoursBefore desc
     rules jsonb NOT NULL,
     min_fee integer NOT NULL DEFAULT 0 CHECK (min_fee >= 0),
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (scope_kind, scope_id)
   )`,

  `CREATE TABLE cancellation_codes (
     id text PRIMARY KEY,
     order_id text NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
     user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
     code_hash text NOT NULL,
     line_ids text[] NOT NULL,
     attempts integer NOT NULL DEFAULT 0,
     expires_at timestamptz NOT NULL,
     used_at timestamptz,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX cancellation_codes_order ON cancellation_codes (order_id, created_at DESC)`,

  `CREATE TABLE idempotency_keys (
     scope text NOT NULL,
     key text NOT NULL,
     request_hash text NOT NULL,
     status text NOT NULL CHECK (status IN ('in_flight', 'done')),
     response_status integer,
     response_body jsonb,
     created_at timestamptz NOT NULL DEFAULT now(),
     expires_at timestamptz NOT NULL,
     PRIMARY KEY (scope, key)
   )`,
  `CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'idempotency_keys',
    'cancellation_codes',
    'refund_policies',
    'tickets',
    'refunds',
    'payment_events',
    'payments',
    'coupon_redemptions',
  ]) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
  await sql.raw('ALTER TABLE seat_sales DROP COLUMN IF EXISTS order_line_id').execute(db);
  for (const table of ['order_lines', 'orders', 'coupons', 'refresh_tokens', 'users']) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
  await sql
    .raw(
      `ALTER TABLE organizers DROP COLUMN IF EXISTS tax_rate_bp, DROP COLUMN IF EXISTS booking_fee_per_seat,
         DROP COLUMN IF EXISTS max_seats_per_order, DROP COLUMN IF EXISTS max_seats_per_buyer`,
    )
    .execute(db);
}
