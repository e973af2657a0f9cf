import { sql, type Kysely } from 'kysely';

/**
 * What the organizer console reads: how many holds were made (for the abandoned-hold rate — holds
 * themselves are deleted by the sweeper, or live only in Redis), and indexes for reports by confirmation
 * time and for finding an order by the buyer's name or email.
 *
 * hold_stats counts holds created per inventory per quarter hour (every real time zone is a whole number
 * of quarter hours from UTC, so any organizer's day is a whole number of buckets). API processes add to it
 * in batches (src/reporting/hold-tally.ts), not one write per hold.
 */
const statements = [
  `CREATE TABLE hold_stats (
     inventory_id text NOT NULL,
     bucket timestamptz NOT NULL,
     holds_created integer NOT NULL CHECK (holds_created >= 0),
     PRIMARY KEY (inventory_id, bucket)
   )`,
  `CREATE INDEX hold_stats_bucket ON hold_stats (bucket)`,
  `CREATE INDEX orders_organizer_confirmed ON orders (organizer_id, confirmed_at) WHERE confirmed_at IS NOT NULL`,
  `CREATE INDEX orders_organizer_cancelled ON orders (organizer_id, cancelled_at) WHERE cancelled_at IS NOT NULL`,
  `CREATE INDEX users_search_trgm ON users USING gin (lower(name || ' ' || email) gin_trgm_ops)`,
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql.raw('DROP INDEX IF EXISTS users_search_trgm').execute(db);
  await sql.raw('DROP INDEX IF EXISTS orders_organizer_cancelled').execute(db);
  await sql.raw('DROP INDEX IF EXISTS orders_organizer_confirmed').execute(db);
  await sql.raw('DROP TABLE IF EXISTS hold_stats').execute(db);
}
