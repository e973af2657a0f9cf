import path from 'node:path';

/** Validated, frozen runtime configuration. Every value comes from the environment. */
export interface Config {
  readonly host: string;
  readonly port: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder for the embedded PGlite database and its lock file (when DATABASE_URL is not set). */
  readonly dataDir: string;
  /** Where the embedded PGlite runs: on a worker thread of its own (default) or in the server's thread. */
  readonly pgliteThread: 'worker' | 'main';
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  /** One URL, or several comma-separated URLs for Redis Cluster seed nodes. */
  readonly redisUrl: string | undefined;
  readonly redisCluster: boolean;
  /** Email of the platform admin created at the first start (ADMIN_EMAIL). */
  readonly adminEmail: string;
  /** Password of that admin (ADMIN_PASSWORD); generated and printed once when unset. */
  readonly adminPassword: string | undefined;
  /** Login, registration and password-change attempts per minute per client address. */
  readonly authRateLimitPerMinute: number;
  /** Secret for signing access tokens; generated and kept in the database when not set. */
  readonly jwtSecret: string | undefined;
  readonly holdTtlSeconds: number;
  readonly holdMaxLifetimeSeconds: number;
  readonly maxSeatsPerHold: number;
  readonly holdRateLimitPerMinute: number;
  readonly sweepIntervalSeconds: number;
  /** Live seat-map streams one process keeps open at most (SEAT_STREAM_MAX_CONNECTIONS). */
  readonly seatStreamMaxConnections: number;
  /** Seed the demo catalog into an empty database (default: only in embedded mode). */
  readonly seedDemo: boolean;
  readonly trustProxy: boolean;
  /** Which payment provider takes the money: the built-in fake gateway (default) or Stripe. */
  readonly paymentProvider: 'fake' | 'stripe';
  readonly stripeSecretKey: string | undefined;
  readonly stripeWebhookSecret: string | undefined;
  /** Where the Stripe SDK sends its requests (a local stand-in in tests); Stripe's own API when unset. */
  readonly stripeApiBase: string | undefined;
  /** HMAC secret of the fake gateway's webhooks; generated and kept in the database when not set. */
  readonly fakeGatewaySecret: string | undefined;
  /** The address buyers reach this server at (pay pages, return URLs); taken from each request when unset. */
  readonly publicUrl: string | undefined;
  /** Run background jobs inside the API process (`serve`); false when separate `boxoffice worker`s run them. */
  readonly jobsInProcess: boolean;
  /** How often an idle job worker asks for new jobs, per queue. */
  readonly jobsPollIntervalMs: number;
  /** Retries after a job's first failure before it goes to its dead-letter queue. */
  readonly jobsRetryLimit: number;
  /** Base delay of the exponential backoff between retries. */
  readonly jobsRetryDelaySeconds: number;
  /** Retries of an organizer webhook delivery (they get longer: an endpoint may be down for a while). */
  readonly webhookRetryLimit: number;
  /** Let webhooks go to loopback and private-network addresses (off: an organizer cannot probe our network). */
  readonly webhookAllowPrivateNetworks: boolean;
  /** smtp:// or smtps:// URL of the mail server; unset: mail goes to the local mailbox in the database. */
  readonly smtpUrl: string | undefined;
  /** The From address of every email. */
  readonly mailFrom: string;
  /** Local hour (0–23, the organizer's time zone) at which the daily sales summary goes out. */
  readonly dailySummaryHour: number;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function readUrl(env: Env, name: string, protocols: string[]): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  for (const part of raw.split(',')) {
    let url: URL;
    try {
      url = new URL(part.trim());
    } catch {
      throw new ConfigError(name, `must be a URL like ${protocols[0]}//host:port, got "${part}"`);
    }
    if (!protocols.includes(url.protocol)) {
      throw new ConfigError(name, `must use ${protocols.join(' or ')}, got "${url.protocol}"`);
    }
  }
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Reads and validates the environment; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  }
  const adminEmail = env.ADMIN_EMAIL?.trim() || 'admin@boxoffice.local';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail) || adminEmail.length > 254) {
    throw new ConfigError('ADMIN_EMAIL', `must be an email address, got "${env.ADMIN_EMAIL}"`);
  }
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && (adminPassword.length < 10 || adminPassword.length > 200)) {
    throw new ConfigError('ADMIN_PASSWORD', 'must be 10 to 200 characters long');
  }
  const jwtSecret = env.JWT_SECRET?.trim() || undefined;
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('JWT_SECRET', 'must be at least 32 characters long');
  }
  const host = env.HOST?.trim() || '127.0.0.1';
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:']);
  const holdTtlSeconds = readInt(env, 'HOLD_TTL_SECONDS', 600, 1, 7200);
  const payments = readPaymentConfig(env);
  const holdMaxLifetimeSeconds = readInt(env, 'HOLD_MAX_LIFETIME_SECONDS', 7200, 5, 86400);
  if (holdMaxLifetimeSeconds < holdTtlSeconds) {
    throw new ConfigError('HOLD_MAX_LIFETIME_SECONDS', `must not be shorter than HOLD_TTL_SECONDS (${holdTtlSeconds})`);
  }
  return Object.freeze({
    host,
    port: readInt(env, 'PORT', 3000, 0, 65535),
    logLevel,
    dataDir: path.resolve(env.DATA_DIR?.trim() || 'data'),
    pgliteThread: readPgliteThread(env),
    databaseUrl: readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    databasePoolSize: readInt(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    redisUrl,
    redisCluster: readBool(env, 'REDIS_CLUSTER', (redisUrl ?? '').includes(',')),
    adminEmail,
    adminPassword,
    authRateLimitPerMinute: readInt(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 10, 1, 10_000_000),
    jwtSecret,
    holdTtlSeconds,
    holdMaxLifetimeSeconds,
    maxSeatsPerHold: readInt(env, 'MAX_SEATS_PER_HOLD', 10, 1, 100),
    holdRateLimitPerMinute: readInt(env, 'HOLD_RATE_LIMIT_PER_MINUTE', 120, 1, 1_000_000_000),
    sweepIntervalSeconds: readInt(env, 'SWEEP_INTERVAL_SECONDS', 30, 1, 3600),
    seatStreamMaxConnections: readInt(env, 'SEAT_STREAM_MAX_CONNECTIONS', 10_000, 1, 1_000_000),
    // Demo data is for the embedded laptop mode; a PostgreSQL deployment seeds only when asked.
    seedDemo: readBool(env, 'SEED_DEMO', !env.DATABASE_URL?.trim()),
    trustProxy: readBool(env, 'TRUST_PROXY', false),
    ...payments,
    ...readJobConfig(env),
  });
}

