import { describe, expect, it } from 'vitest';
import { countSeats, type LayoutDocument, type SeatDoc } from '../catalog/layout.model.js';
import { AppError } from '../shared/errors.js';
import { buildVehicleLayout, explicitVehicleLayout, layoutProblems } from './vehicle-templates.js';

function seatsOf(layout: LayoutDocument, sectionIndex = 0): (SeatDoc & { row: string })[] {
  return (layout.sections[sectionIndex]!.rows ?? []).flatMap((row) =>
    row.seats.map((seat) => ({ ...seat, row: row.name })),
  );
}

function problemsOf(build: () => unknown): { path: string; message: string }[] {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('layout.invalid');
    return ((error as AppError).details as { problems: { path: string; message: string }[] }).problems;
  }
  throw new Error('expected layout.invalid');
}

const coaches = [
  { name: 'KA', seatClass: 'S_CHAIR', rows: 20, seatsPerRow: 4 },
  { name: 'KHA', seatClass: 'SNIGDHA', rows: 12, seatsPerRow: 5 },
  { name: 'CHA', seatClass: 'AC_BERTH', rows: 6, seatsPerRow: 4, berths: true },
];

describe('bus templates', () => {
  it('lays out a 2+2 bus as A–D per row with windows outside and the aisle between B and C', () => {
    const layout = buildVehicleLayout('Non-AC', { type: 'bus_2_2', rows: 10, seatClass: 'NON_AC' });
    expect(layout.vehicleType).toBe('bus');
    expect(countSeats(layout)).toBe(40);
    const firstRow = seatsOf(layout).filter((seat) => seat.row === '1');
    expect(firstRow.map((seat) => seat.label)).toEqual(['A1', 'B1', 'C1', 'D1']);
    expect(firstRow.map((seat) => seat.flags)).toEqual([['window'], ['aisle'], ['aisle'], ['window']]);
    expect(firstRow.every((seat) => seat.category === 'NON_AC')).toBe(true);
    // the aisle is wider than the gap between neighbours
    const [a, b, c] = firstRow;
    expect(c!.x - b!.x).toBeGreaterThan(b!.x - a!.x);
    expect(layoutProblems(layout)).toEqual([]);
  });

  it('puts five seats across the back row of a 2+2 bus when asked', () => {
    const layout = buildVehicleLayout('Coach', { type: 'bus_2_2', rows: 10, backRowOfFive: true });
    expect(countSeats(layout)).toBe(41);
    const backRow = seatsOf(layout).filter((seat) => seat.row === '10');
    expect(backRow.map((seat) => seat.label)).toEqual(['A10', 'B10', 'C10', 'D10', 'E10']);
    expect(backRow[0]!.flags).toEqual(['window']);
    expect(backRow[4]!.flags).toEqual(['window']);
    expect(backRow.every((seat) => seat.category === 'ECONOMY')).toBe(true);
  });

  it('lays out a 2+1 business bus with a single window-and-aisle seat on the right', () => {
    const layout = buildVehicleLayout('AC', { type: 'bus_2_1', rows: 10, seatClass: 'AC_BUSINESS' });
    expect(countSeats(layout)).toBe(30);
    const firstRow = seatsOf(layout).filter((seat) => seat.row === '1');
    expect(firstRow.map((seat) => [seat.label, seat.flags])).toEqual([
      ['A1', ['window']],
      ['B1', ['aisle']],
      ['C1', ['aisle', 'window']],
    ]);
  });

  it('puts rows front to back with distinct coordinates', () => {
    const seats = seatsOf(buildVehicleLayout('AC', { type: 'bus_2_1', rows: 3 }));
    expect(new Set(seats.map((seat) => `${seat.x},${seat.y}`)).size).toBe(seats.length);
    expect(seats.find((seat) => seat.label === 'A3')!.y).toBeGreaterThan(seats.find((seat) => seat.label === 'A1')!.y);
  });
});

describe('sleeper template', () => {
  it('has lower berths on deck 1 and upper berths on deck 2, one plus two per row', () => {
    const layout = buildVehicleLayout('Sleeper', { type: 'sleeper_2_decks', rows: 6, seatClass: 'AC_SLEEPER' });
    expect(layout.vehicleType).toBe('sleeper_bus');
    expect(layout.sections.map((section) => section.name)).toEqual(['Lower deck', 'Upper deck']);
    expect(countSeats(layout)).toBe(36);
    const lower = seatsOf(layout, 0);
    const upper = seatsOf(layout, 1);
    expect(lower.every((seat) => seat.deck === 1 && seat.flags!.includes('berth_lower'))).toBe(true);
    expect(upper.every((seat) => seat.deck === 2 && seat.flags!.includes('berth_upper'))).toBe(true);
    expect(lower.filter((seat) => seat.row === '1').map((seat) => seat.label)).toEqual(['LA1', 'LB1', 'LC1']);
    expect(upper.filter((seat) => seat.row === '6').map((seat) => seat.label)).toEqual(['UA6', 'UB6', 'UC6']);
    // drawn side by side: the decks do not overlap
    expect(Math.min(...upper.map((seat) => seat.x))).toBeGreaterThan(Math.max(...lower.map((seat) => seat.x)));
  });
});

