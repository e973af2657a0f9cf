/**
 * Segment arithmetic. Stops of a trip are numbered 0..n-1; a segment [from, to) covers the legs
 * from → from+1 … to-1 → to. A seat held or sold on [0,2) is free again on [2,5): ranges that only touch
 * do not overlap. An event is a trip with one leg, so its only segment is [0,1).
 */
export interface Segment {
  readonly from: number;
  readonly to: number;
}

export const EVENT_SEGMENT: Segment = Object.freeze({ from: 0, to: 1 });

export function isValidSegment(segment: Segment, stopCount: number): boolean {
  return (
    Number.isInteger(segment.from) &&
    Number.isInteger(segment.to) &&
    segment.from >= 0 &&
    segment.to > segment.from &&
    segment.to <= stopCount - 1
  );
}

export function segmentsOverlap(a: Segment, b: Segment): boolean {
  return a.from < b.to && b.from < a.to;
}

/** PostgreSQL int4range literal for a segment, e.g. '[0,3)'. */
export function toRange(segment: Segment): string {
  return `[${segment.from},${segment.to})`;
}

/** Parses a canonical int4range literal ('[a,b)') back to a segment. */
export function fromRange(range: string): Segment {
  const match = /^\[(\d+),(\d+)\)$/.exec(range);
  if (!match) throw new Error(`Not a canonical int4range: ${range}`);
  return { from: Number(match[1]), to: Number(match[2]) };
}
