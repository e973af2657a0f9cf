import { describe, expect, it } from 'vitest';
import { takeBatch, type Queued } from './hold-batch.js';
import type { HoldRequest } from './hold-store.js';
import type { Segment } from './segments.js';

function request(
  name: string,
  over: { inventory?: string; seats?: string[]; segment?: Segment; areas?: string[] } = {},
): Queued & { name: string } {
  const hold: HoldRequest = {
    token: `hold_${name}`,
    inventory: { kind: 'trip', id: over.inventory ?? 'trp_a' },
    owner: `owner-${name}`,
    seatIds: over.seats ?? [],
    ga: (over.areas ?? []).map((areaId) => ({ areaId, quantity: 1, capacity: 10 })),
    segment: over.segment ?? { from: 0, to: 1 },
    ttlMs: 60_000,
  };
  return { name, request: hold };
}

const names = (items: { name: string }[]) => items.map((item) => item.name);

describe('takeBatch', () => {
  it('takes requests in order and leaves a request that competes with an earlier one for the next batch', () => {
    const queue = [
      request('a', { seats: ['s1', 's2'] }),
      request('b', { seats: ['s2'] }),
      request('c', { seats: ['s3'] }),
      request('d', { seats: ['s3', 's4'] }),
    ];
    expect(names(takeBatch(queue, 10))).toEqual(['a', 'c']);
    expect(names(queue)).toEqual(['b', 'd']);
    expect(names(takeBatch(queue, 10))).toEqual(['b', 'd']);
    expect(queue).toEqual([]);
  });

  it('lets one seat go twice when the segments only touch, or when the inventories differ', () => {
    const queue = [
      request('a', { seats: ['s1'], segment: { from: 0, to: 2 } }),
      request('b', { seats: ['s1'], segment: { from: 2, to: 5 } }),
      request('c', { seats: ['s1'], segment: { from: 1, to: 3 } }),
      request('d', { seats: ['s1'], segment: { from: 1, to: 3 }, inventory: 'trp_b' }),
    ];
    expect(names(takeBatch(queue, 10))).toEqual(['a', 'b', 'd']);
    expect(names(queue)).toEqual(['c']);
  });

  it('puts at most one request per general-admission area of an inventory into a batch', () => {
    const queue = [
      request('a', { areas: ['ga1'] }),
      request('b', { areas: ['ga1'] }),
      request('c', { areas: ['ga2'] }),
      request('d', { areas: ['ga1'], inventory: 'evt_x' }),
    ];
    expect(names(takeBatch(queue, 10))).toEqual(['a', 'c', 'd']);
    expect(names(queue)).toEqual(['b']);
  });

  it('never lets a request overtake an earlier one it competes with, queued or in flight', () => {
    const inFlight = [request('x', { seats: ['s9'] })];
    const queue = [
      request('a', { seats: ['s1'] }),
      request('b', { seats: ['s1', 's2'] }),
      request('c', { seats: ['s2'] }),
      request('d', { seats: ['s9'] }),
      request('e', { seats: ['s3'] }),
    ];
    // b waits for a; c competes only with the waiting b, so it waits too; d waits for x in flight.
    expect(names(takeBatch(queue, 10, inFlight))).toEqual(['a', 'e']);
    expect(names(queue)).toEqual(['b', 'c', 'd']);
  });

  it('stops at the maximum and keeps the order of everything left, skipped or not reached', () => {
    const queue = [
      request('a', { seats: ['s1'] }),
      request('b', { seats: ['s1'] }),
      request('c', { seats: ['s2'] }),
      request('d', { seats: ['s3'] }),
      request('e', { seats: ['s4'] }),
    ];
    expect(names(takeBatch(queue, 2))).toEqual(['a', 'c']);
    expect(names(queue)).toEqual(['b', 'd', 'e']);
  });
});
