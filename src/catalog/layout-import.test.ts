import { describe, expect, it } from 'vitest';
import { countSeats } from './layout.model.js';
import {
  COMPACT_GEOMETRY,
  LAYOUT_LIMITS,
  expandSeatSpec,
  parseLayoutCsv,
  parseLayoutJson,
  type LayoutImport,
  type LayoutProblem,
} from './layout-import.js';

function problemsOf(result: LayoutImport): LayoutProblem[] {
  if (result.ok) throw new Error('expected the import to fail');
  return result.problems;
}

function layoutOf(result: LayoutImport) {
  if (!result.ok) throw new Error(`expected the import to pass: ${JSON.stringify(result.problems)}`);
  return result.layout;
}

describe('expandSeatSpec', () => {
  it('reads a single number as a seat count starting at 1', () => {
    expect(expandSeatSpec('4')).toEqual({ numbers: [1, 2, 3, 4] });
  });

  it('leaves out the seats a range list skips', () => {
    const result = expandSeatSpec('1-3, 5 ,7-8');
    expect(result).toEqual({ numbers: [1, 2, 3, 5, 7, 8] });
  });

  it('accepts rows that start above 1', () => {
    expect(expandSeatSpec('6-9')).toEqual({ numbers: [6, 7, 8, 9] });
  });

  it.each([
    ['0', 'a seat count must be between 1'],
    ['5-3', 'runs backwards'],
    ['1-4,3-6', 'seat 3 is listed twice'],
    ['1-4,', 'is not a seat number'],
    ['a-b', 'is not a seat number'],
    ['0-3', 'seat numbers start at 1'],
    ['1-5000', `at most ${LAYOUT_LIMITS.maxSeatsPerRow} seats`],
  ])('refuses "%s"', (spec, message) => {
    const result = expandSeatSpec(spec);
    expect('error' in result && result.error).toContain(message);
  });
});

