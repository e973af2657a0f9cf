import type { Seat, SeatMapLayout } from '../../api/types';

/** A rectangle in layout units. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface SectionGeometry {
  id: string;
  name: string;
  path: string;
  box: Box;
  seats: Seat[];
  /** The category most of its seats have (the overview colours the section with it). */
  mainCategory: string;
}

/** What the seat map draws, computed once per layout (layouts never change). */
export interface SeatMapGeometry {
  sections: SectionGeometry[];
  sectionOf: Map<string, SectionGeometry>;
  seatById: Map<string, Seat>;
  bounds: Box;
  /** Radius of a seat in layout units, from the usual distance between neighbours in a row. */
  radius: number;
  seatCount: number;
}

function median(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function intersects(a: Box, b: Box): boolean {
  return a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;
}

export function buildGeometry(layout: SeatMapLayout): SeatMapGeometry {
  const seatsBySection = new Map<string, Seat[]>();
  const seatById = new Map<string, Seat>();
  for (const seat of layout.seats) {
    seatById.set(seat.id, seat);
    const list = seatsBySection.get(seat.sectionId);
    if (list) list.push(seat);
    else seatsBySection.set(seat.sectionId, [seat]);
  }
  // The usual gap between neighbours in a row, sampled (a stadium has tens of thousands of seats).
  const gaps: number[] = [];
  for (const seats of seatsBySection.values()) {
    const sample = seats.slice(0, 400);
    const byRow = new Map<string, number[]>();
    for (const seat of sample) {
      const row = byRow.get(seat.row);
      if (row) row.push(seat.x);
      else byRow.set(seat.row, [seat.x]);
    }
    for (const xs of byRow.values()) {
      xs.sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i++) {
        const gap = xs[i]! - xs[i - 1]!;
        if (gap > 0) gaps.push(gap);
      }
    }
    if (gaps.length > 2000) break;
  }
  const spacing = median(gaps) ?? 10;
  const radius = spacing * 0.42;
  const pad = radius * 1.6;

  const names = new Map(layout.sections.map((section) => [section.id, section]));
  const sections: SectionGeometry[] = [];
  for (const [id, seats] of seatsBySection) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    const categories = new Map<string, number>();
    for (const seat of seats) {
      x0 = Math.min(x0, seat.x);
      y0 = Math.min(y0, seat.y);
      x1 = Math.max(x1, seat.x);
      y1 = Math.max(y1, seat.y);
      categories.set(seat.category, (categories.get(seat.category) ?? 0) + 1);
    }
    const mainCategory = [...categories.entries()].sort((a, b) => b[1] - a[1])[0]![0];
    const section = names.get(id);
    sections.push({
      id,
      name: section?.name ?? '',
      path: section?.path ?? '',
      box: { x0: x0 - pad, y0: y0 - pad, x1: x1 + pad, y1: y1 + pad },
      seats,
      mainCategory,
    });
  }
  const bounds = sections.reduce<Box>(
    (all, { box }) => ({
      x0: Math.min(all.x0, box.x0),
      y0: Math.min(all.y0, box.y0),
      x1: Math.max(all.x1, box.x1),
      y1: Math.max(all.y1, box.y1),
    }),
    { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity },
  );
  if (sections.length === 0) Object.assign(bounds, { x0: 0, y0: 0, x1: 100, y1: 60 });
  // Room above each section for its name.
  bounds.y0 -= spacing * 1.6;
  bounds.x0 -= spacing;
  bounds.x1 += spacing;
  bounds.y1 += spacing;
  return {
    sections,
    sectionOf: new Map(sections.flatMap((section) => section.seats.map((seat) => [seat.id, section] as const))),
    seatById,
    bounds,
    radius,
    seatCount: layout.seats.length,
  };
}

/** Colours of price categories, dearest first; chosen to stay apart for common colour blindness. */
const CATEGORY_COLOURS = ['#6d28d9', '#0e7490', '#c2410c', '#15803d', '#a16207', '#be185d', '#1d4ed8', '#4d7c0f'];

export function categoryColours(categories: string[], prices: Record<string, number>): Map<string, string> {
  const ordered = [...new Set(categories)].sort((a, b) => (prices[b] ?? -1) - (prices[a] ?? -1) || a.localeCompare(b));
  return new Map(ordered.map((category, index) => [category, CATEGORY_COLOURS[index % CATEGORY_COLOURS.length]!]));
}

/** The seat nearest to `from` in a direction (arrow keys), among `candidates`. */
export function nearestInDirection(
  from: Seat,
  candidates: Iterable<Seat>,
  direction: 'left' | 'right' | 'up' | 'down',
): Seat | undefined {
  let best: Seat | undefined;
  let bestScore = Infinity;
  for (const seat of candidates) {
    if (seat.id === from.id) continue;
    const dx = seat.x - from.x;
    const dy = seat.y - from.y;
    const along = direction === 'left' ? -dx : direction === 'right' ? dx : direction === 'up' ? -dy : dy;
    const across = direction === 'left' || direction === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0) continue;
    // Prefer seats in the same row (or column): sideways distance weighs more than distance ahead.
    const score = along + across * 3;
    if (score < bestScore) {
      bestScore = score;
      best = seat;
    }
  }
  return best;
}
