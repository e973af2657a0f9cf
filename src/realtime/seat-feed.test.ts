import { describe, expect, it } from 'vitest';
import {
  diffFeedStates,
  feedStateOf,
  parseStreamEventId,
  snapshotData,
  sseMessage,
  streamEventId,
} from './seat-feed.js';

const occupancy = (held: string[], sold: string[], ga: [string, number, number][] = []) => ({
  heldSeatIds: new Set(held),
  soldSeatIds: new Set(sold),
  ga: new Map(ga.map(([id, h, s]) => [id, { held: h, sold: s }])),
});

describe('live seat-map state', () => {
  it('ranks blocked over sold over held, and gives every GA area what is left of it, never below zero', () => {
    const state = feedStateOf(
      ['st_x'],
      [
        { id: 'ga_a', capacity: 10 },
        { id: 'ga_b', capacity: 2 },
        { id: 'ga_c', capacity: 5 },
      ],
      occupancy(
        ['st_h', 'st_s', 'st_x'],
        ['st_s'],
        [
          ['ga_a', 3, 4],
          ['ga_b', 2, 1],
        ],
      ),
    );
    expect(Object.fromEntries(state.seats)).toEqual({ st_h: 'held', st_s: 'sold', st_x: 'blocked' });
    expect(Object.fromEntries(state.ga)).toEqual({ ga_a: 3, ga_b: 0, ga_c: 5 });
  });

  it('reports exactly what changed, seats that became available included, and nothing when nothing did', () => {
    const areas = [{ id: 'ga_a', capacity: 10 }];
    const before = feedStateOf([], areas, occupancy(['st_1', 'st_2'], [], [['ga_a', 1, 0]]));
    const after = feedStateOf([], areas, occupancy(['st_3'], ['st_2'], [['ga_a', 1, 0]]));
    expect(diffFeedStates(before, after)).toEqual({ changes: { st_1: 'available', st_2: 'sold', st_3: 'held' } });
    expect(diffFeedStates(after, after)).toBeNull();
    const gaOnly = feedStateOf([], areas, occupancy(['st_3'], ['st_2'], [['ga_a', 4, 0]]));
    expect(diffFeedStates(after, gaOnly)).toEqual({ changes: {}, ga: { ga_a: { available: 6 } } });
  });

  it('frames messages as Server-Sent Events with one data line, and reads back only ids it could have made', () => {
    const state = feedStateOf(['st_b'], [{ id: 'ga_a', capacity: 3 }], occupancy(['st_"quote'], []));
    const data = snapshotData('evt_1', state);
    expect(JSON.parse(data)).toEqual({
      inventoryId: 'evt_1',
      seats: { 'st_"quote': 'held', st_b: 'blocked' },
      ga: { ga_a: { available: 3 } },
    });
    const message = sseMessage(streamEventId('abc123', 7), 'snapshot', data);
    expect(message).toBe(`id: abc123.7\nevent: snapshot\ndata: ${data}\n\n`);
    expect(message.split('\n')).toHaveLength(5);
    expect(parseStreamEventId('abc123.7')).toEqual({ epoch: 'abc123', seq: 7 });
    for (const bad of [undefined, '', '7', 'abc.', 'ABC.1', 'abc.1.2', 'a'.repeat(40) + '.1', 'abc.-1']) {
      expect(parseStreamEventId(bad)).toBeNull();
    }
  });
});