describe('parseLayoutJson', () => {
  it('reads explicit seats with flags and inherits the category from the row or section', () => {
    const layout = layoutOf(
      parseLayoutJson({
        name: 'Hall',
        sections: [
          {
            name: 'Stalls',
            category: 'REGULAR',
            rows: [
              {
                name: 'A',
                seats: [
                  { label: '1', x: 0, y: 0, flags: ['wheelchair', 'aisle'] },
                  { label: '2', category: 'VIP', x: 10, y: 0 },
                ],
              },
              { name: 'B', category: 'CHEAP', seats: [{ label: '1', x: 0, y: 10 }] },
            ],
          },
        ],
        gaAreas: [{ name: 'Standing', category: 'GA', capacity: 300 }],
      }),
    );
    const [rowA, rowB] = layout.sections[0]!.rows!;
    expect(rowA!.seats).toEqual([
      { label: '1', category: 'REGULAR', x: 0, y: 0, flags: ['wheelchair', 'aisle'] },
      { label: '2', category: 'VIP', x: 10, y: 0 },
    ]);
    expect(rowB!.seats[0]!.category).toBe('CHEAP');
    expect(layout.gaAreas).toEqual([{ name: 'Standing', category: 'GA', capacity: 300 }]);
  });

  it('expands compact rows, skipping gap seats and drawing sectors of a stand side by side', () => {
    const layout = layoutOf(
      parseLayoutJson({
        name: 'Stadium',
        sections: [
          {
            name: 'West',
            category: 'WEST',
            sections: [
              {
                name: '1',
                rows: [
                  { name: '1', seats: '3' },
                  { name: '2', seats: '1-2,4' },
                ],
              },
              { name: '2', rows: [{ name: '1', seats: '2', category: 'VIP' }] },
            ],
          },
          { name: 'East', sections: [{ name: '3', category: 'EAST', rows: [{ name: '1', seats: '1' }] }] },
        ],
      }),
    );
    const [sector1, sector2] = layout.sections[0]!.sections!;
    expect(sector1!.rows![1]!.seats.map((seat) => seat.label)).toEqual(['1', '2', '4']);
    expect(sector1!.rows![1]!.seats[2]).toEqual({
      label: '4',
      category: 'WEST',
      x: 3 * COMPACT_GEOMETRY.seatPitch,
      y: COMPACT_GEOMETRY.rowPitch,
    });
    // Sector 2 starts right of sector 1's widest row (4 seats) plus the gap between sectors.
    expect(sector2!.rows![0]!.seats[0]).toMatchObject({
      category: 'VIP',
      x: 4 * COMPACT_GEOMETRY.seatPitch + COMPACT_GEOMETRY.sectionGap,
      y: 0,
    });
    // The next stand is drawn below the first one.
    const east = layout.sections[1]!.sections![0]!.rows![0]!.seats[0]!;
    expect(east).toMatchObject({ x: 0, y: 2 * COMPACT_GEOMETRY.rowPitch + COMPACT_GEOMETRY.standGap });
    expect(countSeats(layout)).toBe(3 + 3 + 2 + 1);
  });

  it('lists every problem with its path and field, not just the first', () => {
    const problems = problemsOf(
      parseLayoutJson({
        name: '',
        colour: 'red',
        sections: [
          {
            name: 'A/B',
            rows: [
              {
                name: '1',
                seats: [
                  { label: '1', category: 'X', x: 'left', y: 0 },
                  { label: '1', category: 'X', x: 1, y: 0, flags: ['sparkly'] },
                  { label: '2', x: 2, y: 0 },
                ],
              },
              { name: '2', seats: '1-3,2' },
              { name: '3', seats: '5' },
            ],
          },
        ],
        gaAreas: [{ name: 'Floor', category: 'GA', capacity: -5 }],
      }),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: '', field: 'name', message: 'must not be empty' },
        { path: '', field: 'colour', message: expect.stringContaining('is not a known field') },
        { path: '/sections/0', field: 'name', message: 'may not contain / or >' },
        { path: '/sections/0/rows/0/seats/0', field: 'x', message: 'must be a number, got a string' },
        { path: '/sections/0/rows/0/seats/1', field: 'label', message: expect.stringContaining('seat 1 is already') },
        { path: '/sections/0/rows/0/seats/1', field: 'flags', message: expect.stringContaining('"sparkly"') },
        { path: '/sections/0/rows/0/seats/2', field: 'category', message: expect.stringContaining('is required') },
        { path: '/sections/0/rows/1', field: 'seats', message: 'seat 2 is listed twice' },
        { path: '/sections/0/rows/2', field: 'category', message: expect.stringContaining('needs a category') },
        { path: '/gaAreas/0', field: 'capacity', message: expect.stringContaining('whole number') },
      ]),
    );
    expect(problems).toHaveLength(10);
  });

  it('refuses coordinates that are not finite or absurdly large', () => {
    const problems = problemsOf(
      parseLayoutJson({
        name: 'Hall',
        sections: [{ name: 'S', rows: [{ name: '1', seats: [{ label: '1', category: 'A', x: 1e300, y: 0 }] }] }],
      }),
    );
    expect(problems).toEqual([
      { path: '/sections/0/rows/0/seats/0', field: 'x', message: expect.stringContaining('between') },
    ]);
  });

  it('refuses an empty layout, a section without rows and a row without seats', () => {
    expect(problemsOf(parseLayoutJson({ name: 'Empty', sections: [] }))).toEqual([
      { path: '', field: 'sections', message: 'the layout has no seats and no general-admission areas' },
    ]);
    expect(problemsOf(parseLayoutJson({ name: 'Hollow', sections: [{ name: 'S' }] }))).toEqual([
      { path: '/sections/0', field: 'rows', message: 'a section needs rows or sections' },
    ]);
    expect(
      problemsOf(parseLayoutJson({ name: 'Bare', sections: [{ name: 'S', rows: [{ name: '1', seats: [] }] }] })),
    ).toEqual([{ path: '/sections/0/rows/0', field: 'seats', message: 'a row needs at least one seat' }]);
  });

  it('refuses duplicate section and row names among siblings', () => {
    const row = { name: '1', seats: '2', category: 'A' };
    const problems = problemsOf(
      parseLayoutJson({
        name: 'Twins',
        sections: [
          { name: 'S', rows: [row, row] },
          { name: 'S', rows: [row] },
        ],
      }),
    );
    expect(problems.map((problem) => `${problem.path} ${problem.field}`)).toEqual([
      '/sections/0/rows/1 name',
      '/sections/1 name',
    ]);
  });

  it('refuses what is not a layout object', () => {
    expect(problemsOf(parseLayoutJson([1, 2]))).toEqual([
      { path: '', field: 'layout', message: 'must be a JSON object, got an array' },
    ]);
  });

  it('caps the listed problems but counts them all', () => {
    const seats = Array.from({ length: 1500 }, (_, i) => ({ label: String(i + 1), category: 'A', x: 'no', y: 0 }));
    const result = parseLayoutJson({ name: 'Big', sections: [{ name: 'S', rows: [{ name: '1', seats }] }] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toHaveLength(LAYOUT_LIMITS.maxProblems);
    expect(result.problemCount).toBe(1500);
  });
});

