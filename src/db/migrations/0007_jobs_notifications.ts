import { sql, type Kysely } from 'kysely';

/**
 * Notifications and organizer webhooks. The job queue itself is pg-boss's own schema (`pgboss`), which
 * pg-boss installs and migrates at start (src/jobs/job-queue.ts); these are Boxoffice's tables:
 *
 * - `notifications`: one row per message meant for one recipient on one channel, keyed by a dedupe key,
 *   so a job that runs twice sends once (and the history shows what was sent, when, and why not).
 * - `mailbox_messages` / `mailbox_attachments`: the embedded mailer's local mailbox (no SMTP server
 *   needed): every email with its HTML and text parts and inline images (ticket QR codes).
 * - `webhook_endpoints` / `webhook_deliveries`: organizer webhooks (URL, events, signing secret) and the
 *   delivery log, one row per event per endpoint.
 */
const statements = [
  `CREATE TABLE notifications (
     id text PRIMARY KEY,
     dedupe_key text NOT NULL UNIQUE,
     channel text NOT NULL CHECK (channel IN ('email', 'sms')),
     kind text NOT NULL,
     params jsonb NOT NULL DEFAULT '{}',
     user_id text REFERENCES users(id) ON DELETE CASCADE,
     organizer_id text,
     order_id text,
     recipient text NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
     attempts integer NOT NULL DEFAULT 0,
     provider_message_id text,
     last_error text,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     sent_at timestamptz
   )`,
  `CREATE INDEX notifications_order ON notifications (order_id) WHERE order_id IS NOT NULL`,
  `CREATE INDEX notifications_user ON notifications (user_id, created_at DESC)`,

  `CREATE TABLE mailbox_messages (
     id text PRIMARY KEY,
     organizer_id text,
     user_id text,
     order_id text,
     kind text NOT NULL,
     language text NOT NULL,
     from_address text NOT NULL,
     to_address text NOT NULL,
     subject text NOT NULL,
     text_body text NOT NULL,
     html_body text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX mailbox_messages_recent ON mailbox_messages (created_at DESC, id DESC)`,
  `CREATE INDEX mailbox_messages_organizer ON mailbox_messages (organizer_id, created_at DESC, id DESC)`,
  `CREATE INDEX mailbox_messages_to ON mailbox_messages (lower(to_address), created_at DESC)`,
  `CREATE TABLE mailbox_attachments (
     message_id text NOT NULL REFERENCES mailbox_messages(id) ON DELETE CASCADE,
     content_id text NOT NULL,
     filename text NOT NULL,
     content_type text NOT NULL,
     content bytea NOT NULL,
     PRIMARY KEY (message_id, content_id)
   )`,

  `CREATE TABLE webhook_endpoints (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
     url text NOT NULL,
     description text NOT NULL DEFAULT '',
     events text[] NOT NULL CHECK (cardinality(events) > 0),
     secret text NOT NULL,
     active boolean NOT NULL DEFAULT true,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX webhook_endpoints_organizer ON webhook_endpoints (organizer_id)`,
  `CREATE TABLE webhook_deliveries (
     id text PRIMARY KEY,
     endpoint_id text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
     organizer_id text NOT NULL,
     event_id text NOT NULL,
     event_type text NOT NULL,
     payload jsonb NOT NULL,
     status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
     attempts integer NOT NULL DEFAULT 0,
     last_status_code integer,
     last_error text,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     delivered_at timestamptz,
     UNIQUE (endpoint_id, event_id)
   )`,
  `CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'webhook_deliveries',
    'webhook_endpoints',
    'mailbox_attachments',
    'mailbox_messages',
    'notifications',
  ]) {
    await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  }
}
