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
  countTakenSeats,
  deleteExpiredHolds,
  extendHold,
  findLiveHold,
  findTakenSeats,
  insertHold,
  lockInventoryKeys,
  readGaUsage,
  readSeatOccupancy,
  releaseHold,
  seatLockKey,
} from './hold.repository.js';
import type { Segment } from './segments.js';

/**
 * Holds in the same database as everything else (PGlite or PostgreSQL). A hold is one transaction:
 * lock the seats (advisory, sorted), check for live holds and sales on overlapping segments, insert.
 * Holds are short-lived and re-creatable, so their commits skip the WAL flush wait
 * (synchronous_commit = off); sales never do. See docs/decisions/0004-hold-stores.md.
 */
export class SqlHoldStore implements HoldStore {
  readonly name = 'sql' as const;

  constructor(private readonly db: Db) {}

  async create(request: HoldRequest): Promise<HoldResult> {
    return this.db.transaction().execute(async (trx) => {
      await sql`SET LOCAL synchronous_commit = off`.execute(trx);
      const keys = [
        ...request.seatIds.map((seatId) => seatLockKey(request.inventory.id, seatId)),
        ...request.ga.map((item) => seatLockKey(request.inventory.id, item.areaId)),
      ];
      await lockInventoryKeys(trx, keys);

      const taken = await findTakenSeats(trx, request.inventory.id, request.seatIds, request.segment);
      const unavailableAreas: { areaId: string; requested: number; available: number }[] = [];
      if (request.ga.length > 0) {
        const usage = await readGaUsage(
          trx,
          request.inventory.id,
          request.ga.map((item) => item.areaId),
        );
        for (const item of request.ga) {
          const used = usage.get(item.areaId);
          const available = Math.max(0, item.capacity - (used?.held ?? 0) - (used?.sold ?? 0));
          if (item.quantity > available)
            unavailableAreas.push({ areaId: item.areaId, requested: item.quantity, available });
        }
      }
      if (taken.length > 0 || unavailableAreas.length > 0) {
        return { ok: false, unavailableSeatIds: taken.sort(), unavailableAreas };
      }
      const hold = await insertHold(trx, {
        token: request.token,
        inventory: request.inventory,
        owner: request.owner,
        seatIds: request.seatIds,
        ga: request.ga.map(({ areaId, quantity }) => ({ areaId, quantity })),
        segment: request.segment,
        ttlMs: request.ttlMs,
      });
      return { ok: true, hold };
    });
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
    const ga = await readGaUsage(this.db, inventory.id);
    return { heldSeatIds: new Set(seats.held), soldSeatIds: new Set(seats.sold), ga };
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
