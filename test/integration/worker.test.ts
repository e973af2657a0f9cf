import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestUser } from '../support/auth.js';
import { bookOrder } from '../support/payments.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait.js';
import { pay } from './cancellation.fixtures.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `boxoffice worker` as a process of its own, as an operator starts it next to API processes. */
function startWorker(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? '')),
  );
  return { child, output: () => output, exited };
}

describe(`boxoffice worker (${databaseKind})`, () => {
  it('refuses to start on the embedded database, which belongs to the one serve process', async () => {
    const worker = startWorker({ DATABASE_URL: '', DATA_DIR: path.join(ROOT, 'data-worker-test-never-created') });
    expect(await worker.exited).toBe(1);
    expect(worker.output()).toContain('DATABASE_URL is required for boxoffice worker');
  });

  describe.runIf(databaseKind === 'postgres')('on PostgreSQL (runs when DATABASE_URL is set)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { JOBS_IN_PROCESS: 'false' } });
    });
    afterAll(async () => t?.close());

    it(
      'runs the jobs an API process committed, and on SIGTERM finishes and exits 0',
      { timeout: 120_000 },
      async () => {
        const buyer = await createTestUser(t);
        const order = await bookOrder(t, buyer, { seatCount: 1 });
        await pay(t, buyer, order.orderId);
        const worker = startWorker({ DATABASE_URL: t.deps.config.databaseUrl, JOBS_POLL_INTERVAL_MS: '500' });
        try {
          await waitFor(
            async () =>
              (await t.deps.database.db
                .selectFrom('mailbox_messages')
                .select('id')
                .where('order_id', '=', order.orderId)
                .executeTakeFirst()) !== undefined,
            90_000,
            'the worker to send the confirmation',
          );
          expect(worker.output()).toContain('boxoffice worker is running jobs');
        } finally {
          worker.child.kill('SIGTERM');
        }
        expect(await worker.exited).toBe(0);
        expect(worker.output()).toContain('boxoffice worker stopped');
      },
    );
  });
});
