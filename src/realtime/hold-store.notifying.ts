import type {
  ExtendResult,
  Hold,
  HoldRequest,
  HoldResult,
  HoldStore,
  InventoryRef,
  SeatOccupancy,
  SoldSeats,
} from '../inventory/hold-store.js';
import type { Segment } from '../inventory/segments.js';

/** Who hears of a change a hold store made. */
export interface HoldStoreListener {
  /** Seats of the inventory changed (after the change is stored). Must not throw. */
  seatsChanged?(inventoryId: string): void;
  /** A hold was granted. Must not throw. */
  holdCreated?(request: HoldRequest): void;
}

/**
 * A hold store that tells its listeners every change it made: a hold created, extended or released, and
 * every sale or cancellation the database recorded (`syncSold`, which confirmation, cancellation and
 * organizer cancellation call after their commit). The container makes the seat-change bus a listener
 * (live seat maps) and the hold tally (the dashboard's abandoned-hold rate). Wrapping the port means every
 * path that changes seats announces it — today's and tomorrow's — without each one remembering to.
 */
export class NotifyingHoldStore implements HoldStore {
  constructor(
    private readonly inner: HoldStore,
    private readonly listeners: readonly HoldStoreListener[],
  ) {}

  private changed(inventoryId: string): void {
    for (const listener of this.listeners) listener.seatsChanged?.(inventoryId);
  }

  get name(): HoldStore['name'] {
    return this.inner.name;
  }

  /** The wrapped store (tests reach adapter internals through it). */
  get wrapped(): HoldStore {
    return this.inner;
  }

  async create(request: HoldRequest): Promise<HoldResult> {
    const result = await this.inner.create(request);
    if (result.ok) {
      for (const listener of this.listeners) listener.holdCreated?.(request);
      this.changed(request.inventory.id);
    }
    return result;
  }

  get(token: string): Promise<Hold | null> {
    return this.inner.get(token);
  }

  async extend(token: string, owner: string, byMs: number, maxLifetimeMs: number): Promise<ExtendResult> {
    const result = await this.inner.extend(token, owner, byMs, maxLifetimeMs);
    // The seats stay held; live seat maps only need to learn the new expiry.
    if (result.ok) this.changed(result.hold.inventory.id);
    return result;
  }

  async release(token: string, owner: string): Promise<boolean> {
    // The inventory must be read before: a released hold can no longer be found.
    const hold = await this.inner.get(token);
    const released = await this.inner.release(token, owner);
    if (released && hold) this.changed(hold.inventory.id);
    return released;
  }

  occupancy(inventory: InventoryRef, segment: Segment): Promise<SeatOccupancy> {
    return this.inner.occupancy(inventory, segment);
  }

  liveHoldCounts(
    inventoryIds: readonly string[],
    withinMs: number,
  ): Promise<Map<string, { live: number; expiringSoon: number }>> {
    return this.inner.liveHoldCounts(inventoryIds, withinMs);
  }

  countUnavailableSeats(
    requests: readonly { inventory: InventoryRef; segment: Segment }[],
  ): Promise<Map<string, number>> {
    return this.inner.countUnavailableSeats(requests);
  }

  async syncSold(inventory: InventoryRef, added?: SoldSeats): Promise<void> {
    try {
      await this.inner.syncSold(inventory, added);
    } finally {
      // The sale committed before syncSold was called: announce it even if the store's copy failed.
      this.changed(inventory.id);
    }
  }

  sweepExpired(): Promise<number> {
    return this.inner.sweepExpired();
  }

  ping(): Promise<boolean> {
    return this.inner.ping();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
