import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.js';
import { signAccessToken } from '../../src/auth/principal.js';
import { loadConfig, type Config } from '../../src/config.js';
import { closeContainer, createContainer, type AppDeps, type ContainerOverrides } from '../../src/container.js';
import { startJobRunner, type JobRunner } from '../../src/jobs/job-runner.js';
import type { Clock } from '../../src/shared/clock.js';

/**
 * Test harness. Each test file gets its own database: a fresh in-memory PGlite, or — when DATABASE_URL is
 * set (CI's second pass) — a new PostgreSQL database created for it. Redis keys get a unique prefix.
 */
export type HoldStoreKind = 'sql' | 'redis';

/** Hold stores available in this run: SQL always, Redis when REDIS_URL is set. */
export function availableHoldStores(): HoldStoreKind[] {
  return process.env.REDIS_URL ? ['sql', 'redis'] : ['sql'];
}

export const databaseKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  /** Headers that authenticate as the platform admin created at start. */
  adminHeaders: { authorization: string };
  /** Base URL when started with `listen: true`. */
  url: string;
  /** The job workers, when started with `jobs: true` (or later with startJobs). */
  jobs: JobRunner | undefined;
  /** Starts the job workers in this test app (as `serve` does with JOBS_IN_PROCESS). */
  startJobs(): Promise<JobRunner>;
  /** The PostgreSQL database of this app (undefined on PGlite) and its Redis key prefix. */
  shared: { databaseUrl: string | undefined; redisKeyPrefix: string };
  close(): Promise<void>;
}

export interface TestAppOptions {
  holdStore?: HoldStoreKind;
  /** Start a real HTTP listener on 127.0.0.1 (for race tests over real HTTP). */
  listen?: boolean;
  env?: Record<string, string>;
  clock?: Clock;
  /** Run the background job workers (notifications, webhooks, scheduled work) like `serve` does. */
  jobs?: boolean;
  /** Serve this built web app at `/` (browser tests: web/dist). */
  webRoot?: string;
  /**
   * Another API process of the same deployment: this app uses that app's PostgreSQL database and Redis key
   * prefix (PostgreSQL only: PGlite belongs to one process). The first app drops the database.
   */
  sameDeploymentAs?: TestApp;
  overrides?: Pick<ContainerOverrides, 'seatStreamOptions'>;
}

export async function createPostgresDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bo_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

function adminHeadersOf(app: FastifyInstance, deps: AppDeps): { authorization: string } {
  if (!deps.platformAdmin) throw new Error('The test app has no platform admin');
  const token = signAccessToken(app, { userId: deps.platformAdmin.userId, role: 'admin', organizerId: null });
  return { authorization: `Bearer ${token}` };
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const holdStore = options.holdStore ?? 'sql';
  if (holdStore === 'redis' && !process.env.REDIS_URL) throw new Error('REDIS_URL is not set');
  const sibling = options.sameDeploymentAs;
  if (sibling && !sibling.shared.databaseUrl) throw new Error('Only apps on PostgreSQL can share a database');
  const pgDb = sibling
    ? { url: sibling.shared.databaseUrl!, drop: async () => undefined }
    : process.env.DATABASE_URL
      ? await createPostgresDatabase(process.env.DATABASE_URL)
      : undefined;
  const redisKeyPrefix = sibling?.shared.redisKeyPrefix ?? `bo-test-${randomBytes(6).toString('hex')}:`;
  const config: Config = loadConfig({
    LOG_LEVEL: 'silent',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
    HOLD_RATE_LIMIT_PER_MINUTE: '1000000',
    DATABASE_POOL_SIZE: '10',
    ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
    ...(holdStore === 'redis' ? { REDIS_URL: process.env.REDIS_URL! } : {}),
    ...options.env,
  });
  const snapshotPath = inject('pgliteSnapshotPath');
  const deps = await createContainer(config, {
    inMemory: true,
    ...(snapshotPath && !pgDb ? { pgliteSnapshot: new Blob([fs.readFileSync(snapshotPath)]) } : {}),
    redisKeyPrefix,
    ...(options.clock ? { clock: options.clock } : {}),
    ...options.overrides,
  });
  const app = await buildApp(deps, { logger: false, webRoot: options.webRoot });
  let url = '';
  if (options.listen) {
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  } else {
    await app.ready();
  }
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const testApp: TestApp = {
    app,
    deps,
    adminHeaders: adminHeadersOf(app, deps),
    url,
    jobs: undefined,
    startJobs: async () => {
      testApp.jobs ??= await startJobRunner(deps, silent);
      return testApp.jobs;
    },
    shared: { databaseUrl: pgDb?.url, redisKeyPrefix },
    close: async () => {
      await testApp.jobs?.stop(2_000);
      await app.close();
      await closeContainer(deps);
      await pgDb?.drop();
    },
  };
  if (options.jobs) await testApp.startJobs();
  return testApp;
}
