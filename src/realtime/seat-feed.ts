import type { SeatStatus } from '../catalog/seat-map.js';
import type { SeatOccupancy } from '../inventory/hold-store.js';

/**
 * The pure part of live seat maps: the state a stream shows (every seat that is not available, every GA
 * area's available quantity), the difference between two states, and Server-Sent Events framing. The
 * message shapes are the contract with the web app (see docs/decisions/0019-live-seat-maps.md).
 */
export type UnavailableStatus = Exclude<SeatStatus, 'available'>;

export interface FeedState {
  /** Seats that are not available; every other seat of the layout is. */
  seats: Map<string, UnavailableStatus>;
  /** Every GA area of the layout with its available quantity. */
  ga: Map<string, number>;
}

export interface GaAreaCapacity {
  id: string;
  capacity: number;
}

/** The state of a segment from an occupancy: blocked wins over sold, sold over held (as in seat maps). */
export function feedStateOf(
  blockedSeatIds: readonly string[],
  gaAreas: readonly GaAreaCapacity[],
  occupancy: Pick<SeatOccupancy, 'heldSeatIds' | 'soldSeatIds' | 'ga'>,
): FeedState {
  const seats = new Map<string, UnavailableStatus>();
  for (const id of occupancy.heldSeatIds) seats.set(id, 'held');
  for (const id of occupancy.soldSeatIds) seats.set(id, 'sold');
  for (const id of blockedSeatIds) seats.set(id, 'blocked');
  const ga = new Map<string, number>();
  for (const area of gaAreas) {
    const used = occupancy.ga.get(area.id);
    ga.set(area.id, Math.max(0, area.capacity - (used?.held ?? 0) - (used?.sold ?? 0)));
  }
  return { seats, ga };
}

export interface FeedChange {
  changes: Record<string, SeatStatus>;
  ga?: Record<string, { available: number }>;
}

/** What changed from `before` to `after`, or null when nothing did. */
export function diffFeedStates(before: FeedState, after: FeedState): FeedChange | null {
  const changes: Record<string, SeatStatus> = {};
  let changed = false;
  for (const [id, status] of after.seats) {
    if (before.seats.get(id) !== status) {
      changes[id] = status;
      changed = true;
    }
  }
  for (const id of before.seats.keys()) {
    if (!after.seats.has(id)) {
      changes[id] = 'available';
      changed = true;
    }
  }
  let ga: Record<string, { available: number }> | undefined;
  for (const [id, available] of after.ga) {
    if (before.ga.get(id) !== available) {
      ga ??= {};
      ga[id] = { available };
    }
  }
  if (!changed && !ga) return null;
  return ga ? { changes, ga } : { changes };
}

/** The `snapshot` message body. */
export function snapshotData(inventoryId: string, state: FeedState): string {
  const ga: Record<string, { available: number }> = {};
  for (const [id, available] of state.ga) ga[id] = { available };
  return JSON.stringify({ inventoryId, seats: Object.fromEntries(state.seats), ga });
}

/** One Server-Sent Events message. JSON text has no raw line breaks, so `data` is always one line. */
export function sseMessage(id: string, event: 'snapshot' | 'seats', data: string): string {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}

/** Stream ids: `<feed epoch>.<sequence>`, so a reconnect can tell whether it talks to the same feed. */
export function streamEventId(epoch: string, seq: number): string {
  return `${epoch}.${seq}`;
}

export function parseStreamEventId(id: string | undefined): { epoch: string; seq: number } | null {
  const match = /^([a-z0-9]{1,32})\.(\d{1,15})$/.exec(id?.trim() ?? '');
  return match ? { epoch: match[1]!, seq: Number(match[2]) } : null;
}
