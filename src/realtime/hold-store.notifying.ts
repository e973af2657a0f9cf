import type {
  ExtendResult,
  Hold,
  HoldRequest,
  HoldResult,
  HoldStore,
  InventoryRef,
  SeatOccupancy,
} from '../inventory/hold-store.js';
import type { Segment } from '../inventory/segments.js';
import type { SeatChangeBus } from './seat-change-bus.js';

/**
 * A hold store that announces on the seat-change bus every change it made: a hold created, extended or
 * released, and every sale or cancellation the database recorded (`syncSold`, which confirmation,
 * cancellation and organizer cancellation call after their commit). Wrapping the port means every path
 * that changes seats announces it — today's and tomorrow's — without each one remembering to.
 */
export class NotifyingHoldStore implements HoldStore {
  constructor(
    private readonly inner: HoldStore,
    private readonly bus: SeatChangeBus,
  ) {}

  get name(): HoldStore['name'] {
    return this.inner.name;
  }

  /** The wrapped store (tests reach adapter internals through it). */
  get wrapped(): HoldStore {
    return this.inner;
  }

  async create(request: HoldRequest): Promise<HoldResult> {
    const result = await this.inner.create(request);
    if (result.ok) this.bus.publish(request.inventory.id);
    return result;
  }

  get(token: string): Promise<Hold | null> {
    return this.inner.get(token);
  }

  async extend(token: string, owner: string, byMs: number, maxLifetimeMs: number): Promise<ExtendResult> {
    const result = await this.inner.extend(token, owner, byMs, maxLifetimeMs);
    // The seats stay held; live seat maps only need to learn the new expiry.
    if (result.ok) this.bus.publish(result.hold.inventory.id);
    return result;
  }

  async release(token: string, owner: string): Promise<boolean> {
    // The inventory must be read before: a released hold can no longer be found.
    const hold = await this.inner.get(token);
    const released = await this.inner.release(token, owner);
    if (released && hold) this.bus.publish(hold.inventory.id);
    return released;
  }

  occupancy(inventory: InventoryRef, segment: Segment): Promise<SeatOccupancy> {
    return this.inner.occupancy(inventory, segment);
  }

  countUnavailableSeats(
    requests: readonly { inventory: InventoryRef; segment: Segment }[],
  ): Promise<Map<string, number>> {
    return this.inner.countUnavailableSeats(requests);
  }

  async syncSold(inventory: InventoryRef): Promise<void> {
    try {
      await this.inner.syncSold(inventory);
    } finally {
      // The sale committed before syncSold was called: announce it even if the store's copy failed.
      this.bus.publish(inventory.id);
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
