import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { closeContainer, createContainer, type AppDeps } from '../../src/container.js';
import { enqueueDomainEvent } from '../../src/jobs/domain-events.js';
import { startJobRunner } from '../../src/jobs/job-runner.js';
import { createTestUser } from '../support/auth.js';
import { bookOrder, createPricedEvent } from '../support/payments.js';
import { createPostgresDatabase, databaseKind, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { pay } from './cancellation.fixtures.js';

/**
 * The job is part of the commit: a process that confirms an order and stops before any worker ran loses
 * no email — the next process to run jobs on that database sends it. And a change that rolls back leaves
 * no job behind. The database outlives the processes here: a data folder on disk (PGlite) or a PostgreSQL
 * database of its own.
 */
describe(`a crash between commit and send loses no notification (${databaseKind})`, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  async function persistentEnv(): Promise<Record<string, string>> {
    if (process.env.DATABASE_URL) {
      const database = await createPostgresDatabase(process.env.DATABASE_URL);
      cleanups.push(database.drop);
      return { DATABASE_URL: database.url };
    }
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-crash-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    return { DATA_DIR: dataDir };
  }

  async function startProcess(env: Record<string, string>): Promise<{ app: FastifyInstance; deps: AppDeps }> {
    const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'false', DATABASE_POOL_SIZE: '5', ...env });
    const deps = await createContainer(config);
    const app = await buildApp(deps, { logger: false });
    await app.ready();
    return { app, deps };
  }

  async function jobsOf(deps: AppDeps, queue: string) {
    const { rows } = await sql<{ state: string; data: { orderId?: string } }>`
      SELECT state::text AS state, data FROM pgboss.job WHERE name = ${queue}`.execute(deps.database.db);
    return rows;
  }

  it(
    'sends the confirmation committed by a process that stopped before its worker ran',
    { timeout: 120_000 },
    async () => {
      const env = await persistentEnv();

      // First process: no job workers (as if they had not started yet, or had crashed).
      const first = await startProcess(env);
      const t = { app: first.app, deps: first.deps } as TestApp;
      const buyer = await createTestUser(t);
      const event = await createPricedEvent(t);
      const order = await bookOrder(t, buyer, { event, seatCount: 1 });
      await pay(t, buyer, order.orderId);

      // A change that rolls back takes its job with it.
      await expect(
        first.deps.database.db.transaction().execute(async (trx) => {
          await enqueueDomainEvent(trx, event.organizerId, { type: 'order.confirmed', orderId: 'ord_rolledback00' });
          throw new Error('the change failed after its event was enqueued');
        }),
      ).rejects.toThrow('the change failed');

      const committed = await jobsOf(first.deps, 'domain-events');
      expect(committed.map((job) => job.data.orderId)).toEqual([order.orderId]);
      expect(committed[0]!.state).toBe('created');
      const mailBefore = await first.deps.database.db.selectFrom('mailbox_messages').select('id').execute();
      expect(mailBefore).toEqual([]);
      await first.app.close();
      await closeContainer(first.deps);

      // The next process on the same database runs the jobs it finds there.
      const second = await startProcess(env);
      const runner = await startJobRunner(second.deps, {
        info: () => undefined,
        warn: () => undefined,
        error: () => undefined,
      });
      cleanups.push(async () => {
        await runner.stop(2_000);
        await second.app.close();
        await closeContainer(second.deps);
      });
      const mail = await waitFor(
        async () => {
          const rows = await second.deps.database.db
            .selectFrom('mailbox_messages')
            .select(['id', 'kind', 'order_id', 'to_address'])
            .execute();
          return rows.length > 0 ? rows : undefined;
        },
        60_000,
        'the confirmation in the mailbox',
      );
      expect(mail).toEqual([
        expect.objectContaining({ kind: 'booking_confirmed', order_id: order.orderId, to_address: buyer.email }),
      ]);
      const after = await jobsOf(second.deps, 'domain-events');
      expect(after.map((job) => job.state)).toEqual(['completed']);
      const notifications = await second.deps.database.db
        .selectFrom('notifications')
        .select(['order_id', 'status'])
        .execute();
      expect(notifications).toEqual([{ order_id: order.orderId, status: 'sent' }]);
    },
  );
});
