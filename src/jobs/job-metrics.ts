import client from 'prom-client';
import type { Db } from '../db/client.js';
import type { Metrics } from '../http/metrics.js';
import { DEAD_LETTER_SUFFIX } from './job-queue.js';
import { countJobsByState } from './jobs.repository.js';

/**
 * `boxoffice_jobs{queue,state}`: jobs in the database per queue and state, read at each scrape — the same
 * answer from every process, whether or not it runs jobs itself (the counters of completed and failed
 * attempts are per process). Dead letters waiting count as state="dead_letter" of their queue.
 */
export function registerJobGauge(metrics: Metrics, db: Db): void {
  new client.Gauge({
    name: 'boxoffice_jobs',
    help: 'Background jobs in the database by queue and state (dead_letter: waiting for a retry by staff)',
    labelNames: ['queue', 'state'],
    registers: [metrics.registry],
    async collect() {
      this.reset();
      const rows = await countJobsByState(db).catch(() => []);
      for (const { name, state, size } of rows) {
        if (name.startsWith('__pgboss')) continue;
        if (name.endsWith(DEAD_LETTER_SUFFIX)) {
          if (state === 'created')
            this.set({ queue: name.slice(0, -DEAD_LETTER_SUFFIX.length), state: 'dead_letter' }, size);
        } else {
          this.set({ queue: name, state }, size);
        }
      }
    },
  });
}
