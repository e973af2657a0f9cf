import { randomBytes } from 'node:crypto';
import type { Redis, Cluster } from 'ioredis';
import { ensurePlatformAdmin, type PlatformAdmin } from './auth/auth.service.js';
import type { Config } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { migrateToLatest } from './db/migrate.js';
import { Metrics } from './http/metrics.js';
import type { HoldStore } from './inventory/hold-store.js';
import { SqlHoldStore } from './inventory/hold-store.sql.js';
import { HoldService } from './inventory/hold.service.js';
import { systemClock, type Clock } from './shared/clock.js';
import { connectRedis } from './shared/redis.js';
import { RedisHoldStore } from './inventory/hold-store.redis.js';
import pino from 'pino';
import { registerJobGauge } from './jobs/job-metrics.js';
import { installJobQueues } from './jobs/job-queue.js';
import type { Mailer } from './notifications/mailer.js';
import { MailboxMailer } from './notifications/mailer.mailbox.js';
import type { SmsSender } from './notifications/sms.js';
import { LogSmsSender } from './notifications/sms.log.js';

/** Everything the app needs, built once from Config. Tests build their own with other parts. */
export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  redis: Redis | Cluster | undefined;
  holdStore: HoldStore;
  holdService: HoldService;
  metrics: Metrics;
  clock: Clock;
  /** The platform admin ensured at start (created on the first start); null if its email was taken. */
  platformAdmin: PlatformAdmin | null;
  /** Secret that signs access tokens (JWT_SECRET, else generated once and kept in the database). */
  jwtSecret: string;
  /** Email: SMTP when SMTP_URL is set, else the local mailbox in the database. */
  mailer: Mailer;
  /** Text messages (the logging adapter unless another provider is wired in). */
  sms: SmsSender;
}

export interface ContainerOverrides {
  clock?: Clock;
  /** Use an in-memory PGlite instead of DATA_DIR (tests). */
  inMemory?: boolean;
  /** Prefix for every Redis key (tests isolate themselves with it). */
  redisKeyPrefix?: string;
  /** With inMemory: start PGlite from this migrated snapshot instead of an empty database (tests). */
  pgliteSnapshot?: Blob;
}

/** Composition root: picks the adapters the configuration asks for. */
export async function createContainer(config: Config, overrides: ContainerOverrides = {}): Promise<AppDeps> {
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl || overrides.inMemory ? undefined : config.dataDir,
    poolSize: config.databasePoolSize,
    pgliteSnapshot: overrides.pgliteSnapshot,
    pgliteThread: config.pgliteThread,
  });
  try {
    await migrateToLatest(database.db);
    const redis = config.redisUrl ? await connectRedis(config.redisUrl, config.redisCluster) : undefined;
    const holdStore: HoldStore = redis
      ? new RedisHoldStore(redis, database.db, { keyPrefix: overrides.redisKeyPrefix ?? 'bo:' })
      : new SqlHoldStore(database.db, {
          // PGlite has one connection; on PostgreSQL a few batches at once keep its cores busy while leaving
          // most of the pool to the rest of the app.
          concurrentBatches:
            database.kind === 'pglite' ? 1 : Math.max(1, Math.min(4, Math.floor(config.databasePoolSize / 4))),
        });
    const metrics = new Metrics();
    const clock = overrides.clock ?? systemClock;
    const holdService = new HoldService({ db: database.db, holdStore, config, metrics, clock });
    const jwtSecret = config.jwtSecret ?? (await storedSecret(database, 'jwt_secret', ''));
    const platformAdmin = await ensurePlatformAdmin(database.db, {
      email: config.adminEmail,
      password: config.adminPassword,
    });
    await installJobQueues(database.pool, config);
    registerJobGauge(metrics, database.db);
    // nodemailer is loaded only when mail goes out by SMTP: the embedded start stays lean.
    const mailer: Mailer = config.smtpUrl
      ? new (await import('./notifications/mailer.smtp.js')).SmtpMailer(config.smtpUrl)
      : new MailboxMailer(database.db);
    const sms = new LogSmsSender(pino({ level: config.logLevel, name: 'sms' }));
    return {
      config,
      database,
      redis,
      holdStore,
      holdService,
      metrics,
      clock,
      platformAdmin,
      jwtSecret,
      mailer,
      sms,
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

/**
 * A secret generated at first start and kept in the settings table, so every process and every restart
 * of one deployment agrees on it without configuration.
 */
async function storedSecret(database: DatabaseHandle, key: string, prefix: string): Promise<string> {
  const generated = `${prefix}${randomBytes(32).toString('base64url')}`;
  await database.db
    .insertInto('settings')
    .values({ key, value: generated })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await database.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

export async function closeContainer(deps: AppDeps): Promise<void> {
  await deps.mailer.close();
  await deps.holdStore.close();
  if (deps.redis) deps.redis.disconnect();
  await deps.database.close();
}
