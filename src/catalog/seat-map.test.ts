import { describe, expect, it } from 'vitest';
import type { LayoutSeatRow } from '../db/schema.js';
import { prepareSeatMap, presentGaAreas, renderSeats, seatMapJson } from './seat-map.js';
import type { LayoutContents } from './layout.repository.js';

function seat(id: string, overrides: Partial<LayoutSeatRow> = {}): LayoutSeatRow {
  return {
    id,
    layout_id: 'lay_1',
    section_id: 'sec_1',
    row_label: 'A',
    seat_label: id.slice(-1),
    label: `Main · Row A · Seat ${id.slice(-1)}`,
    category: 'GOLD',
    x: 1.5,
    y: 2,
    deck: 1,
    flags: [],
    ordinal: 0,
    ...overrides,
  };
}

function layout(kind: 'venue' | 'vehicle', seats: LayoutSeatRow[]): LayoutContents {
  return {
    layout: {
      id: 'lay_1',
      organizer_id: 'org_1',
      name: 'Hall',
      kind,
      vehicle_type: kind === 'vehicle' ? 'sleeper_bus' : null,
      decks: 1,
      seat_count: seats.length,
      ga_capacity: 10,
      created_at: new Date(),
    },
    sections: [{ id: 'sec_1', layout_id: 'lay_1', parent_id: null, name: 'Main', path: 'Main', ordinal: 0 }],
    seats,
    gaAreas: [{ id: 'ga_1', layout_id: 'lay_1', name: 'Floor', category: 'FLOOR', capacity: 10, x: 0, y: 0 }],
  };
}

const occupancy = (held: string[], sold: string[]) => ({ heldSeatIds: new Set(held), soldSeatIds: new Set(sold) });

describe('seat maps', () => {
  it('renders every seat in drawing order with its live status, blocked winning over sold and held', () => {
    const map = prepareSeatMap(
      layout('venue', [
        seat('st_1'),
        seat('st_2'),
        seat('st_3', { category: 'SILVER' }),
        seat('st_4', { flags: ['blocked', 'restricted_view'], category: 'BLOCKED_TIER' }),
      ]),
    );
    const { seatsJson, counts } = renderSeats(map, occupancy(['st_1', 'st_4'], ['st_2']));
    const seats = JSON.parse(`[${seatsJson}]`);
    expect(seats.map((s: { id: string; status: string }) => [s.id, s.status])).toEqual([
      ['st_1', 'held'],
      ['st_2', 'sold'],
      ['st_3', 'available'],
      ['st_4', 'blocked'],
    ]);
    expect(seats[3]).toEqual({
      id: 'st_4',
      sectionId: 'sec_1',
      row: 'A',
      number: '4',
      label: 'Main · Row A · Seat 4',
      category: 'BLOCKED_TIER',
      x: 1.5,
      y: 2,
      flags: ['blocked', 'restricted_view'],
      status: 'blocked',
    });
    expect(counts).toEqual({ available: 1, held: 1, sold: 1, blocked: 1 });
    expect(map.sellableCategories).toEqual(['GOLD', 'SILVER']);
    expect([map.seatCount, map.blockedCount]).toEqual([4, 1]);
  });

  it('adds deck and seat class to vehicle seats', () => {
    const map = prepareSeatMap(layout('vehicle', [seat('st_1', { deck: 2, category: 'SLEEPER' })]));
    const [only] = JSON.parse(`[${renderSeats(map, occupancy([], [])).seatsJson}]`);
    expect(only).toMatchObject({ deck: 2, class: 'SLEEPER', category: 'SLEEPER', status: 'available' });
  });

  it('keeps labels with quotes, dollar signs and unicode intact', () => {
    const map = prepareSeatMap(layout('venue', [seat('st_1', { label: 'Row "VIP" $& · Sitz ü' })]));
    const json = seatMapJson({
      head: { eventId: 'evt_1' },
      layout: { id: map.layoutId, sections: map.sections, gaAreas: [] },
      seatsJson: renderSeats(map, occupancy([], [])).seatsJson,
    });
    const body = JSON.parse(json);
    expect(body.eventId).toBe('evt_1');
    expect(body.layout.sections).toEqual([{ id: 'sec_1', parentId: null, name: 'Main', path: 'Main' }]);
    expect(body.layout.seats[0].label).toBe('Row "VIP" $& · Sitz ü');
  });

  it('counts general-admission places left from the per-inventory capacity', () => {
    const map = prepareSeatMap(layout('venue', []));
    const usage = new Map([['ga_1', { held: 3, sold: 2 }]]);
    expect(presentGaAreas(map, new Map([['ga_1', 8]]), usage, { FLOOR: 2500 })).toEqual([
      { id: 'ga_1', name: 'Floor', category: 'FLOOR', capacity: 8, available: 3, price: 2500 },
    ]);
    expect(presentGaAreas(map, new Map(), new Map(), {})).toEqual([
      { id: 'ga_1', name: 'Floor', category: 'FLOOR', capacity: 10, available: 10, price: null },
    ]);
  });
});