describe('parseLayoutCsv', () => {
  it('reads nested section paths, quoted fields, flags and general-admission lines', () => {
    const csv = [
      '\ufeffsection,row,seat,category,x,y,flags,capacity',
      'West/1,1,1,GOLD,0,0,wheelchair|aisle,',
      'West > 1,1,2,GOLD,10,0,,',
      '"West/2","1","1","SILVER",0,20,"companion; restricted_view",',
      'Floor,,,GA,5.5,-3,,500',
      '',
    ].join('\r\n');
    const layout = layoutOf(parseLayoutCsv(csv, 'Arena'));
    expect(layout.name).toBe('Arena');
    const west = layout.sections[0]!;
    expect(west.name).toBe('West');
    expect(west.rows).toBeUndefined();
    expect(west.sections!.map((sector) => sector.name)).toEqual(['1', '2']);
    expect(west.sections![0]!.rows![0]!.seats).toEqual([
      { label: '1', category: 'GOLD', x: 0, y: 0, flags: ['wheelchair', 'aisle'] },
      { label: '2', category: 'GOLD', x: 10, y: 0 },
    ]);
    expect(west.sections![1]!.rows![0]!.seats[0]!.flags).toEqual(['companion', 'restricted_view']);
    expect(layout.gaAreas).toEqual([{ name: 'Floor', category: 'GA', capacity: 500, x: 5.5, y: -3 }]);
  });

  it('takes the columns in any order and without the flags column', () => {
    const layout = layoutOf(parseLayoutCsv('seat,row,section,x,y,category\n7,C,Main,1,2,A\n', 'Hall'));
    expect(layout.sections[0]!.rows![0]).toEqual({ name: 'C', seats: [{ label: '7', category: 'A', x: 1, y: 2 }] });
  });

  it('lists every problem with its line number', () => {
    const csv = [
      'section,row,seat,category,x,y,flags',
      'Main,1,1,A,0,0,',
      'Main,1,2,A,zero,0,', // line 3: x not a number
      'Main,1,1,A,5,0,', // line 4: duplicate of line 2
      'Main,1,3,A,0', // line 5: too few columns
      'Main,1,4,,0,0,sparkly', // line 6: no category, unknown flag
      ',1,5,A,0,0,', // line 7: no section
      'Main,1,6,A,Infinity,1e999,', // line 8: neither is a decimal number / finite
    ].join('\n');
    const problems = problemsOf(parseLayoutCsv(csv, 'Hall'));
    expect(problems).toEqual([
      { line: 3, field: 'x', message: '"zero" is not a number' },
      { line: 4, field: 'seat', message: 'seat 1 in row "1" of Main is already on line 2' },
      { line: 5, field: 'columns', message: 'expected 7 columns, found 5' },
      { line: 6, field: 'category', message: 'is required' },
      { line: 6, field: 'flags', message: expect.stringContaining('"sparkly" is not a known flag') },
      { line: 7, field: 'section', message: 'is required' },
      { line: 8, field: 'x', message: '"Infinity" is not a number' },
      { line: 8, field: 'y', message: 'must be a finite number' },
    ]);
  });

  it('refuses a bad header and says which columns are wrong or missing', () => {
    const problems = problemsOf(parseLayoutCsv('section;row;seat;category;x;y\nMain;1;1;A;0;0\n', 'Hall'));
    expect(problems[0]).toMatchObject({
      line: 1,
      field: 'header',
      message: expect.stringContaining('separated by commas'),
    });
    expect(problemsOf(parseLayoutCsv('section,row,seat,price,x,y\n', 'Hall')).map((p) => p.message)).toEqual([
      expect.stringContaining('unknown column "price"'),
      'the column "category" is missing',
    ]);
  });

  it('refuses an empty file and a file with only a header', () => {
    expect(problemsOf(parseLayoutCsv('', 'Hall'))).toEqual([
      { line: 1, field: 'header', message: expect.stringContaining('the file is empty') },
    ]);
    expect(problemsOf(parseLayoutCsv('section,row,seat,category,x,y,flags\n', 'Hall'))).toEqual([
      { line: 1, field: 'csv', message: 'the file has a header but no seats' },
    ]);
  });

  it('checks general-admission lines: positive whole capacity, no row or seat', () => {
    const csv = [
      'section,row,seat,category,x,y,flags,capacity',
      'Floor,,,GA,,,,0',
      'Pit,1,,GA,,,,2.5',
      'Floor,,,GA,,,,10',
    ].join('\n');
    expect(problemsOf(parseLayoutCsv(csv, 'Hall'))).toEqual([
      { line: 2, field: 'capacity', message: expect.stringContaining('"0" is not a whole number') },
      { line: 3, field: 'capacity', message: expect.stringContaining('"2.5" is not a whole number') },
      { line: 3, field: 'capacity', message: expect.stringContaining('has no row or seat') },
      { line: 4, field: 'section', message: 'the general-admission area "Floor" is already on line 2' },
    ]);
  });

  it('counts lines inside quoted fields and reports an unclosed quote', () => {
    const csv = 'section,row,seat,category,x,y\n"Main\nHall",1,1,A,0,0\nMain,1,1,A,x,0\n"Main,1,2,A,0,0\n';
    expect(problemsOf(parseLayoutCsv(csv, 'Hall'))).toEqual([
      { line: 2, field: 'section', message: expect.stringContaining('control characters') },
      { line: 4, field: 'x', message: '"x" is not a number' },
      { line: 5, field: 'csv', message: 'a quoted field is never closed' },
    ]);
  });
});
