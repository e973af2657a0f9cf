import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../src/db/client.js';

/**
 * The embedded database's session, on a worker thread (the default) and in the server's thread
 * (PGLITE_THREAD=main): the same behaviour through the app's one pg.Pool. About PGlite only, so skipped on
 * CI's PostgreSQL pass.
 */
const onPostgres = Boolean(process.env.DATABASE_URL);
if (onPostgres) console.log('Skipping the PGlite session tests: DATABASE_URL is set (they are about PGlite).');

describe.skipIf(onPostgres).each(['worker', 'main'] as const)('embedded PGlite session (%s thread)', (thread) => {
  const opened: DatabaseHandle[] = [];
  const folders: string[] = [];
  afterAll(async () => {
    for (const handle of opened) await handle.close().catch(() => undefined);
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  async function open(dataDir?: string): Promise<DatabaseHandle> {
    const handle = await openDatabase({ dataDir, pgliteThread: thread });
    opened.push(handle);
    return handle;
  }

  it('runs queries, survives a failed statement, and rolls back a transaction that throws', async () => {
    const { db } = await open();
    await sql`CREATE TABLE probe (id int PRIMARY KEY, label text NOT NULL)`.execute(db);
    await sql`INSERT INTO probe VALUES (${1}, ${'one'})`.execute(db);
    await expect(sql`INSERT INTO probe VALUES (${1}, ${'again'})`.execute(db)).rejects.toMatchObject({
      code: '23505',
    });
    await expect(
      db.transaction().execute(async (trx) => {
        await sql`INSERT INTO probe VALUES (${2}, ${'two'})`.execute(trx);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await sql<{ id: number }>`SELECT id FROM probe ORDER BY id`.execute(db);
    expect(rows).toEqual([{ id: 1 }]);
    // Many callers at once share the one session without mixing their answers up.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sql<{ n: number }>`SELECT ${i}::int AS n`.execute(db)),
    );
    expect(answers.map((answer) => answer.rows[0]!.n)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('keeps what it wrote in a data folder across a close and a reopen', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), `bo-pglite-${thread}-`));
    folders.push(folder);
    const first = await open(folder);
    await sql`CREATE TABLE kept (note text)`.execute(first.db);
    await sql`INSERT INTO kept VALUES (${'still here'})`.execute(first.db);
    await first.close();
    const second = await open(folder);
    const { rows } = await sql<{ note: string }>`SELECT note FROM kept`.execute(second.db);
    expect(rows).toEqual([{ note: 'still here' }]);
  });
});
