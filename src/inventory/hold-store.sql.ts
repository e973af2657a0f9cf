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
  tryCreateHold,
} from './hold.repository.js';
import type { Segment } from './segments.js';

/**
 * Holds in the same database as everything else (PGlite or PostgreSQL). Creating a hold is one call to
 * the database function bo_create_hold: lock the seats (advisory, in hash order), check for live holds
 * and sales on overlapping segments, insert — one round trip, one transaction. Holds are short-lived
 * and re-creatable, so their commits skip the WAL flush wait (synchronous_commit = off); sales never do.
 * See docs/decisions/0004-hold-stores-sql-and-redis.md.
 */
export class SqlHoldStore implements HoldStore {
  readonly name = 'sql' as const;

  constructor(private readonly db: Db) {}

  async create(request: HoldRequest): Promise<HoldResult> {
    const result = await tryCreateHold(this.db, request);
    if (result.ok) return result;
    return { ok: false, unavailableSeatIds: result.takenSeatIds, unavailableAreas: result.shortAreas };
  }

  get(token: string): Promise<Hold | null> {
    return findLiveHold(this.db, token);
  }

  async extend(token: string, owner: string, byMs: number, maxLifetimeMs: number): Promise<ExtendResult> {
    return this.db.transaction().execute(async (trx) => {
      const hold = await extendHold(trx, token, owner, byMs, maxLifetimeMs);
      if (hold) return { ok: true, hold };
      const live = await findLiveHold(trx, token);
      return { ok: false, reason: live && live.owner === owner && live.extended ? 'already_extended' : 'not_found' };
    });
  }

  release(token: string, owner: string): Promise<boolean> {
    return this.db.transaction().execute((trx) => releaseHold(trx, token, owner));
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
