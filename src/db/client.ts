import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { pglitePoolConfig } from './pglite-connection.js';
import { inThreadSession, startWorkerSession, type PgliteSession } from './pglite-session.js';
import { PreparingClient } from './prepared-statements.js';
import type { Database } from './schema.js';

// int8 (counts, identities) fits in a JS number for every value we store; dates stay 'YYYY-MM-DD' strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  readonly db: Db;
  readonly pool: pg.Pool;
  readonly kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres://… ; when absent, an embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder for PGlite data; `undefined` with no databaseUrl means in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  /** Start an in-memory PGlite from this data-folder dump (tests start from a migrated snapshot). */
  pgliteSnapshot?: Blob | undefined;
  /** Run PGlite on a worker thread (default) or in this thread (pglite-session.ts). */
  pgliteThread?: 'worker' | 'main';
}

/** Starts PGlite with the extensions the schema needs, from a folder, a snapshot, or empty in memory. */
export function createPglite(options: { dataDir?: string | undefined; snapshot?: Blob | undefined }): Promise<PGlite> {
  return PGlite.create({
    dataDir: options.dataDir ? path.join(options.dataDir, 'pglite') : undefined,
    ...(options.snapshot ? { loadDataDir: options.snapshot } : {}),
    extensions: { btree_gist, pg_trgm },
  });
}

/** A Kysely instance over one pg.Pool on the given PGlite session. */
export function pgliteKysely(session: PgliteSession): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool(pglitePoolConfig(session) as pg.PoolConfig);
  pool.on('error', () => undefined);
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}

/** Opens PostgreSQL or PGlite behind one pg.Pool and one Kysely instance: the app has no second code path. */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      Client: PreparingClient,
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 20,
      // A transaction must never wait forever on a lock: fail, answer 503, let the client retry.
      options: '-c lock_timeout=5000 -c statement_timeout=30000 -c idle_in_transaction_session_timeout=60000',
    });
    pool.on('error', () => undefined); // an idle client lost its server; the pool replaces it
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      pool,
      kind: 'postgres',
      close: async () => {
        await db.destroy();
      },
    };
  }

  let lock: DataDirLock | undefined;
  if (options.dataDir) lock = lockDataDir(options.dataDir);
  let session: PgliteSession;
  try {
    session =
      options.pgliteThread === 'main'
        ? inThreadSession(await createPglite({ dataDir: options.dataDir, snapshot: options.pgliteSnapshot }))
        : await startWorkerSession({
            dataDir: options.dataDir ? path.join(options.dataDir, 'pglite') : undefined,
            snapshot: options.pgliteSnapshot,
          });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const { db, pool } = pgliteKysely(session);
  return {
    db,
    pool,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      await session.close();
      lock?.release();
    },
  };
}
