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
import { NotifyingHoldStore } from './realtime/hold-store.notifying.js';
import type { SeatChangeBus } from './realtime/seat-change-bus.js';
import { MemorySeatChangeBus } from './realtime/seat-change-bus.memory.js';
import { PostgresSeatChangeBus } from './realtime/seat-change-bus.postgres.js';
import { RedisSeatChangeBus } from './realtime/seat-change-bus.redis.js';
import { DEFAULT_SEAT_STREAM_OPTIONS, type SeatStreamHubOptions } from './realtime/seat-stream.service.js';
import { HoldTally } from './reporting/hold-tally.js';

/** Everything the app needs, built once from Config. Tests build their own with other parts. */
export interface AppDeps {
  config: Config;
  database: DatabaseHandle;
  redis: Redis | Cluster | undefined;
  /** The hold store, announcing every change on the seat-change bus. */
  holdStore: HoldStore;
  holdService: HoldService;
  /** Tells every API process which inventories' seats changed (live seat maps). */
  seatChangeBus: SeatChangeBus;
  seatStreamOptions: SeatStreamHubOptions;
  /** Counts holds granted, for the dashboard's abandoned-hold rate. */
  holdTally: HoldTally;
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
  /** Timings of live seat maps (tests shorten them). */
  seatStreamOptions?: Partial<SeatStreamHubOptions>;
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
    const keyPrefix = overrides.redisKeyPrefix ?? 'bo:';
    const innerHoldStore: HoldStore = redis
      ? new RedisHoldStore(redis, database.db, { keyPrefix })
      : new SqlHoldStore(database.db, {
          // PGlite has one connection; on PostgreSQL a few batches at once keep its cores busy while leaving
          // most of the pool to the rest of the app.
          concurrentBatches:
            database.kind === 'pglite' ? 1 : Math.max(1, Math.min(4, Math.floor(config.databasePoolSize / 4))),
        });
    const seatChangeBus = createSeatChangeBus(config, database, redis, keyPrefix);
    const clock = overrides.clock ?? systemClock;
    const holdTally = new HoldTally(database.db, clock, (error) =>
      console.warn(`boxoffice: hold statistics: ${(error as Error).message}`),
    );
    const holdStore = new NotifyingHoldStore(innerHoldStore, [
      { seatsChanged: (inventoryId) => seatChangeBus.publish(inventoryId) },
      holdTally,
    ]);
    const seatStreamOptions: SeatStreamHubOptions = {
      ...DEFAULT_SEAT_STREAM_OPTIONS,
      maxStreams: config.seatStreamMaxConnections,
      ...overrides.seatStreamOptions,
    };
    const metrics = new Metrics();
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
      seatChangeBus,
      seatStreamOptions,
      holdTally,
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
 * Redis pub/sub when Redis is there; PostgreSQL LISTEN/NOTIFY on PostgreSQL without Redis; in-process on
 * PGlite, which has only one process.
 */
function createSeatChangeBus(
  config: Config,
  database: DatabaseHandle,
  redis: Redis | Cluster | undefined,
  keyPrefix: string,
): SeatChangeBus {
  const onError = (error: unknown) => console.warn(`boxoffice: seat-change bus: ${(error as Error).message}`);
  if (redis) return new RedisSeatChangeBus(redis, { keyPrefix, onError });
  if (config.databaseUrl) {
    return new PostgresSeatChangeBus(database.db, { connectionString: config.databaseUrl, onError });
  }
  return new MemorySeatChangeBus();
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
  await deps.seatChangeBus.close();
  await deps.holdTally.close();
  if (deps.redis) deps.redis.disconnect();
  await deps.database.close();
}
