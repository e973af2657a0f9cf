import type { Transaction } from 'kysely';
import { organizerScope, scopeOrganizerFilter, type Principal } from '../auth/principal.js';
import type { Db } from '../db/client.js';
import type { Database } from '../db/schema.js';
import { notFound } from '../shared/errors.js';
import { reopenDelivery } from '../webhooks/webhook.repository.js';
import { DEAD_LETTER_SUFFIX, deleteJob, enqueueJob, QUEUES, type QueueName } from './job-queue.js';
import { countJobsByState, listDeadLetters, lockDeadLetter, type DeadLetterRow } from './jobs.repository.js';

export interface DeadLetter {
  id: string;
  queue: string;
  organizerId: string | null;
  data: Record<string, unknown>;
  error: string | null;
  deadSince: string;
}

const KNOWN_QUEUES = new Set<string>(Object.values(QUEUES));

function originalQueueOf(row: DeadLetterRow): QueueName | null {
  const name = row.name.slice(0, -DEAD_LETTER_SUFFIX.length);
  return KNOWN_QUEUES.has(name) ? (name as QueueName) : null;
}

function present(row: DeadLetterRow): DeadLetter {
  const data = row.data ?? {};
  return {
    id: row.id,
    queue: originalQueueOf(row) ?? row.name,
    organizerId: typeof data.organizerId === 'string' ? data.organizerId : null,
    data,
    error: row.output?.message ?? null,
    deadSince: row.created_on.toISOString(),
  };
}

/** What the retried job's own records must say before it runs again (a failed delivery is pending again). */
async function reopenSubject(trx: Transaction<Database>, queue: QueueName, data: Record<string, unknown>, now: Date) {
  if (queue === QUEUES.webhook && typeof data.deliveryId === 'string') {
    await reopenDelivery(trx, data.deliveryId, now);
  }
  if ((queue === QUEUES.email || queue === QUEUES.sms) && typeof data.notificationId === 'string') {
    await trx
      .updateTable('notifications')
      .set({ status: 'pending', updated_at: now })
      .where('id', '=', data.notificationId)
      .where('status', '=', 'failed')
      .execute();
  }
}

/**
 * The dead-letter queues: jobs whose last retry failed wait there. Admins see all of them; organizer
 * staff see and retry only those about their organizer (jobs carry `organizerId`). A retry puts the job
 * back on its queue — with a fresh set of retries — and removes the dead letter, in one transaction.
 */
export class JobsService {
  constructor(
    private readonly db: Db,
    private readonly clock: { now(): Date },
  ) {}

  async listDeadLetters(
    principal: Principal,
    filter: { organizerId?: string; queue?: string; limit: number; offset: number },
  ): Promise<DeadLetter[]> {
    const scope = scopeOrganizerFilter(principal, filter.organizerId);
    if (!scope) return [];
    const rows = await listDeadLetters(this.db, {
      organizerId: scope.organizerId,
      queue: filter.queue,
      limit: filter.limit,
      offset: filter.offset,
    });
    return rows.map(present);
  }

  async retryDeadLetter(principal: Principal, id: string): Promise<{ id: string; queue: string; jobId: string }> {
    return this.db.transaction().execute(async (trx) => {
      const row = await lockDeadLetter(trx, id);
      const own = organizerScope(principal);
      const queue = row ? originalQueueOf(row) : null;
      if (!row || !queue || (own !== undefined && row.data?.organizerId !== own)) throw notFound('Dead letter', id);
      const data = row.data ?? {};
      await reopenSubject(trx, queue, data, this.clock.now());
      const jobId = await enqueueJob(trx, queue, data);
      await deleteJob(trx, row.name, row.id);
      return { id, queue, jobId: jobId ?? '' };
    });
  }

  /** Jobs per queue and state, and dead letters waiting per queue (admins). */
  async queueSizes(): Promise<{ queue: string; states: Record<string, number>; deadLetters: number }[]> {
    const counts = await countJobsByState(this.db);
    const byQueue = new Map<string, { queue: string; states: Record<string, number>; deadLetters: number }>();
    for (const queue of Object.values(QUEUES)) byQueue.set(queue, { queue, states: {}, deadLetters: 0 });
    for (const { name, state, size } of counts) {
      if (name.endsWith(DEAD_LETTER_SUFFIX)) {
        const entry = byQueue.get(name.slice(0, -DEAD_LETTER_SUFFIX.length));
        if (entry && state === 'created') entry.deadLetters += size;
      } else {
        const entry = byQueue.get(name);
        if (entry) entry.states[state] = size;
      }
    }
    return [...byQueue.values()];
  }
}
