import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { statementName } from '../../src/db/prepared-statements.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * Every parameterized query runs as a named prepared statement (src/db/prepared-statements.ts), on
 * PostgreSQL and on PGlite alike, through the app's own pool.
 */
describe(`prepared statements (${databaseKind})`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const prepared = async (client: { query: (text: string) => Promise<{ rows: { name: string }[] }> }) =>
    (await client.query('SELECT name FROM pg_prepared_statements')).rows.map((row) => row.name);

  it('prepares a parameterized query once per connection and reuses it; plain and huge queries stay unnamed', async () => {
    const client = await t.deps.database.pool.connect();
    try {
      const text = 'SELECT $1::int + 1 AS answer';
      expect((await client.query(text, [41])).rows).toEqual([{ answer: 42 }]);
      expect((await client.query(text, [1])).rows).toEqual([{ answer: 2 }]);
      const names = await prepared(client);
      expect(names.filter((name) => name === statementName(text))).toHaveLength(1);

      const huge = `SELECT $1::int AS n ${' '.repeat(5000)}`;
      await client.query(huge, [1]);
      expect(await prepared(client)).not.toContain(statementName(huge));
    } finally {
      client.release();
    }
  });

  it('recovers when a schema change makes a prepared statement stale: one 503-able failure, then fresh plans', async () => {
    const db = t.deps.database.db;
    await sql`CREATE TABLE prep_probe (id int PRIMARY KEY, label text)`.execute(db);
    await sql`INSERT INTO prep_probe VALUES (1, 'one')`.execute(db);
    const client = await t.deps.database.pool.connect();
    try {
      const text = 'SELECT * FROM prep_probe WHERE id = $1';
      expect((await client.query(text, [1])).rows).toEqual([{ id: 1, label: 'one' }]);
      await client.query('ALTER TABLE prep_probe ADD COLUMN extra text');
      await expect(client.query(text, [1])).rejects.toThrow(/cached plan must not change result type/);
      expect((await client.query(text, [1])).rows).toEqual([{ id: 1, label: 'one', extra: null }]);
    } finally {
      client.release();
    }
  });
});
