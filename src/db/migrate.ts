import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './client.js';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_hold_function.js';
import * as m0003 from './migrations/0003_checkout.js';
import * as m0004 from './migrations/0004_hold_lookup.js';
import * as m0006 from './migrations/0006_fake_gateway.js';
import * as m0007 from './migrations/0007_jobs_notifications.js';
import * as m0011 from './migrations/0011_hold_batches.js';
import * as m0008 from './migrations/0008_gtfs.js';
import * as m0009 from './migrations/0009_console.js';

/** Migrations are imported statically so they run the same from source (tsx) and from a build. */
const migrations: Record<string, Migration> = {
  '0001_initial': m0001,
  '0002_hold_function': m0002,
  '0003_checkout': m0003,
  '0004_hold_lookup': m0004,
  '0006_fake_gateway': m0006,
  '0007_jobs_notifications': m0007,
  '0011_hold_batches': m0011,
  '0008_gtfs': m0008,
  '0009_console': m0009,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<void> {
  // Features are developed on parallel branches, each adding its own numbered migration; a database that
  // already ran a later-numbered one must still accept an earlier-numbered one merged after it.
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error || failed) {
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
