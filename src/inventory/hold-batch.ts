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
 * Removes from `queue` and returns, in order, up to `max` requests that compete neither with an earlier one
 * taken nor with one still in flight (`inFlight`: batches sent and not yet answered), so a request never
 * overtakes an earlier one it competes with. Requests left behind keep their order at the front of the
 * queue.
 */
export function takeBatch<T extends Queued>(queue: T[], max: number, inFlight: Iterable<Queued> = []): T[] {
  const claims = new Claims();
  for (const item of inFlight) claims.add(item.request);
  const batch: T[] = [];
  const left: T[] = [];
  let i = 0;
  for (; i < queue.length && batch.length < max; i++) {
    const item = queue[i]!;
    if (claims.competes(item.request)) {
      left.push(item);
      // A request left behind still claims its seats: a later one must not overtake it either.
      claims.add(item.request);
      continue;
    }
    batch.push(item);
    claims.add(item.request);
  }
  queue.splice(0, i, ...left);
  return batch;
}

/** Seats (by segment) and GA areas claimed per inventory. */
class Claims {
  private readonly seats = new Map<string, Map<string, Segment[]>>();
  private readonly areas = new Map<string, Set<string>>();

  competes({ inventory, seatIds, ga, segment }: HoldRequest): boolean {
    const seats = this.seats.get(inventory.id);
    const areas = this.areas.get(inventory.id);
    return (
      seatIds.some((seatId) => seats?.get(seatId)?.some((claimed) => segmentsOverlap(claimed, segment))) ||
      ga.some((area) => areas?.has(area.areaId))
    );
  }

  add({ inventory, seatIds, ga, segment }: HoldRequest): void {
    if (seatIds.length > 0) {
      let bySeat = this.seats.get(inventory.id);
      if (!bySeat) this.seats.set(inventory.id, (bySeat = new Map()));
      for (const seatId of seatIds) {
        const segments = bySeat.get(seatId);
        if (segments) segments.push(segment);
        else bySeat.set(seatId, [segment]);
      }
    }
    if (ga.length > 0) {
      let byArea = this.areas.get(inventory.id);
      if (!byArea) this.areas.set(inventory.id, (byArea = new Set()));
      for (const area of ga) byArea.add(area.areaId);
    }
  }
}
