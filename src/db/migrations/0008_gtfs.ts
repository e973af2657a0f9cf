import { sql, type Kysely } from 'kysely';

/**
 * GTFS import: a feed per organizer (its key says which imports are the same feed), the GTFS ids kept on
 * the stops, routes and trips an import wrote (so a newer feed updates them instead of duplicating them),
 * and one row per import run with its phase, counts and problems (polled by the console).
 */
const statements = [
  `CREATE TABLE gtfs_feeds (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE RESTRICT,
     key text NOT NULL,
     name text NOT NULL,
     timezone text NOT NULL,
     feed_version text,
     last_imported_at timestamptz,
     created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (organizer_id, key)
   )`,

  `ALTER TABLE stops ADD COLUMN gtfs_feed_id text REFERENCES gtfs_feeds(id) ON DELETE RESTRICT`,
  `ALTER TABLE stops ADD COLUMN gtfs_id text`,
  `CREATE UNIQUE INDEX stops_gtfs ON stops (gtfs_feed_id, gtfs_id) WHERE gtfs_feed_id IS NOT NULL`,

  `ALTER TABLE routes ADD COLUMN gtfs_feed_id text REFERENCES gtfs_feeds(id) ON DELETE RESTRICT`,
  `ALTER TABLE routes ADD COLUMN gtfs_id text`,
  // One Boxoffice route per distinct stop sequence of a GTFS route: the key is a hash of that sequence.
  `ALTER TABLE routes ADD COLUMN gtfs_pattern text`,
  // Name, mode, offsets and fares as last imported: an unchanged route is left alone by a re-import.
  `ALTER TABLE routes ADD COLUMN gtfs_fingerprint text`,
  `CREATE UNIQUE INDEX routes_gtfs ON routes (gtfs_feed_id, gtfs_id, gtfs_pattern) WHERE gtfs_feed_id IS NOT NULL`,

  `ALTER TABLE trips ADD COLUMN gtfs_feed_id text REFERENCES gtfs_feeds(id) ON DELETE RESTRICT`,
  `ALTER TABLE trips ADD COLUMN gtfs_id text`,
  // Pattern and times of the trip as last imported: an unchanged trip is left alone by a re-import.
  `ALTER TABLE trips ADD COLUMN gtfs_fingerprint text`,
  `CREATE UNIQUE INDEX trips_gtfs ON trips (gtfs_feed_id, service_date, gtfs_id) WHERE gtfs_feed_id IS NOT NULL`,

  `CREATE TABLE gtfs_imports (
     id text PRIMARY KEY,
     organizer_id text NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
     feed_key text,
     feed_id text REFERENCES gtfs_feeds(id) ON DELETE SET NULL,
     source text NOT NULL,
     status text NOT NULL CHECK (status IN ('running', 'succeeded', 'rejected', 'failed')),
     phase text NOT NULL,
     options jsonb NOT NULL DEFAULT '{}',
     counts jsonb NOT NULL DEFAULT '{}',
     problems jsonb NOT NULL DEFAULT '[]',
     problem_counts jsonb NOT NULL DEFAULT '[]',
     result jsonb,
     error text,
     created_by text,
     created_at timestamptz NOT NULL DEFAULT now(),
     updated_at timestamptz NOT NULL DEFAULT now(),
     finished_at timestamptz
   )`,
  `CREATE INDEX gtfs_imports_organizer ON gtfs_imports (organizer_id, created_at DESC)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP TABLE IF EXISTS gtfs_imports').execute(db);
  for (const table of ['trips', 'routes', 'stops']) {
    await sql.raw(`DROP INDEX IF EXISTS ${table}_gtfs`).execute(db);
    for (const column of ['gtfs_feed_id', 'gtfs_id', 'gtfs_pattern', 'gtfs_fingerprint']) {
      await sql.raw(`ALTER TABLE ${table} DROP COLUMN IF EXISTS ${column}`).execute(db);
    }
  }
  await sql.raw('DROP TABLE IF EXISTS gtfs_feeds').execute(db);
}
