import type { HoldRequest } from './hold-store.js';
import { segmentsOverlap, type Segment } from './segments.js';

/**
 * Picking the holds that go to the database together (the SQL hold store's group commit). A batch never
 * holds two requests that compete — for one seat on overlapping segments, or for one GA area of the same
 * inventory — because the database checks a batch's holds against what is committed, not against each
 * other. The later of two competing requests waits for the next batch, where it sees the earlier one's
 * outcome, exactly as if the two had come one after the other.
 */
export interface Queued {
  readonly request: HoldRequest;
}

/**
 * Removes from `queue` and returns, in order, up to `max` requests that do not compete with an earlier one
 * taken. Requests left behind keep their order at the front of the queue.
 */
export function takeBatch<T extends Queued>(queue: T[], max: number): T[] {
  const batch: T[] = [];
  const left: T[] = [];
  // inventory id → seat id → segments claimed in this batch; inventory id → GA areas claimed
  const seats = new Map<string, Map<string, Segment[]>>();
  const areas = new Map<string, Set<string>>();
  let i = 0;
  for (; i < queue.length && batch.length < max; i++) {
    const item = queue[i]!;
    const { inventory, seatIds, ga, segment } = item.request;
    const claimedSeats = seats.get(inventory.id);
    const claimedAreas = areas.get(inventory.id);
    const competes =
      seatIds.some((seatId) => claimedSeats?.get(seatId)?.some((claimed) => segmentsOverlap(claimed, segment))) ||
      ga.some((area) => claimedAreas?.has(area.areaId));
    if (competes) {
      left.push(item);
      continue;
    }
    batch.push(item);
    if (seatIds.length > 0) {
      const bySeat = claimedSeats ?? new Map<string, Segment[]>();
      for (const seatId of seatIds) {
        const segments = bySeat.get(seatId);
        if (segments) segments.push(segment);
        else bySeat.set(seatId, [segment]);
      }
      seats.set(inventory.id, bySeat);
    }
    if (ga.length > 0) {
      const byArea = claimedAreas ?? new Set<string>();
      for (const area of ga) byArea.add(area.areaId);
      areas.set(inventory.id, byArea);
    }
  }
  queue.splice(0, i, ...left);
  return batch;
}
