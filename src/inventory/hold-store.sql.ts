import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type {
  ExtendResult,
  Hold,
  HoldRequest,
  HoldResult,
  HoldStore,
  InventoryRef,
  SeatOccupancy,
} from './hold-store.js';
import {
  countLiveHolds,
  countTakenSeats,
  deleteExpiredHolds,
  extendHold,
  findLiveHold,
  readGaUsage,
  readSeatOccupancy,
  releaseHold,
  tryCreateHolds,
} from './hold.repository.js';
import { takeBatch, type Queued } from './hold-batch.js';
import type { Segment } from './segments.js';

/** Holds sent to the database in one call at most (one transaction; its locks are held until it commits). */
const MAX_BATCH = 100;

interface QueuedHold extends Queued {
  resolve(result: HoldResult): void;
  reject(error: unknown): void;
}

export interface SqlHoldStoreOptions {
  /**
   * Batches of holds in flight at once. PGlite has one connection, so 1; PostgreSQL can work on a few at
   * once (on more cores), but each takes a pool connection from the rest of the app.
   */
  concurrentBatches?: number;
}

/**
 * Holds in the same database as everything else (PGlite or PostgreSQL). Holds are made with group
 * commit: while a call to the database function bo_create_holds is running, the holds that arrive wait in
 * a queue, and the next call takes up to MAX_BATCH of them that do not compete for a seat (hold-batch.ts)
 * — one round trip, one transaction and one commit for all of them, each hold still all or nothing. With
 * little traffic a batch is one hold, sent at once. Holds are short-lived and re-creatable, so their
 * commits skip the WAL flush wait (synchronous_commit = off); sales never do.
 * See docs/decisions/0004-hold-stores-sql-and-redis.md and 0013-hold-group-commit-and-sold-deltas.md.
 */
export class SqlHoldStore implements HoldStore {
  readonly name = 'sql' as const;
  private readonly queue: QueuedHold[] = [];
  private readonly concurrentBatches: number;
  /** Batches sent and not yet answered: a queued hold that competes with one of them waits for it. */
  private readonly inFlight = new Set<QueuedHold[]>();
  private flushScheduled = false;

  constructor(
    private readonly db: Db,
    options: SqlHoldStoreOptions = {},
  ) {
    this.concurrentBatches = Math.max(1, options.concurrentBatches ?? 1);
  }

  create(request: HoldRequest): Promise<HoldResult> {
    return new Promise<HoldResult>((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Sends after the current turn of the event loop, so holds that arrive together go together. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.inFlight.size >= this.concurrentBatches) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight.size < this.concurrentBatches && this.queue.length > 0) {
      const batch = takeBatch(this.queue, MAX_BATCH, [...this.inFlight].flat());
      if (batch.length === 0) return;
      this.inFlight.add(batch);
      this.sendBatch(batch).finally(() => {
        this.inFlight.delete(batch);
        if (this.queue.length > 0) this.flush();
      });
    }
  }

  private async sendBatch(batch: QueuedHold[]): Promise<void> {
    let results: Awaited<ReturnType<typeof tryCreateHolds>>;
    try {
      results = await tryCreateHolds(
        this.db,
        batch.map((item) => item.request),
      );
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    batch.forEach((item, i) => {
      const result = results[i]!;
      item.resolve(
        result.ok
          ? result
          : { ok: false, unavailableSeatIds: result.takenSeatIds, unavailableAreas: result.shortAreas },
      );
    });
  }

  get(token: string): Promise<Hold | null> {
    return findLiveHold(this.db, token);
  }

  async extend(token: string, owner: string, byMs: number, maxLifetimeMs: number): Promise<ExtendResult> {
    const hold = await extendHold(this.db, token, owner, byMs, maxLifetimeMs);
    if (hold) return { ok: true, hold };
    const live = await findLiveHold(this.db, token);
    return { ok: false, reason: live && live.owner === owner && live.extended ? 'already_extended' : 'not_found' };
  }

  release(token: string, owner: string): Promise<boolean> {
    return releaseHold(this.db, token, owner);
  }

  async occupancy(inventory: InventoryRef, segment: Segment): Promise<SeatOccupancy> {
    const seats = await readSeatOccupancy(this.db, inventory.id, segment);
    const usage = await readGaUsage(this.db, inventory.id);
    const ga = new Map<string, { held: number; sold: number }>();
    let nextExpiryAt = seats.nextExpiryAt;
    for (const [areaId, area] of usage) {
      ga.set(areaId, { held: area.held, sold: area.sold });
      if (area.nextExpiryAt && (!nextExpiryAt || area.nextExpiryAt < nextExpiryAt)) nextExpiryAt = area.nextExpiryAt;
    }
    return { heldSeatIds: new Set(seats.held), soldSeatIds: new Set(seats.sold), ga, nextExpiryAt };
  }

  liveHoldCounts(
    inventoryIds: readonly string[],
    withinMs: number,
  ): Promise<Map<string, { live: number; expiringSoon: number }>> {
    return countLiveHolds(this.db, inventoryIds, withinMs);
  }

  countUnavailableSeats(
    requests: readonly { inventory: InventoryRef; segment: Segment }[],
  ): Promise<Map<string, number>> {
    return countTakenSeats(
      this.db,
      requests.map((r) => ({ inventoryId: r.inventory.id, segment: r.segment })),
      true,
    );
  }

  async syncSold(): Promise<void> {
    // The SQL store reads seat_sales directly; nothing to do.
  }

  sweepExpired(): Promise<number> {
    return deleteExpiredHolds(this.db);
  }

  async ping(): Promise<boolean> {
    try {
      await sql`SELECT 1`.execute(this.db);
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {}
}
