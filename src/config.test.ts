import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults to the embedded mode with nothing configured', () => {
    const config = loadConfig({});
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
    expect(config.port).toBe(3000);
    expect(config.holdTtlSeconds).toBe(600);
    expect(config.holdMaxLifetimeSeconds).toBe(7200);
    expect(config.seedDemo).toBe(true);
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.pgliteThread).toBe('worker');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['HOLD_TTL_SECONDS', '0'],
    ['HOLD_TTL_SECONDS', '-5'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['DATABASE_URL', 'not a url'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['LOG_LEVEL', 'loud'],
    ['SEED_DEMO', 'maybe'],
    ['ADMIN_PASSWORD', 'short'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['AUTH_RATE_LIMIT_PER_MINUTE', '0'],
    ['MAX_SEATS_PER_HOLD', '1.5'],
    ['JOBS_IN_PROCESS', 'sometimes'],
    ['JOBS_POLL_INTERVAL_MS', '100'],
    ['JOBS_RETRY_LIMIT', '50'],
    ['JOBS_RETRY_DELAY_SECONDS', '0'],
    ['WEBHOOK_RETRY_LIMIT', 'x'],
    ['SMTP_URL', 'http://mail.example'],
    ['SMTP_URL', 'smtp://a,smtp://b'],
    ['MAIL_FROM', 'nobody'],
    ['DAILY_SUMMARY_HOUR', '24'],
    ['PGLITE_THREAD', 'gpu'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('refuses a maximum hold lifetime shorter than the TTL', () => {
    expect(() => loadConfig({ HOLD_TTL_SECONDS: '900', HOLD_MAX_LIFETIME_SECONDS: '600' })).toThrow(
      'HOLD_MAX_LIFETIME_SECONDS',
    );
  });

  it('treats several Redis URLs as a cluster and seeds demo data only in embedded mode by default', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://localhost/boxoffice',
      REDIS_URL: 'redis://127.0.0.1:7000,redis://127.0.0.1:7001',
    });
    expect(config.redisCluster).toBe(true);
    expect(config.seedDemo).toBe(false);
  });

  it('runs jobs in the API process and keeps mail in the local mailbox unless told otherwise', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      jobsInProcess: true,
      jobsPollIntervalMs: 2000,
      jobsRetryLimit: 5,
      jobsRetryDelaySeconds: 30,
      webhookRetryLimit: 8,
      webhookAllowPrivateNetworks: false,
      smtpUrl: undefined,
      mailFrom: 'Boxoffice <no-reply@boxoffice.local>',
      dailySummaryHour: 7,
    });
    const configured = loadConfig({
      JOBS_IN_PROCESS: 'false',
      SMTP_URL: 'smtps://user:pass@mail.example:465',
      MAIL_FROM: 'Padma Paribahan <tickets@padma.example>',
    });
    expect(configured).toMatchObject({
      jobsInProcess: false,
      smtpUrl: 'smtps://user:pass@mail.example:465',
      mailFrom: 'Padma Paribahan <tickets@padma.example>',
    });
  });
});
