import { describe, expect, it } from 'vitest';
import type { Seat, SeatMapLayout } from '../../api/types';
import { buildGeometry, categoryColours, intersects, nearestInDirection } from './geometry';

function seat(id: string, sectionId: string, row: string, number: string, x: number, y: number, category = 'A'): Seat {
  return { id, sectionId, row, number, label: `${row}-${number}`, category, x, y, flags: [], status: 'available' };
}

/** Two sections of a 2 × 3 grid each, 10 units apart, the second to the right of the first. */
function twoSections(): SeatMapLayout {
  const seats: Seat[] = [];
  for (const [sectionId, dx] of [
    ['left', 0],
    ['right', 100],
  ] as const) {
    for (let r = 0; r < 2; r++) {
      for (let s = 0; s < 3; s++)
        seats.push(
          seat(
            `${sectionId}-${r}-${s}`,
            sectionId,
            String(r + 1),
            String(s + 1),
            dx + s * 10,
            r * 10,
            r === 0 ? 'A' : 'B',
          ),
        );
    }
  }
  return {
    id: 'lay_test',
    sections: [
      { id: 'left', parentId: null, name: 'L', path: 'Stand / L' },
      { id: 'right', parentId: null, name: 'R', path: 'Stand / R' },
    ],
    gaAreas: [],
    seats,
  };
}

describe('seat-map geometry', () => {
  it('boxes each section around its seats with room for a seat, and sizes seats from the row spacing', () => {
    const geometry = buildGeometry(twoSections());
    expect(geometry.radius).toBeCloseTo(4.2);
    const left = geometry.sections.find((section) => section.id === 'left')!;
    expect(left.name).toBe('L');
    expect(left.seats).toHaveLength(6);
    expect(left.box.x0).toBeLessThan(0);
    expect(left.box.x1).toBeGreaterThan(20);
    expect(left.box.x1).toBeLessThan(100);
    // Rows 1 and 2 are three A and three B seats: a tie goes to the first counted.
    expect(left.mainCategory).toBe('A');
    expect(geometry.sectionOf.get('right-1-2')?.id).toBe('right');
    expect(geometry.bounds.x0).toBeLessThan(left.box.x0);
    expect(geometry.bounds.x1).toBeGreaterThan(120);
  });

  it('moves to the nearest seat in a direction, preferring the same row, and nowhere past the edge', () => {
    const geometry = buildGeometry(twoSections());
    const all = [...geometry.seatById.values()];
    const from = geometry.seatById.get('left-0-2')!;
    expect(nearestInDirection(from, all, 'right')?.id).toBe('right-0-0');
    expect(nearestInDirection(from, all, 'left')?.id).toBe('left-0-1');
    expect(nearestInDirection(from, all, 'down')?.id).toBe('left-1-2');
    expect(nearestInDirection(from, all, 'up')).toBeUndefined();
  });

  it('gives the dearest category the first colour and tells boxes that overlap', () => {
    const colours = categoryColours(['B', 'A', 'C', 'A'], { A: 100, B: 500 });
    expect([...colours.keys()]).toEqual(['B', 'A', 'C']);
    expect(new Set(colours.values()).size).toBe(3);
    expect(intersects({ x0: 0, y0: 0, x1: 10, y1: 10 }, { x0: 10, y0: 10, x1: 20, y1: 20 })).toBe(true);
    expect(intersects({ x0: 0, y0: 0, x1: 10, y1: 10 }, { x0: 11, y0: 0, x1: 20, y1: 10 })).toBe(false);
  });

  it('draws an empty layout without failing', () => {
    const geometry = buildGeometry({ id: 'lay_empty', sections: [], gaAreas: [], seats: [] });
    expect(geometry.sections).toEqual([]);
    expect(geometry.bounds.x1).toBeGreaterThan(geometry.bounds.x0);
  });
});
