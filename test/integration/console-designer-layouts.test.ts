import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDraft,
  emptyDraft,
  fromLayoutCsv,
  fromLayoutJson,
  generateRows,
  nextLabel,
  parseCsv,
  toLayoutCsv,
  toLayoutJson,
  toVehicleLayout,
  type Draft,
} from '../../web/src/routes/console/designer/model.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api } from '../support/booking-fixtures.js';
import { createOrganizer } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * The seat-map designer's draft (web/src/routes/console/designer/model.ts): how rows are generated, and
 * that what it saves is what the server's import takes — and what the server exports reads back the same.
 */
describe('seat-map designer drafts', () => {
  it('numbers rows left to right or right to left, leaves aisles, and bends curved rows', () => {
    const base = {
      section: 'Stalls',
      firstRow: 'A',
      rowCount: 2,
      seatsPerRow: 4,
      firstNumber: 1,
      direction: 'ltr' as const,
      gapsAfter: [2],
      shape: 'straight' as const,
      curve: 2,
      category: 'REGULAR',
      x: 0,
      y: 0,
      seatPitch: 10,
      rowPitch: 12,
    };
    const straight = generateRows(base);
    expect(straight.map((s) => [s.row, s.label, s.x, s.y])).toEqual([
      ['A', '1', 0, 0],
      ['A', '2', 10, 0],
      ['A', '3', 30, 0],
      ['A', '4', 40, 0],
      ['B', '1', 0, 12],
      ['B', '2', 10, 12],
      ['B', '3', 30, 12],
      ['B', '4', 40, 12],
    ]);
    const rtl = generateRows({ ...base, rowCount: 1, direction: 'rtl', firstNumber: 101 });
    expect(rtl.map((s) => s.label)).toEqual(['104', '103', '102', '101']);
    const curved = generateRows({ ...base, rowCount: 1, gapsAfter: [], seatsPerRow: 5, shape: 'curve' });
    const ys = curved.map((s) => s.y);
    expect(ys[0]).toBe(0);
    expect(ys[4]).toBe(0);
    expect(ys[2]).toBe(20); // the middle sags by curve × pitch
    expect(ys[1]).toBeGreaterThan(0);
    expect(['A', 'Z', 'AZ', 'ZZ', '9', 'Row 9', ''].map(nextLabel)).toEqual([
      'B',
      'AA',
      'BA',
      'AAA',
      '10',
      'Row 10',
      'A',
    ]);
  });

  it('finds what the server would refuse before saving: duplicates, bad categories, an empty map', () => {
    const draft: Draft = {
      ...emptyDraft('Hall'),
      seats: generateRows({
        section: 'Main',
        firstRow: 'A',
        rowCount: 1,
        seatsPerRow: 2,
        firstNumber: 1,
        direction: 'ltr',
        gapsAfter: [],
        shape: 'straight',
        curve: 0,
        category: 'bad category',
        x: 0,
        y: 0,
        seatPitch: 10,
        rowPitch: 10,
      }),
    };
    draft.seats.push({ ...draft.seats[0]!, key: 'copy' });
    expect(
      checkDraft(draft)
        .map((p) => p.message)
        .sort(),
    ).toEqual(['badCategory', 'badCategory', 'badCategory', 'duplicateSeat']);
    expect(checkDraft(emptyDraft('Nothing')).map((p) => p.message)).toEqual(['noSeats']);
  });

  it('reads CSV with quotes, doubled quotes and line breaks inside quotes, and writes what it reads', () => {
    expect(parseCsv('\uFEFFa,"b, c","d ""e"""\r\n"x\ny",z,\n')).toEqual([
      ['a', 'b, c', 'd "e"'],
      ['x\ny', 'z', ''],
    ]);
    const draft = fromLayoutCsv(
      'section,row,seat,category,x,y,flags,capacity\nWest / Lower,1,1,GOLD,0,0,aisle|wheelchair,\nWest / Lower,1,2,GOLD,10,0,,\nFloor,,,GA,0,40,,250\n',
      'Stadium',
    );
    expect(draft.seats.map((s) => [s.section, s.row, s.label, s.flags])).toEqual([
      ['West/Lower', '1', '1', ['aisle', 'wheelchair']],
      ['West/Lower', '1', '2', []],
    ]);
    expect(draft.areas.map((a) => [a.name, a.capacity])).toEqual([['Floor', 250]]);
    const again = fromLayoutCsv(toLayoutCsv(draft), 'Stadium');
    expect(again.seats.map(({ key: _key, ...seat }) => seat)).toEqual(
      draft.seats.map(({ key: _key, ...seat }) => seat),
    );
  });
});

