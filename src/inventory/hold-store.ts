import type { InventoryKind } from '../db/schema.js';
import type { Segment } from './segments.js';

/** What is being sold: one event (a single leg) or one trip (many legs). */
export interface InventoryRef {
  readonly kind: InventoryKind;
  readonly id: string;
}

export interface GaQuantity {
  readonly areaId: string;
  readonly quantity: number;
}

export interface HoldRequest {
  readonly token: string;
  readonly inventory: InventoryRef;
  readonly owner: string;
  /** Seat ids, already checked to exist in the layout and not blocked. Sorted, unique. */
  readonly seatIds: readonly string[];
  /** General-admission quantities with each area's capacity for this inventory. */
  readonly ga: readonly (GaQuantity & { readonly capacity: number })[];
  readonly segment: Segment;
  readonly ttlMs: number;
}

export interface Hold {
  readonly token: string;
  readonly inventory: InventoryRef;
  readonly owner: string;
  readonly seatIds: readonly string[];
  readonly ga: readonly GaQuantity[];
  readonly segment: Segment;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly extended: boolean;
}

export type HoldResult =
  | { readonly ok: true; readonly hold: Hold }
  | {
      readonly ok: false;
      readonly unavailableSeatIds: readonly string[];
      readonly unavailableAreas: readonly { areaId: string; requested: number; available: number }[];
    };

export type ExtendResult =
  | { readonly ok: true; readonly hold: Hold }
  | { readonly ok: false; readonly reason: 'not_found' | 'already_extended' };

/** What one committed sale added to an inventory: seats on a segment, and GA areas whose sold count grew. */
export interface SoldSeats {
  readonly segment: Segment;
  readonly seatIds: readonly string[];
  readonly gaAreaIds: readonly string[];
}

/** Seats that are not free on a segment, split by why. */
export interface SeatOccupancy {
  readonly heldSeatIds: ReadonlySet<string>;
  readonly soldSeatIds: ReadonlySet<string>;
  /** Per GA area: quantity held by live holds and quantity sold. */
  readonly ga: ReadonlyMap<string, { held: number; sold: number }>;
  /**
   * When the first of the live holds counted here (seats on the segment, GA areas) expires, or null when
   * none is held. Live seat maps recompute then, so expiry by time shows without a sweeper.
   */
  readonly nextExpiryAt: Date | null;
}

/**
 * The hold-store port. Adapters: SQL (hold-store.sql.ts, PGlite and PostgreSQL) and Redis
 * (hold-store.redis.ts). Every adapter must pass test/contract/hold-store.contract.test.ts.
 *
 * Rules every adapter keeps:
 * - create() is all-or-nothing: either every seat and GA quantity is held, or nothing is.
 * - A seat conflicts with a live hold or a confirmed sale whose segment overlaps (touching is fine).
 * - A hold whose expiresAt has passed is ignored at once by create(), get() and occupancy(); sweeping
 *   only tidies up.
 * - Confirmed sales live in the database (seat_sales, ga_inventory); an adapter that keeps its own copy
 *   must reload it from the database when its memory was lost, before answering.
 */
export interface HoldStore {
  readonly name: 'sql' | 'redis';
  create(request: HoldRequest): Promise<HoldResult>;
  /** A live hold, or null when unknown, released or expired. */
  get(token: string): Promise<Hold | null>;
  /** Extends a live hold of this owner once, to min(now + byMs, createdAt + maxLifetimeMs). */
  extend(token: string, owner: string, byMs: number, maxLifetimeMs: number): Promise<ExtendResult>;
  /** Releases a live hold of this owner; false when there was none. */
  release(token: string, owner: string): Promise<boolean>;
  /** What is held or sold on an inventory for a segment (for seat maps). */
  occupancy(inventory: InventoryRef, segment: Segment): Promise<SeatOccupancy>;
  /**
   * Live holds per inventory, and how many of those expire within `withinMs` (the organizer dashboard).
   * Inventories without a live hold are left out.
   */
  liveHoldCounts(
    inventoryIds: readonly string[],
    withinMs: number,
  ): Promise<Map<string, { live: number; expiringSoon: number }>>;
  /** How many seats are unavailable (held or sold) per inventory on a segment each (for trip search). */
  countUnavailableSeats(
    requests: readonly { inventory: InventoryRef; segment: Segment }[],
  ): Promise<Map<string, number>>;
  /**
   * Tells the store that seats of an inventory were sold or un-sold in the database (after the
   * transaction committed), so a store with its own copy stays in step. With `added` — what one committed
   * sale added, nothing un-sold — a store may apply just that instead of re-reading every sale of the
   * inventory; without it (a cancellation, or not known) it re-reads. The SQL store reads the database
   * directly and does nothing.
   */
  syncSold(inventory: InventoryRef, added?: SoldSeats): Promise<void>;
  /** Removes expired holds; returns how many were removed. */
  sweepExpired(): Promise<number>;
  /** Answers whether the backing service is reachable (for /readyz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