function readPgliteThread(env: Env): 'worker' | 'main' {
  const value = env.PGLITE_THREAD?.trim() || 'worker';
  if (value !== 'worker' && value !== 'main') {
    throw new ConfigError('PGLITE_THREAD', `must be worker or main, got "${value}"`);
  }
  return value;
}

type JobConfig = Pick<
  Config,
  | 'jobsInProcess'
  | 'jobsPollIntervalMs'
  | 'jobsRetryLimit'
  | 'jobsRetryDelaySeconds'
  | 'webhookRetryLimit'
  | 'webhookAllowPrivateNetworks'
  | 'smtpUrl'
  | 'mailFrom'
  | 'dailySummaryHour'
>;

function readJobConfig(env: Env): JobConfig {
  const mailFrom = env.MAIL_FROM?.trim() || 'Boxoffice <no-reply@boxoffice.local>';
  if (!/^([^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(mailFrom) || mailFrom.length > 254) {
    throw new ConfigError(
      'MAIL_FROM',
      `must be an email address, optionally with a name ("Name <a@b.c>"), got "${mailFrom}"`,
    );
  }
  const smtpUrl = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:']);
  if (smtpUrl?.includes(',')) throw new ConfigError('SMTP_URL', 'must be a single URL');
  return {
    jobsInProcess: readBool(env, 'JOBS_IN_PROCESS', true),
    // pg-boss polls no faster than every 500 ms.
    jobsPollIntervalMs: readInt(env, 'JOBS_POLL_INTERVAL_MS', 2000, 500, 60_000),
    jobsRetryLimit: readInt(env, 'JOBS_RETRY_LIMIT', 5, 0, 20),
    jobsRetryDelaySeconds: readInt(env, 'JOBS_RETRY_DELAY_SECONDS', 30, 1, 3600),
    webhookRetryLimit: readInt(env, 'WEBHOOK_RETRY_LIMIT', 8, 0, 20),
    webhookAllowPrivateNetworks: readBool(env, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS', false),
    smtpUrl,
    mailFrom,
    dailySummaryHour: readInt(env, 'DAILY_SUMMARY_HOUR', 7, 0, 23),
  };
}

type PaymentConfig = Pick<
  Config,
  'paymentProvider' | 'stripeSecretKey' | 'stripeWebhookSecret' | 'stripeApiBase' | 'fakeGatewaySecret' | 'publicUrl'
>;

function readPaymentConfig(env: Env): PaymentConfig {
  const paymentProvider = (env.PAYMENT_PROVIDER?.trim().toLowerCase() || 'fake') as Config['paymentProvider'];
  if (paymentProvider !== 'fake' && paymentProvider !== 'stripe') {
    throw new ConfigError('PAYMENT_PROVIDER', `must be fake or stripe, got "${env.PAYMENT_PROVIDER}"`);
  }
  const stripeSecretKey = env.STRIPE_SECRET_KEY?.trim() || undefined;
  const stripeWebhookSecret = env.STRIPE_WEBHOOK_SECRET?.trim() || undefined;
  if (paymentProvider === 'stripe') {
    if (!stripeSecretKey) throw new ConfigError('STRIPE_SECRET_KEY', 'is required when PAYMENT_PROVIDER=stripe');
    if (!stripeWebhookSecret) {
      throw new ConfigError('STRIPE_WEBHOOK_SECRET', 'is required when PAYMENT_PROVIDER=stripe');
    }
  }
  const fakeGatewaySecret = env.FAKE_GATEWAY_SECRET?.trim() || undefined;
  if (fakeGatewaySecret !== undefined && fakeGatewaySecret.length < 32) {
    throw new ConfigError('FAKE_GATEWAY_SECRET', 'must be at least 32 characters long');
  }
  const publicUrl = readUrl(env, 'PUBLIC_URL', ['http:', 'https:'])?.replace(/\/+$/, '');
  if (publicUrl?.includes(',')) throw new ConfigError('PUBLIC_URL', 'must be a single URL');
  return {
    paymentProvider,
    stripeSecretKey,
    stripeWebhookSecret,
    stripeApiBase: readUrl(env, 'STRIPE_API_BASE', ['http:', 'https:']),
    fakeGatewaySecret,
    publicUrl,
  };
}
