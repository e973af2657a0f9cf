import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/client.js';
import type { Database } from '../db/schema.js';
import { DEAD_LETTER_SUFFIX } from './job-queue.js';

/** SQL over pg-boss's tables (schema pgboss) for what staff see: dead letters and queue sizes. */
type Executor = Db | Transaction<Database>;

export interface DeadLetterRow {
  id: string;
  name: string;
  data: Record<string, unknown> | null;
  output: { message?: string; name?: string } | null;
  created_on: Date;
}

/** Jobs waiting in dead-letter queues, newest first; `organizerId` limits them to one organizer's. */
export async function listDeadLetters(
  db: Executor,
  filter: { organizerId: string | undefined; queue: string | undefined; limit: number; offset: number },
): Promise<DeadLetterRow[]> {
  const { rows } = await sql<DeadLetterRow>`
    SELECT id, name, data, output, created_on
      FROM pgboss.job
     WHERE name LIKE ${`%${DEAD_LETTER_SUFFIX}`} AND state = 'created'
       ${filter.queue !== undefined ? sql`AND name = ${`${filter.queue}${DEAD_LETTER_SUFFIX}`}` : sql``}
       ${filter.organizerId !== undefined ? sql`AND data->>'organizerId' = ${filter.organizerId}` : sql``}
     ORDER BY created_on DESC, id DESC
     LIMIT ${filter.limit} OFFSET ${filter.offset}`.execute(db);
  return rows;
}

/** One dead letter, locked for its retry (a second retry of it at the same time waits, then finds it gone). */
export async function lockDeadLetter(trx: Transaction<Database>, id: string): Promise<DeadLetterRow | undefined> {
  const { rows } = await sql<DeadLetterRow>`
    SELECT id, name, data, output, created_on
      FROM pgboss.job
     WHERE id = ${id}::uuid AND name LIKE ${`%${DEAD_LETTER_SUFFIX}`} AND state = 'created'
       FOR UPDATE`.execute(trx);
  return rows[0];
}

/** Jobs per queue and state (completed jobs are archived after 12 h, so those counts are recent ones). */
export async function countJobsByState(db: Executor): Promise<{ name: string; state: string; size: number }[]> {
  const { rows } = await sql<{ name: string; state: string; size: number }>`
    SELECT name, state::text AS state, count(*)::int AS size FROM pgboss.job GROUP BY name, state ORDER BY name, state`.execute(
    db,
  );
  return rows;
}
