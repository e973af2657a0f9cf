import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { HoldRequest } from '../inventory/hold-store.js';
import type { HoldStoreListener } from '../realtime/hold-store.notifying.js';
import type { Clock } from '../shared/clock.js';

const QUARTER_HOUR_MS = 15 * 60_000;
export const HOLD_TALLY_FLUSH_MS = 10_000;

/** Holds made again by order confirmation (owner `order:<id>`) are the same buyer's hold, not a new one. */
const REHOLD_OWNER = /^order:/;

/**
 * Counts the holds this process grants, per inventory and quarter hour, and adds the counts to
 * `hold_stats` every ten seconds (and when the process stops) — one small upsert per inventory instead of
 * a write on every hold. The dashboard's abandoned-hold rate is built from it. A process that dies loses
 * at most its last ten seconds of counts: a statistic, never a seat.
 */
export class HoldTally implements HoldStoreListener {
  private counts = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.timer = setInterval(() => void this.flush(), HOLD_TALLY_FLUSH_MS);
    this.timer.unref();
  }

  holdCreated(request: HoldRequest): void {
    if (REHOLD_OWNER.test(request.owner)) return;
    const bucket = Math.floor(this.clock.now().getTime() / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
    const key = `${request.inventory.id}|${bucket}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Writes what was counted so far; waits for a write already under way. */
  flush(): Promise<void> {
    const pending = this.counts;
    this.counts = new Map();
    this.flushing = this.flushing.then(() => this.write(pending)).catch((error: unknown) => this.onError(error));
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  private async write(pending: Map<string, number>): Promise<void> {
    if (pending.size === 0) return;
    const ids: string[] = [];
    const buckets: string[] = [];
    const created: number[] = [];
    for (const [key, count] of pending) {
      const [inventoryId, bucket] = key.split('|') as [string, string];
      ids.push(inventoryId);
      buckets.push(new Date(Number(bucket)).toISOString());
      created.push(count);
    }
    try {
      await sql`
        INSERT INTO hold_stats (inventory_id, bucket, holds_created)
        SELECT * FROM unnest(${ids}::text[], ${buckets}::timestamptz[], ${created}::int[])
        ON CONFLICT (inventory_id, bucket) DO UPDATE SET holds_created = hold_stats.holds_created + excluded.holds_created`.execute(
        this.db,
      );
    } catch (error) {
      // Counted again next time rather than lost (the database may be away for a moment).
      for (const [key, count] of pending) this.counts.set(key, (this.counts.get(key) ?? 0) + count);
      throw error;
    }
  }
}
