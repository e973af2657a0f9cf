import { describe, expect, it } from 'vitest';
import { fromRange, isValidSegment, segmentsOverlap, toRange } from './segments.js';

describe('segments', () => {
  it('treats touching segments as free for each other (A→B then B→C)', () => {
    expect(segmentsOverlap({ from: 0, to: 2 }, { from: 2, to: 5 })).toBe(false);
    expect(segmentsOverlap({ from: 2, to: 5 }, { from: 0, to: 2 })).toBe(false);
  });

  it('treats any shared leg as a conflict', () => {
    expect(segmentsOverlap({ from: 0, to: 3 }, { from: 2, to: 5 })).toBe(true);
    expect(segmentsOverlap({ from: 1, to: 2 }, { from: 0, to: 9 })).toBe(true);
    expect(segmentsOverlap({ from: 4, to: 6 }, { from: 4, to: 6 })).toBe(true);
  });

  it('accepts only forward segments within the trip', () => {
    expect(isValidSegment({ from: 0, to: 9 }, 10)).toBe(true);
    expect(isValidSegment({ from: 0, to: 10 }, 10)).toBe(false);
    expect(isValidSegment({ from: 3, to: 3 }, 10)).toBe(false);
    expect(isValidSegment({ from: 4, to: 2 }, 10)).toBe(false);
    expect(isValidSegment({ from: -1, to: 2 }, 10)).toBe(false);
    expect(isValidSegment({ from: 0, to: 1 }, 2)).toBe(true);
  });

  it('round-trips int4range literals', () => {
    expect(toRange({ from: 2, to: 7 })).toBe('[2,7)');
    expect(fromRange('[2,7)')).toEqual({ from: 2, to: 7 });
  });
});
