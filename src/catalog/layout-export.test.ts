import { describe, expect, it } from 'vitest';
import type { LayoutGaAreaRow, LayoutSeatRow, LayoutSectionRow } from '../db/schema.js';
import { layoutToCsv, layoutToJson } from './layout-export.js';
import { parseLayoutCsv, parseLayoutJson } from './layout-import.js';
import type { LayoutContents } from './layout.repository.js';

/** Stored rows as layout.repository's insertLayout writes them, built by hand so the test needs no database. */
function storedLayout(): LayoutContents {
  const section = (id: string, name: string, parent: LayoutSectionRow | null, ordinal: number): LayoutSectionRow => ({
    id,
    layout_id: 'lay_1',
    parent_id: parent?.id ?? null,
    name,
    path: parent ? `${parent.path} / ${name}` : name,
    ordinal,
  });
  const north = section('sec_n', 'North', null, 0);
  const n1 = section('sec_n1', 'N1', north, 1);
  const box = section('sec_box', 'Box, "Royal"', null, 2);
  let ordinal = 0;
  const seat = (
    sectionRow: LayoutSectionRow,
    row: string,
    label: string,
    category: string,
    x: number,
    y: number,
    flags: string[] = [],
  ): LayoutSeatRow => ({
    id: `st_${ordinal}`,
    layout_id: 'lay_1',
    section_id: sectionRow.id,
    row_label: row,
    seat_label: label,
    label: `${sectionRow.path} · Row ${row} · Seat ${label}`,
    category,
    x,
    y,
    deck: 1,
    flags,
    ordinal: ordinal++,
  });
  const gaArea: LayoutGaAreaRow = {
    id: 'ga_1',
    layout_id: 'lay_1',
    name: 'Floor / front',
    category: 'FLOOR',
    capacity: 1200,
    x: 4,
    y: -2.5,
  };
  return {
    layout: {
      id: 'lay_1',
      organizer_id: 'org_1',
      name: 'Arena',
      kind: 'venue',
      vehicle_type: null,
      decks: 1,
      seat_count: 5,
      ga_capacity: 1200,
      created_at: new Date(0),
    },
    sections: [north, n1, box],
    seats: [
      seat(north, 'A', '1', 'GOLD', 0, 0, ['wheelchair', 'aisle']),
      seat(n1, '1', '1', 'SILVER', 0, 10),
      seat(n1, '1', '3', 'SILVER', 20.5, 10),
      seat(n1, '2', '1', 'SILVER', 0, 20, ['restricted_view']),
      seat(box, '', 'B1', 'VIP', 100, 100),
    ],
    gaAreas: [gaArea],
  };
}

describe('layout export', () => {
  it('writes JSON in the import format, nesting sections and grouping seats by row', () => {
    const json = layoutToJson(storedLayout());
    expect(json).toEqual({
      name: 'Arena',
      sections: [
        {
          name: 'North',
          rows: [{ name: 'A', seats: [{ label: '1', category: 'GOLD', x: 0, y: 0, flags: ['wheelchair', 'aisle'] }] }],
          sections: [
            {
              name: 'N1',
              rows: [
                {
                  name: '1',
                  seats: [
                    { label: '1', category: 'SILVER', x: 0, y: 10 },
                    { label: '3', category: 'SILVER', x: 20.5, y: 10 },
                  ],
                },
                { name: '2', seats: [{ label: '1', category: 'SILVER', x: 0, y: 20, flags: ['restricted_view'] }] },
              ],
            },
          ],
        },
        { name: 'Box, "Royal"', rows: [{ name: '', seats: [{ label: 'B1', category: 'VIP', x: 100, y: 100 }] }] },
      ],
      gaAreas: [{ name: 'Floor / front', category: 'FLOOR', capacity: 1200, x: 4, y: -2.5 }],
    });
  });

  it('writes CSV with section paths, quoted fields, flags and a capacity column for GA areas', () => {
    expect(layoutToCsv(storedLayout()).split('\r\n')).toEqual([
      'section,row,seat,category,x,y,flags,capacity',
      'North,A,1,GOLD,0,0,wheelchair|aisle,',
      'North/N1,1,1,SILVER,0,10,,',
      'North/N1,1,3,SILVER,20.5,10,,',
      'North/N1,2,1,SILVER,0,20,restricted_view,',
      '"Box, ""Royal""",,B1,VIP,100,100,,',
      'Floor / front,,,FLOOR,4,-2.5,,1200',
      '',
    ]);
  });

  it('imports its own JSON and CSV back to the same layout', () => {
    const stored = storedLayout();
    const fromJson = parseLayoutJson(layoutToJson(stored));
    const fromCsv = parseLayoutCsv(layoutToCsv(stored), 'Arena');
    expect(fromJson.ok && fromCsv.ok).toBe(true);
    if (!fromJson.ok || !fromCsv.ok) return;
    expect(fromCsv.layout).toEqual(fromJson.layout);
    expect(layoutToJson(stored)).toEqual({
      name: fromJson.layout.name,
      sections: fromJson.layout.sections,
      gaAreas: fromJson.layout.gaAreas,
    });
  });
});
