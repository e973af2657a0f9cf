import { sql, type Kysely } from 'kysely';

/**
 * The foundation schema. Money is integer minor units; times are timestamptz (UTC); ids are prefixed text.
 * Seat layouts are immutable once used: an event or trip points at the layout it was created with, and a
 * venue that gets a new layout simply points at a new row.
 */
const statements = [
  `CREATE EXTENSION IF NOT EXISTS btree_gist`,
  `CREATE EXTENSION IF NOT EXISTS pg_trgm`,

  `CREATE TABLE settings (
     key text PRIMARY KEY,
     value text NOT NULL
   )`,

  `CREATE TABLE organizers (
     id text PRIMARY KEY,
     name text NOT NULL,
     slug text NOT NULL UNIQUE,
     currency char(3) NOT NULL,
     timezone text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,

  `CREATE TABLE seat_layouts (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
     name text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('venue', 'vehicle')),
     vehicle_type text CHECK (vehicle_type IN ('bus', 'sleeper_bus', 'train_coach', 'train')),
     decks smallint NOT NULL DEFAULT 1,
     seat_count integer NOT NULL DEFAULT 0,
     ga_capacity integer NOT NULL DEFAULT 0,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX seat_layouts_organizer ON seat_layouts (organizer_id)`,

  `CREATE TABLE layout_sections (
     id text PRIMARY KEY,
     layout_id text NOT NULL REFERENCES seat_layouts(id) ON DELETE CASCADE,
     parent_id text REFERENCES layout_sections(id) ON DELETE CASCADE,
     name text NOT NULL,
     path text NOT NULL,
     ordinal integer NOT NULL
   )`,
  `CREATE INDEX layout_sections_layout ON layout_sections (layout_id, ordinal)`,

  `CREATE TABLE layout_seats (
     id text PRIMARY KEY,
     layout_id text NOT NULL REFERENCES seat_layouts(id) ON DELETE CASCADE,
     section_id text NOT NULL REFERENCES layout_sections(id) ON DELETE CASCADE,
     row_label text NOT NULL,
     seat_label text NOT NULL,
     label text NOT NULL,
     category text NOT NULL,
     x real NOT NULL,
     y real NOT NULL,
     deck smallint NOT NULL DEFAULT 1,
     flags text[] NOT NULL DEFAULT '{}',
     ordinal integer NOT NULL,
     UNIQUE (section_id, row_label, seat_label)
   )`,
  `CREATE INDEX layout_seats_layout ON layout_seats (layout_id, ordinal)`,

  `CREATE TABLE layout_ga_areas (
     id text PRIMARY KEY,
     layout_id text NOT NULL REFERENCES seat_layouts(id) ON DELETE CASCADE,
     name text NOT NULL,
     category text NOT NULL,
     capacity integer NOT NULL CHECK (capacity > 0),
     x real NOT NULL DEFAULT 0,
     y real NOT NULL DEFAULT 0,
     UNIQUE (layout_id, name)
   )`,

  `CREATE TABLE venues (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     name text NOT NULL,
     city text NOT NULL,
     address text NOT NULL DEFAULT '',
     timezone text NOT NULL,
     layout_id text REFERENCES seat_layouts(id) ON DELETE RESTRICT,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX venues_organizer ON venues (organizer_id)`,
  `CREATE INDEX venues_city ON venues (lower(city))`,

  `CREATE TABLE events (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     venue_id text NOT NULL REFERENCES venues(id) ON DELETE RESTRICT,
     layout_id text NOT NULL REFERENCES seat_layouts(id) ON DELETE RESTRICT,
     series_key text NOT NULL,
     title text NOT NULL,
     description text NOT NULL DEFAULT '',
     category text NOT NULL DEFAULT 'other',
     language text NOT NULL DEFAULT '',
     image_url text,
     starts_at timestamptz NOT NULL,
     ends_at timestamptz NOT NULL,
     status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'on_sale', 'sales_closed', 'cancelled')),
     sale_starts_at timestamptz,
     sale_ends_at timestamptz,
     hold_ttl_seconds integer CHECK (hold_ttl_seconds BETWEEN 1 AND 7200),
     search tsvector GENERATED ALWAYS AS (
       setweight(to_tsvector('simple', coalesce(title, '')), 'A') ||
       setweight(to_tsvector('simple', coalesce(category, '') || ' ' || coalesce(language, '')), 'B') ||
       setweight(to_tsvector('english', coalesce(description, '')), 'C')
     ) STORED,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     CHECK (ends_at > starts_at)
   )`,
  `CREATE INDEX events_starts ON events (starts_at)`,
  `CREATE INDEX events_series ON events (series_key, starts_at)`,
  `CREATE INDEX events_venue ON events (venue_id, starts_at)`,
  `CREATE INDEX events_search ON events USING gin (search)`,
  `CREATE INDEX events_title_trgm ON events USING gin (lower(title) gin_trgm_ops)`,

  `CREATE TABLE event_prices (
     event_id text NOT NULL REFERENCES events(id) ON DELETE CASCADE,
     category text NOT NULL,
     amount integer NOT NULL CHECK (amount >= 0),
     PRIMARY KEY (event_id, category)
   )`,

  `CREATE TABLE stops (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     code text NOT NULL,
     name text NOT NULL,
     city text NOT NULL DEFAULT '',
     lat double precision,
     lon double precision,
     timezone text NOT NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (organizer_id, code)
   )`,
  `CREATE INDEX stops_name_trgm ON stops USING gin (lower(name || ' ' || city || ' ' || code) gin_trgm_ops)`,

  `CREATE TABLE routes (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     code text NOT NULL,
     name text NOT NULL,
     mode text NOT NULL CHECK (mode IN ('bus', 'train')),
     default_layout_id text REFERENCES seat_layouts(id) ON DELETE SET NULL,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (organizer_id, code)
   )`,

  `CREATE TABLE route_stops (
     route_id text NOT NULL REFERENCES routes(id) ON DELETE CASCADE,
     stop_index integer NOT NULL CHECK (stop_index >= 0),
     stop_id text NOT NULL REFERENCES stops(id) ON DELETE RESTRICT,
     arrive_offset_min integer NOT NULL CHECK (arrive_offset_min >= 0),
     depart_offset_min integer NOT NULL CHECK (depart_offset_min >= arrive_offset_min),
     PRIMARY KEY (route_id, stop_index)
   )`,

  `CREATE TABLE trips (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     route_id text NOT NULL REFERENCES routes(id) ON DELETE RESTRICT,
     layout_id text NOT NULL REFERENCES seat_layouts(id) ON DELETE RESTRICT,
     service_date date NOT NULL,
     departs_at timestamptz NOT NULL,
     status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'sales_closed', 'cancelled')),
     hold_ttl_seconds integer CHECK (hold_ttl_seconds BETWEEN 1 AND 7200),
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (route_id, departs_at)
   )`,
  `CREATE INDEX trips_service_date ON trips (service_date)`,

  `CREATE TABLE trip_stops (
     trip_id text NOT NULL REFERENCES trips(id) ON DELETE CASCADE,
     stop_index integer NOT NULL CHECK (stop_index >= 0),
     stop_id text NOT NULL REFERENCES stops(id) ON DELETE RESTRICT,
     arrives_at timestamptz NOT NULL,
     departs_at timestamptz NOT NULL,
     PRIMARY KEY (trip_id, stop_index),
     CHECK (departs_at >= arrives_at)
   )`,
  `CREATE INDEX trip_stops_stop_departure ON trip_stops (stop_id, departs_at)`,
  `CREATE INDEX trip_stops_stop_trip ON trip_stops (stop_id, trip_id)`,

  `CREATE TABLE fares (
     id text PRIMARY KEY,
     route_id text NOT NULL REFERENCES routes(id) ON DELETE CASCADE,
     from_index integer NOT NULL CHECK (from_index >= 0),
     to_index integer NOT NULL,
     seat_class text NOT NULL,
     amount integer NOT NULL CHECK (amount >= 0),
     UNIQUE (route_id, from_index, to_index, seat_class),
     CHECK (to_index > from_index)
   )`,

  // ── Inventory ──────────────────────────────────────────────────────────────────────────────────────
  // The database is the authority on what is sold. An event is a trip with one leg: legs = [0,1).
  `CREATE TABLE seat_sales (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     inventory_kind text NOT NULL CHECK (inventory_kind IN ('event', 'trip')),
     inventory_id text NOT NULL,
     seat_id text NOT NULL,
     legs int4range NOT NULL CHECK (NOT isempty(legs)),
     hold_token text,
     order_id text,
     status text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE UNIQUE INDEX seat_sales_event_seat_once ON seat_sales (inventory_id, seat_id)
     WHERE status = 'confirmed' AND inventory_kind = 'event'`,
  `ALTER TABLE seat_sales ADD CONSTRAINT seat_sales_trip_seat_leg_once
     EXCLUDE USING gist (inventory_id WITH =, seat_id WITH =, legs WITH &&)
     WHERE (status = 'confirmed' AND inventory_kind = 'trip')`,
  `CREATE INDEX seat_sales_inventory ON seat_sales (inventory_id) WHERE status = 'confirmed'`,

  // General admission: the counter row with its CHECK is the authority; capacity is copied per event.
  `CREATE TABLE ga_inventory (
     inventory_id text NOT NULL,
     area_id text NOT NULL REFERENCES layout_ga_areas(id) ON DELETE RESTRICT,
     capacity integer NOT NULL CHECK (capacity >= 0),
     sold integer NOT NULL DEFAULT 0,
     PRIMARY KEY (inventory_id, area_id),
     CHECK (sold >= 0 AND sold <= capacity)
   )`,

  // Holds of the SQL hold store (the Redis store keeps its own in Redis).
  `CREATE TABLE holds (
     token text PRIMARY KEY,
     inventory_kind text NOT NULL CHECK (inventory_kind IN ('event', 'trip')),
     inventory_id text NOT NULL,
     owner text NOT NULL,
     from_index integer NOT NULL,
     to_index integer NOT NULL,
     seat_ids text[] NOT NULL,
     ga jsonb NOT NULL DEFAULT '[]',
     created_at timestamptz NOT NULL DEFAULT now(),
     expires_at timestamptz NOT NULL,
     extended boolean NOT NULL DEFAULT false,
     released boolean NOT NULL DEFAULT false
   )`,
  `CREATE INDEX holds_expiry ON holds (expires_at) WHERE NOT released`,

  `CREATE TABLE hold_seats (
     hold_token text NOT NULL REFERENCES holds(token) ON DELETE CASCADE,
     inventory_id text NOT NULL,
     seat_id text NOT NULL,
     legs int4range NOT NULL,
     expires_at timestamptz NOT NULL,
     PRIMARY KEY (hold_token, seat_id)
   )`,
  `CREATE INDEX hold_seats_inventory_seat ON hold_seats (inventory_id, seat_id)`,

  `CREATE TABLE hold_ga (
     hold_token text NOT NULL REFERENCES holds(token) ON DELETE CASCADE,
     inventory_id text NOT NULL,
     area_id text NOT NULL,
     quantity integer NOT NULL CHECK (quantity > 0),
     expires_at timestamptz NOT NULL,
     PRIMARY KEY (hold_token, area_id)
   )`,
  `CREATE INDEX hold_ga_inventory_area ON hold_ga (inventory_id, area_id)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'hold_ga',
    'hold_seats',
    'holds',
    'ga_inventory',
    'seat_sales',
    'fares',
    'trip_stops',
    'trips',
    'route_stops',
    'routes',
    'stops',
    'event_prices',
    'events',
    'venues',
    'layout_ga_areas',
    'layout_seats',
    'layout_sections',
    'seat_layouts',
    'organizers',
    'settings',
  ]) {
    await sql.raw(`DROP TABLE IF EXISTS ${table} CASCADE`).execute(db);
  }
}