describe(`designer drafts against the layout import API (${databaseKind})`, () => {
  let t: TestApp;
  let staff: TestUser;
  let organizerId: string;

  beforeAll(async () => {
    t = await createTestApp();
    organizerId = await createOrganizer(t.deps.database.db);
    staff = await createTestUser(t, { role: 'staff', organizerId });
  });
  afterAll(async () => t?.close());

  it('saves a designed venue through PUT …/layout and reads the export back into the same draft', async () => {
    const venue = await api(t, 'POST', '/api/admin/venues', {
      user: staff,
      body: { organizerId, name: 'Designed hall', city: 'Dhaka', timezone: 'Asia/Dhaka' },
    });
    const draft: Draft = {
      name: 'Designed hall v1',
      seats: [
        ...generateRows({
          section: 'Stalls',
          firstRow: 'A',
          rowCount: 3,
          seatsPerRow: 8,
          firstNumber: 1,
          direction: 'rtl',
          gapsAfter: [4],
          shape: 'curve',
          curve: 1.5,
          category: 'REGULAR',
          x: 0,
          y: 0,
          seatPitch: 10,
          rowPitch: 12,
        }),
        ...generateRows({
          section: 'Balcony/Left',
          firstRow: 'AA',
          rowCount: 1,
          seatsPerRow: 5,
          firstNumber: 1,
          direction: 'ltr',
          gapsAfter: [],
          shape: 'straight',
          curve: 0,
          category: 'PREMIUM',
          x: 0,
          y: 80,
          seatPitch: 10,
          rowPitch: 12,
        }),
      ],
      areas: [{ key: 'ga1', name: 'Standing', category: 'GA', capacity: 40, x: 0, y: 120 }],
    };
    draft.seats[0]!.flags = ['blocked'];
    draft.seats[1]!.flags = ['wheelchair', 'aisle'];
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/venues/${venue.body.id}/layout`,
      headers: staff.headers,
      payload: toLayoutJson(draft),
    });
    expect(saved.statusCode, saved.body).toBe(201);
    expect(saved.json()).toMatchObject({
      seatCount: 29,
      gaCapacity: 40,
      categories: expect.arrayContaining(['GA', 'PREMIUM', 'REGULAR']),
    });

    const exported = await api(t, 'GET', `/api/admin/venues/${venue.body.id}/layout`, { user: staff });
    const back = fromLayoutJson(exported.body);
    const shape = (d: Draft) =>
      d.seats
        .map((s) => `${s.section}|${s.row}|${s.label}|${s.category}|${s.x}|${s.y}|${[...s.flags].sort().join('+')}`)
        .sort();
    expect(shape(back)).toEqual(shape(draft));
    expect(back.areas.map((a) => [a.name, a.category, a.capacity])).toEqual([['Standing', 'GA', 40]]);
  });

  it('saves a designed bus as an explicit vehicle layout with decks and classes', async () => {
    const draft: Draft = {
      name: 'Designed sleeper',
      areas: [],
      seats: [
        ...generateRows({
          section: 'Lower',
          firstRow: '1',
          rowCount: 4,
          seatsPerRow: 3,
          firstNumber: 1,
          direction: 'ltr',
          gapsAfter: [1],
          shape: 'straight',
          curve: 0,
          category: 'SLEEPER',
          x: 0,
          y: 0,
          seatPitch: 10,
          rowPitch: 20,
          deck: 1,
        }),
        ...generateRows({
          section: 'Upper',
          firstRow: '1',
          rowCount: 4,
          seatsPerRow: 3,
          firstNumber: 1,
          direction: 'ltr',
          gapsAfter: [1],
          shape: 'straight',
          curve: 0,
          category: 'SLEEPER',
          x: 100,
          y: 0,
          seatPitch: 10,
          rowPitch: 20,
          deck: 2,
        }),
      ],
    };
    const created = await api(t, 'POST', '/api/admin/vehicle-layouts', {
      user: staff,
      body: { organizerId, name: draft.name, layout: toVehicleLayout(draft, 'sleeper_bus') },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ seatCount: 24, decks: 2, classes: [{ seatClass: 'SLEEPER', seatCount: 24 }] });
  });
});
