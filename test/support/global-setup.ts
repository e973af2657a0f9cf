import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createPglite, pgliteKysely } from '../../src/db/client.js';
import { inThreadSession } from '../../src/db/pglite-session.js';
import { loadConfig } from '../../src/config.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { installJobQueues } from '../../src/jobs/job-queue.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of a dump of an empty, fully migrated PGlite database ('' when tests use PostgreSQL). */
    pgliteSnapshotPath: string;
  }
}

/**
 * Creating PGlite and migrating it costs seconds; every test file needs a fresh database. So it is done
 * once per run: each test file then starts its own in-memory PGlite from this dump (about 1 s).
 */
export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteSnapshotPath', '');
    return () => undefined;
  }
  const pglite = await createPglite({});
  const { db, pool } = pgliteKysely(inThreadSession(pglite));
  await migrateToLatest(db);
  await installJobQueues(pool, loadConfig({}));
  await db.destroy();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-pglite-snapshot-'));
  const file = path.join(dir, 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteSnapshotPath', file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