describe('train template', () => {
  it('makes one section per coach with its class and numbers seats through the coach', () => {
    const layout = buildVehicleLayout('Intercity', { type: 'train_coach', coaches });
    expect(layout.vehicleType).toBe('train');
    expect(layout.sections.map((section) => section.name)).toEqual(['KA', 'KHA', 'CHA']);
    expect(countSeats(layout)).toBe(80 + 60 + 24);
    const ka = seatsOf(layout, 0);
    expect(ka.map((seat) => seat.label)).toEqual(Array.from({ length: 80 }, (_, i) => String(i + 1)));
    expect(ka.every((seat) => seat.category === 'S_CHAIR')).toBe(true);
    expect(ka.slice(0, 4).map((seat) => seat.flags)).toEqual([['window'], ['aisle'], ['aisle'], ['window']]);
    // 2+3 seating: the aisle after the second seat
    expect(
      seatsOf(layout, 1)
        .slice(0, 5)
        .map((seat) => seat.flags),
    ).toEqual([['window'], ['aisle'], ['aisle'], [], ['window']]);
    const berths = seatsOf(layout, 2)
      .slice(0, 4)
      .map((seat) => seat.flags);
    expect(berths).toEqual([['berth_lower'], ['berth_upper'], ['berth_lower'], ['berth_upper']]);
  });

  it('draws coaches one after another without overlapping', () => {
    const layout = buildVehicleLayout('Intercity', { type: 'train_coach', coaches });
    const lastOfKa = Math.max(...seatsOf(layout, 0).map((seat) => seat.y));
    const firstOfKha = Math.min(...seatsOf(layout, 1).map((seat) => seat.y));
    expect(firstOfKha).toBeGreaterThan(lastOfKa);
  });
});

describe('template and layout problems', () => {
  it('lists every field that does not fit the template type', () => {
    expect(problemsOf(() => buildVehicleLayout('x', { type: 'bus_2_2' })).map((p) => p.path)).toEqual([
      'template/rows',
    ]);
    expect(
      problemsOf(() => buildVehicleLayout('x', { type: 'bus_2_1', rows: 5, backRowOfFive: true, coaches })).map(
        (p) => p.path,
      ),
    ).toEqual(['template/coaches', 'template/backRowOfFive']);
    expect(
      problemsOf(() => buildVehicleLayout('x', { type: 'train_coach', rows: 5, seatClass: 'X' })).map((p) => p.path),
    ).toEqual(['template/coaches', 'template/rows', 'template/seatClass']);
    expect(
      problemsOf(() =>
        buildVehicleLayout('x', { type: 'train_coach', coaches: [coaches[0]!, { ...coaches[1]!, name: 'ka' }] }),
      ),
    ).toEqual([{ path: 'template/coaches/1/name', message: 'coach "ka" appears twice' }]);
  });

  it('refuses an explicit layout with repeated sections, rows or seats, listing each', () => {
    const seat = { label: '1', category: 'STD', x: 0, y: 0 };
    const problems = problemsOf(() =>
      explicitVehicleLayout('x', {
        sections: [
          { name: 'Deck', rows: [{ name: '1', seats: [seat, seat] }] },
          {
            name: 'Deck',
            rows: [
              { name: '1', seats: [seat] },
              { name: '1', seats: [seat] },
            ],
          },
        ],
      }),
    );
    expect(problems.map((p) => p.path)).toEqual([
      'sections/0/rows/0/seats/1/label',
      'sections/1/name',
      'sections/1/rows/1/name',
    ]);
  });

  it('accepts a valid explicit layout as a bus unless told otherwise', () => {
    const layout = explicitVehicleLayout('Minibus', {
      sections: [
        { name: 'Main', rows: [{ name: 'A', seats: [{ label: '1', category: 'STD', x: 0, y: 0, deck: 1 }] }] },
      ],
    });
    expect(layout).toMatchObject({ kind: 'vehicle', vehicleType: 'bus' });
    expect(seatsOf(layout)[0]!.flags).toEqual([]);
  });
});
