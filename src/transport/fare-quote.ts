import type { Segment } from '../inventory/segments.js';

/** A route fare between two stop indexes for one seat class, in minor units. */
export interface Fare {
  fromIndex: number;
  toIndex: number;
  seatClass: string;
  amount: number;
}

/**
 * The fare per seat class for travelling a segment of a route: the origin–destination fare when the
 * operator defined one, else the sum of the per-leg fares (i → i+1) when every leg of the segment has
 * one. A class with neither cannot be priced and is left out, so it is not offered.
 */
export function quoteFares(
  fares: readonly Fare[],
  segment: Segment,
  seatClasses: readonly string[],
): Map<string, number> {
  const originDestination = new Map<string, number>();
  const legs = new Map<string, Map<number, number>>();
  for (const fare of fares) {
    if (fare.fromIndex === segment.from && fare.toIndex === segment.to) {
      originDestination.set(fare.seatClass, fare.amount);
    } else if (fare.toIndex === fare.fromIndex + 1 && fare.fromIndex >= segment.from && fare.toIndex <= segment.to) {
      const byLeg = legs.get(fare.seatClass) ?? new Map<number, number>();
      byLeg.set(fare.fromIndex, fare.amount);
      legs.set(fare.seatClass, byLeg);
    }
  }
  const quotes = new Map<string, number>();
  for (const seatClass of seatClasses) {
    const direct = originDestination.get(seatClass);
    if (direct !== undefined) {
      quotes.set(seatClass, direct);
      continue;
    }
    const byLeg = legs.get(seatClass);
    if (byLeg?.size !== segment.to - segment.from) continue;
    let sum = 0;
    for (const amount of byLeg.values()) sum += amount;
    quotes.set(seatClass, sum);
  }
  return quotes;
}
