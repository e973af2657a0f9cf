import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLayout, createOrganizer, gridLayout } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let t: TestApp;
let organizerId: string;

beforeAll(async () => {
  t = await createTestApp();
  organizerId = await createOrganizer(t.deps.database.db, { currency: 'BDT', timezone: 'Asia/Dhaka' });
});
afterAll(async () => t?.close());

function admin(method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const options: InjectOptions = {
    method,
    url: `/api/admin${url}`,
    headers: { ...t.adminHeaders, ...headers },
  };
  if (payload !== undefined) options.payload = payload as object;
  return t.app.inject(options);
}

/** Sends a request that must succeed with `status`; returns the JSON body. */
async function ok(status: number, method: Method, url: string, payload?: unknown) {
  const response = await admin(method, url, payload);
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(status);
  return response.body ? response.json() : undefined;
}

/** Expects an error answer with this status and code; returns the error object. */
async function expectError(request: Promise<LightMyRequestResponse>, status: number, code: string) {
  const response = await request;
  expect({ status: response.statusCode, code: response.json().error?.code }).toEqual({ status, code });
  return response.json().error;
}

let stopSeq = 0;
async function createStop(overrides: Record<string, unknown> = {}) {
  stopSeq += 1;
  return ok(201, 'POST', '/stops', {
    organizerId,
    code: `S${stopSeq}`,
    name: `Stop ${stopSeq}`,
    city: 'Dhaka',
    timezone: 'Asia/Dhaka',
    ...overrides,
  });
}

let routeSeq = 0;
async function createRoute(stops: { stopId: string; arriveOffsetMin: number; departOffsetMin: number }[], extra = {}) {
  routeSeq += 1;
  return ok(201, 'POST', '/routes', {
    organizerId,
    code: `R${routeSeq}`,
    name: `Route ${routeSeq}`,
    mode: 'bus',
    stops,
    ...extra,
  });
}

async function busLayout(type = 'bus_2_2') {
  return ok(201, 'POST', '/vehicle-layouts', { organizerId, name: `${type} bus`, template: { type, rows: 10 } });
}

async function count(table: 'trips' | 'trip_stops' | 'routes' | 'route_stops' | 'fares' | 'stops' | 'seat_layouts') {
  const row = await t.deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function tableCounts() {
  const tables = ['trips', 'trip_stops', 'routes', 'route_stops', 'fares', 'stops', 'seat_layouts'] as const;
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)])));
}

describe('stops', () => {
  it('creates, reads, lists, changes and deletes a stop', async () => {
    const stop = await ok(201, 'POST', '/stops', {
      organizerId,
      code: 'DHK-SYD',
      name: 'Sayedabad Bus Terminal',
      city: 'Dhaka',
      lat: 23.7104,
      lon: 90.4256,
      timezone: 'asia/dhaka',
    });
    expect(stop).toEqual({
      id: expect.stringMatching(/^stp_/),
      organizerId,
      code: 'DHK-SYD',
      name: 'Sayedabad Bus Terminal',
      city: 'Dhaka',
      lat: 23.7104,
      lon: 90.4256,
      timezone: 'Asia/Dhaka',
    });
    expect(await ok(200, 'GET', `/stops/${stop.id}`)).toEqual(stop);
    const listed = await ok(200, 'GET', `/stops?organizerId=${organizerId}`);
    expect(listed.stops).toContainEqual(stop);

    const changed = await ok(200, 'PATCH', `/stops/${stop.id}`, { name: 'Sayedabad', lat: null, timezone: 'UTC' });
    expect(changed).toMatchObject({ name: 'Sayedabad', lat: null, lon: 90.4256, timezone: 'UTC' });

    await ok(204, 'DELETE', `/stops/${stop.id}`);
    await expectError(admin('GET', `/stops/${stop.id}`), 404, 'resource.not_found');
  });

  it('defaults city, lat and lon when left out', async () => {
    const stop = await ok(201, 'POST', '/stops', { organizerId, code: 'MIN', name: 'Minimal', timezone: 'UTC' });
    expect(stop).toMatchObject({ city: '', lat: null, lon: null });
  });

  it('refuses a second stop with the same code for one organizer, on create and on change', async () => {
    const first = await createStop({ code: 'DUP' });
    await expectError(
      admin('POST', '/stops', { organizerId, code: 'DUP', name: 'Again', timezone: 'Asia/Dhaka' }),
      409,
      'resource.conflict',
    );
    const other = await createStop();
    await expectError(admin('PATCH', `/stops/${other.id}`, { code: 'DUP' }), 409, 'resource.conflict');
    // the same code is fine for another organizer
    const otherOrganizer = await createOrganizer(t.deps.database.db);
    await ok(201, 'POST', '/stops', { organizerId: otherOrganizer, code: 'DUP', name: 'Theirs', timezone: 'UTC' });
    expect((await ok(200, 'GET', `/stops/${first.id}`)).name).toBe(first.name);
  });

  it('refuses to delete a stop that a route uses', async () => {
    const a = await createStop();
    const b = await createStop();
    await createRoute([
      { stopId: a.id, arriveOffsetMin: 0, departOffsetMin: 0 },
      { stopId: b.id, arriveOffsetMin: 60, departOffsetMin: 60 },
    ]);
    await expectError(admin('DELETE', `/stops/${a.id}`), 409, 'resource.in_use');
    expect((await ok(200, 'GET', `/stops/${a.id}`)).id).toBe(a.id);
  });

  it('rejects bad stop input with 4xx and creates nothing', async () => {
    const before = await count('stops');
    const valid = { organizerId, code: 'BAD', name: 'Bad', timezone: 'Asia/Dhaka' };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...valid, timezone: 'Mars/Olympus' }, 400, 'request.invalid'],
      [{ ...valid, timezone: '+06:00' }, 400, 'request.invalid'],
      [{ ...valid, lat: 91 }, 400, 'request.invalid'],
      [{ ...valid, lat: -90.5 }, 400, 'request.invalid'],
      [{ ...valid, lon: 181 }, 400, 'request.invalid'],
      [{ ...valid, lat: '23.7' }, 400, 'request.invalid'],
      [{ ...valid, code: '' }, 400, 'request.invalid'],
      [{ ...valid, code: 'has space' }, 400, 'request.invalid'],
      [{ ...valid, name: '   ' }, 400, 'request.invalid'],
      [{ ...valid, name: 'x'.repeat(201) }, 400, 'request.invalid'],
      [{ ...valid, altitude: 3 }, 400, 'request.invalid'],
      [{ ...valid, organizerId: 42 }, 400, 'request.invalid'],
      [{ code: 'BAD', name: 'Bad', timezone: 'UTC' }, 400, 'request.invalid'],
      [{ ...valid, organizerId: 'org_doesnotexist' }, 404, 'resource.not_found'],
    ];
    for (const [body, status, code] of cases) {
      const response = await admin('POST', '/stops', body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    expect(await count('stops')).toBe(before);

    const stop = await createStop();
    await expectError(admin('PATCH', `/stops/${stop.id}`, {}), 400, 'request.invalid');
    await expectError(admin('PATCH', `/stops/${stop.id}`, { timezone: 'Nowhere/Land' }), 400, 'request.invalid');
    await expectError(admin('PATCH', `/stops/${stop.id}`, { organizerId }), 400, 'request.invalid');
    await expectError(admin('PATCH', '/stops/stp_doesnotexist', { name: 'x' }), 404, 'resource.not_found');
    await expectError(admin('DELETE', '/stops/stp_doesnotexist'), 404, 'resource.not_found');
    await expectError(admin('GET', '/stops/bad%20id'), 400, 'request.invalid');
    await expectError(admin('GET', '/stops'), 400, 'request.invalid');
    await expectError(admin('GET', '/stops?organizerId=org_doesnotexist'), 404, 'resource.not_found');
    expect(await ok(200, 'GET', `/stops/${stop.id}`)).toEqual(stop);
  });
});

describe('vehicle layouts', () => {
  it('creates bus, sleeper and train layouts from templates with their classes', async () => {
    const bus = await ok(201, 'POST', '/vehicle-layouts', {
      organizerId,
      name: 'Non-AC 2+2',
      template: { type: 'bus_2_2', rows: 10, seatClass: 'NON_AC', backRowOfFive: true },
    });
    expect(bus).toEqual({
      id: expect.stringMatching(/^lay_/),
      organizerId,
      name: 'Non-AC 2+2',
      vehicleType: 'bus',
      decks: 1,
      seatCount: 41,
      classes: [{ seatClass: 'NON_AC', seatCount: 41 }],
    });
    const business = await ok(201, 'POST', '/vehicle-layouts', {
      organizerId,
      name: 'AC 2+1',
      template: { type: 'bus_2_1', rows: 10, seatClass: 'AC_BUSINESS' },
    });
    expect(business).toMatchObject({ seatCount: 30, classes: [{ seatClass: 'AC_BUSINESS', seatCount: 30 }] });
    const sleeper = await ok(201, 'POST', '/vehicle-layouts', {
      organizerId,
      name: 'Sleeper',
      template: { type: 'sleeper_2_decks', rows: 6, seatClass: 'AC_SLEEPER' },
    });
    expect(sleeper).toMatchObject({ vehicleType: 'sleeper_bus', decks: 2, seatCount: 36 });
    const train = await ok(201, 'POST', '/vehicle-layouts', {
      organizerId,
      name: 'Intercity',
      template: {
        type: 'train_coach',
        coaches: [
          { name: 'KA', seatClass: 'S_CHAIR', rows: 20, seatsPerRow: 4 },
          { name: 'KHA', seatClass: 'S_CHAIR', rows: 20, seatsPerRow: 4 },
          { name: 'GA', seatClass: 'SNIGDHA', rows: 12, seatsPerRow: 5 },
          { name: 'CHA', seatClass: 'AC_BERTH', rows: 6, seatsPerRow: 4, berths: true },
        ],
      },
    });
    expect(train).toMatchObject({
      vehicleType: 'train',
      seatCount: 80 + 80 + 60 + 24,
      classes: [
        { seatClass: 'S_CHAIR', seatCount: 160 },
        { seatClass: 'SNIGDHA', seatCount: 60 },
        { seatClass: 'AC_BERTH', seatCount: 24 },
      ],
    });

    const detail = await ok(200, 'GET', `/vehicle-layouts/${train.id}`);
    expect(detail.sections.map((section: { name: string }) => section.name)).toEqual(['KA', 'KHA', 'GA', 'CHA']);
    expect(detail.seats).toHaveLength(244);
    expect(detail.seats[0]).toMatchObject({
      row: '1',
      label: '1',
      fullLabel: 'KA · Row 1 · Seat 1',
      seatClass: 'S_CHAIR',
      deck: 1,
      flags: ['window'],
    });
    const sleeperDetail = await ok(200, 'GET', `/vehicle-layouts/${sleeper.id}`);
    const upper = sleeperDetail.seats.filter((seat: { deck: number }) => seat.deck === 2);
    expect(upper).toHaveLength(18);
    expect(upper.every((seat: { flags: string[] }) => seat.flags.includes('berth_upper'))).toBe(true);

    const listed = await ok(200, 'GET', `/vehicle-layouts?organizerId=${organizerId}`);
    expect(listed.layouts.map((layout: { id: string }) => layout.id)).toEqual(
      expect.arrayContaining([bus.id, business.id, sleeper.id, train.id]),
    );
  });

  it('creates a layout from explicit sections, rows and seats', async () => {
    const layout = await ok(201, 'POST', '/vehicle-layouts', {
      organizerId,
      name: 'Minibus',
      layout: {
        sections: [
          {
            name: 'Cabin',
            rows: [
              {
                name: '1',
                seats: [
                  { label: 'A1', category: 'STD', x: 0, y: 0, flags: ['window'] },
                  { label: 'B1', category: 'PLUS', x: 10, y: 0, flags: ['aisle', 'wheelchair'] },
                ],
              },
            ],
          },
        ],
      },
    });
    expect(layout).toMatchObject({
      vehicleType: 'bus',
      seatCount: 2,
      classes: [
        { seatClass: 'STD', seatCount: 1 },
        { seatClass: 'PLUS', seatCount: 1 },
      ],
    });
    const detail = await ok(200, 'GET', `/vehicle-layouts/${layout.id}`);
    expect(detail.seats[1]).toMatchObject({ label: 'B1', flags: ['aisle', 'wheelchair'], x: 10 });
  });

  it('rejects bad layouts with 4xx and stores nothing', async () => {
    const before = await count('seat_layouts');
    const seat = { label: '1', category: 'STD', x: 0, y: 0 };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ organizerId, name: 'x' }, 400, 'request.invalid'],
      [
        {
          organizerId,
          name: 'x',
          template: { type: 'bus_2_2', rows: 2 },
          layout: { sections: [{ name: 'A', rows: [{ name: '1', seats: [seat] }] }] },
        },
        400,
        'request.invalid',
      ],
      [{ organizerId, name: 'x', template: { type: 'bus_2_2' } }, 400, 'layout.invalid'],
      [{ organizerId, name: 'x', template: { type: 'bus_2_1', rows: 2, backRowOfFive: true } }, 400, 'layout.invalid'],
      [{ organizerId, name: 'x', template: { type: 'train_coach', rows: 3 } }, 400, 'layout.invalid'],
      [{ organizerId, name: 'x', template: { type: 'bus_2_2', rows: 0 } }, 400, 'request.invalid'],
      [{ organizerId, name: 'x', template: { type: 'bus_2_2', rows: 41 } }, 400, 'request.invalid'],
      [{ organizerId, name: 'x', template: { type: 'bus_2_2', rows: 2.5 } }, 400, 'request.invalid'],
      [{ organizerId, name: 'x', template: { type: 'bus_2_2', rows: '10' } }, 400, 'request.invalid'],
      [{ organizerId, name: 'x', template: { type: 'bus_3_3', rows: 10 } }, 400, 'request.invalid'],
      [{ organizerId, name: 'x', template: { type: 'bus_2_2', rows: 10, colour: 'red' } }, 400, 'request.invalid'],
      [
        {
          organizerId,
          name: 'x',
          template: { type: 'train_coach', coaches: [{ name: 'KA', seatClass: 'S', rows: 2, seatsPerRow: 7 }] },
        },
        400,
        'request.invalid',
      ],
      [
        {
          organizerId,
          name: 'x',
          layout: {
            sections: [
              { name: 'A', rows: [{ name: '1', seats: [seat, seat] }] },
              { name: 'A', rows: [{ name: '1', seats: [seat] }] },
            ],
          },
        },
        400,
        'layout.invalid',
      ],
      [
        {
          organizerId,
          name: 'x',
          layout: { sections: [{ name: 'A', rows: [{ name: '1', seats: [{ ...seat, deck: 3 }] }] }] },
        },
        400,
        'request.invalid',
      ],
      [
        {
          organizerId,
          name: 'x',
          layout: { sections: [{ name: 'A', rows: [{ name: '1', seats: [{ ...seat, flags: ['haunted'] }] }] }] },
        },
        400,
        'request.invalid',
      ],
      [{ organizerId, name: 'x', layout: { sections: [] } }, 400, 'request.invalid'],
      [
        { organizerId: 'org_doesnotexist', name: 'x', template: { type: 'bus_2_2', rows: 2 } },
        404,
        'resource.not_found',
      ],
    ];
    for (const [body, status, code] of cases) {
      const response = await admin('POST', '/vehicle-layouts', body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    const problems = (
      await expectError(admin('POST', '/vehicle-layouts', cases[12]![0]), 400, 'layout.invalid')
    ).details.problems.map((problem: { path: string }) => problem.path);
    expect(problems).toEqual(['sections/0/rows/0/seats/1/label', 'sections/1/name']);
    expect(await count('seat_layouts')).toBe(before);

    await expectError(admin('GET', '/vehicle-layouts/lay_doesnotexist'), 404, 'resource.not_found');
    const venueLayout = await createLayout(t.deps.database.db, organizerId, gridLayout(2, 2));
    await expectError(admin('GET', `/vehicle-layouts/${venueLayout.id}`), 404, 'resource.not_found');
    await expectError(admin('GET', '/vehicle-layouts?organizerId=org_doesnotexist'), 404, 'resource.not_found');
  });
});

describe('routes', () => {
  it('creates a route with its stops in order and reads it back', async () => {
    const layout = await busLayout();
    const [a, b, c] = [await createStop(), await createStop(), await createStop()];
    const route = await ok(201, 'POST', '/routes', {
      organizerId,
      code: 'DHK-CTG',
      name: 'Dhaka – Chattogram',
      mode: 'bus',
      defaultLayoutId: layout.id,
      stops: [
        { stopId: a.id, arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: b.id, arriveOffsetMin: 120, departOffsetMin: 130 },
        { stopId: c.id, arriveOffsetMin: 330, departOffsetMin: 330 },
      ],
    });
    expect(route).toEqual({
      id: expect.stringMatching(/^rte_/),
      organizerId,
      code: 'DHK-CTG',
      name: 'Dhaka – Chattogram',
      mode: 'bus',
      defaultLayoutId: layout.id,
      stops: [
        {
          index: 0,
          stopId: a.id,
          code: a.code,
          name: a.name,
          timezone: 'Asia/Dhaka',
          arriveOffsetMin: 0,
          departOffsetMin: 0,
        },
        {
          index: 1,
          stopId: b.id,
          code: b.code,
          name: b.name,
          timezone: 'Asia/Dhaka',
          arriveOffsetMin: 120,
          departOffsetMin: 130,
        },
        {
          index: 2,
          stopId: c.id,
          code: c.code,
          name: c.name,
          timezone: 'Asia/Dhaka',
          arriveOffsetMin: 330,
          departOffsetMin: 330,
        },
      ],
    });
    expect(await ok(200, 'GET', `/routes/${route.id}`)).toEqual(route);
    expect((await ok(200, 'GET', `/routes?organizerId=${organizerId}`)).routes).toContainEqual(route);
    await expectError(
      admin('POST', '/routes', {
        ...{ organizerId, code: 'DHK-CTG', name: 'Again', mode: 'bus' },
        stops: route.stops.map(toInput),
      }),
      409,
      'resource.conflict',
    );
  });

  it('changes name, default layout and stops while the route has no trips, carrying fares over', async () => {
    const [a, b, c, d] = [await createStop(), await createStop(), await createStop(), await createStop()];
    const route = await createRoute([
      { stopId: a.id, arriveOffsetMin: 0, departOffsetMin: 0 },
      { stopId: b.id, arriveOffsetMin: 60, departOffsetMin: 65 },
      { stopId: c.id, arriveOffsetMin: 120, departOffsetMin: 120 },
    ]);
    await ok(200, 'PUT', `/routes/${route.id}/fares`, {
      fares: [
        { fromStopId: a.id, toStopId: c.id, seatClass: 'ECONOMY', amount: 50000 },
        { fromStopId: a.id, toStopId: b.id, seatClass: 'ECONOMY', amount: 30000 },
      ],
    });
    const layout = await busLayout('bus_2_1');
    const changed = await ok(200, 'PATCH', `/routes/${route.id}`, {
      name: 'Renamed',
      defaultLayoutId: layout.id,
      stops: [
        { stopId: a.id, arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: d.id, arriveOffsetMin: 30, departOffsetMin: 30 },
        { stopId: c.id, arriveOffsetMin: 120, departOffsetMin: 120 },
      ],
    });
    expect(changed).toMatchObject({ name: 'Renamed', defaultLayoutId: layout.id });
    expect(changed.stops.map((stop: { stopId: string }) => stop.stopId)).toEqual([a.id, d.id, c.id]);
    // a→c still exists, now at indexes 0→2; a→b lost its destination
    const fares = (await ok(200, 'GET', `/routes/${route.id}/fares`)).fares;
    expect(fares).toEqual([expect.objectContaining({ fromStopId: a.id, toStopId: c.id, fromIndex: 0, toIndex: 2 })]);

    const cleared = await ok(200, 'PATCH', `/routes/${route.id}`, { defaultLayoutId: null });
    expect(cleared.defaultLayoutId).toBeNull();
  });

  it('refuses to change the stops of, or delete, a route with trips; deletes one without', async () => {
    const layout = await busLayout();
    const [a, b] = [await createStop(), await createStop()];
    const stops = [
      { stopId: a.id, arriveOffsetMin: 0, departOffsetMin: 0 },
      { stopId: b.id, arriveOffsetMin: 90, departOffsetMin: 90 },
    ];
    const route = await createRoute(stops, { defaultLayoutId: layout.id });
    await ok(201, 'POST', '/trips', { routeId: route.id, departsAt: '2027-05-01T08:00:00Z' });
    await expectError(
      admin('PATCH', `/routes/${route.id}`, {
        stops: [stops[0], { ...stops[1], arriveOffsetMin: 95, departOffsetMin: 95 }],
      }),
      409,
      'resource.in_use',
    );
    expect((await ok(200, 'PATCH', `/routes/${route.id}`, { name: 'Still fine' })).name).toBe('Still fine');
    await expectError(admin('DELETE', `/routes/${route.id}`), 409, 'resource.in_use');

    const empty = await createRoute(stops);
    await ok(200, 'PUT', `/routes/${empty.id}/fares`, {
      fares: [{ fromStopId: a.id, toStopId: b.id, seatClass: 'X', amount: 100 }],
    });
    await ok(204, 'DELETE', `/routes/${empty.id}`);
    await expectError(admin('GET', `/routes/${empty.id}`), 404, 'resource.not_found');
    const leftover = await t.deps.database.db
      .selectFrom('fares')
      .select('id')
      .where('route_id', '=', empty.id)
      .execute();
    expect(leftover).toEqual([]);
  });

  it('lists every problem with the stops of a route and creates nothing', async () => {
    const [a, b, c] = [await createStop(), await createStop(), await createStop()];
    const otherOrganizer = await createOrganizer(t.deps.database.db);
    const foreign = await ok(201, 'POST', '/stops', {
      organizerId: otherOrganizer,
      code: 'FOREIGN',
      name: 'Theirs',
      timezone: 'UTC',
    });
    const before = await tableCounts();
    const error = await expectError(
      admin('POST', '/routes', {
        organizerId,
        code: 'BROKEN',
        name: 'Broken',
        mode: 'train',
        stops: [
          { stopId: a.id, arriveOffsetMin: 0, departOffsetMin: 5 },
          { stopId: b.id, arriveOffsetMin: 60, departOffsetMin: 50 },
          { stopId: c.id, arriveOffsetMin: 40, departOffsetMin: 70 },
          { stopId: a.id, arriveOffsetMin: 80, departOffsetMin: 80 },
          { stopId: foreign.id, arriveOffsetMin: 90, departOffsetMin: 90 },
        ],
      }),
      400,
      'catalog.invalid',
    );
    expect(error.details.problems.map((problem: { path: string }) => problem.path)).toEqual([
      'stops/0',
      'stops/1/departOffsetMin',
      'stops/2/arriveOffsetMin',
      'stops/3/stopId',
      'stops/4/stopId',
    ]);
    expect(await tableCounts()).toEqual(before);
  });

  it('rejects bad route input with 4xx and creates nothing', async () => {
    const [a, b] = [await createStop(), await createStop()];
    const stops = [
      { stopId: a.id, arriveOffsetMin: 0, departOffsetMin: 0 },
      { stopId: b.id, arriveOffsetMin: 60, departOffsetMin: 60 },
    ];
    const valid = { organizerId, code: 'BADR', name: 'Bad', mode: 'bus', stops };
    const venueLayout = await createLayout(t.deps.database.db, organizerId, gridLayout(2, 2));
    const otherOrganizer = await createOrganizer(t.deps.database.db);
    const theirLayout = await ok(201, 'POST', '/vehicle-layouts', {
      organizerId: otherOrganizer,
      name: 'Theirs',
      template: { type: 'bus_2_1', rows: 2 },
    });
    const before = await tableCounts();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...valid, stops: [stops[0]] }, 400, 'request.invalid'],
      [{ ...valid, mode: 'ferry' }, 400, 'request.invalid'],
      [{ ...valid, stops: [stops[0], { ...stops[1], arriveOffsetMin: -5 }] }, 400, 'request.invalid'],
      [{ ...valid, stops: [stops[0], { ...stops[1], departOffsetMin: 1e9 }] }, 400, 'request.invalid'],
      [{ ...valid, stops: [stops[0], { ...stops[1], departOffsetMin: 60.5 }] }, 400, 'request.invalid'],
      [{ ...valid, stops: [stops[0], { ...stops[1], platform: 2 }] }, 400, 'request.invalid'],
      [{ ...valid, stops: [stops[0], { ...stops[1], stopId: 'stp_doesnotexist' }] }, 404, 'resource.not_found'],
      [{ ...valid, defaultLayoutId: 'lay_doesnotexist' }, 404, 'resource.not_found'],
      [{ ...valid, defaultLayoutId: venueLayout.id }, 400, 'catalog.invalid'],
      [{ ...valid, defaultLayoutId: theirLayout.id }, 400, 'catalog.invalid'],
      [{ ...valid, organizerId: 'org_doesnotexist' }, 404, 'resource.not_found'],
      [{ ...valid, extra: true }, 400, 'request.invalid'],
      [{ ...valid, name: null }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const response = await admin('POST', '/routes', body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    expect(await tableCounts()).toEqual(before);

    const route = await createRoute(stops);
    const fares = await ok(200, 'PUT', `/routes/${route.id}/fares`, {
      fares: [{ fromStopId: a.id, toStopId: b.id, seatClass: 'ECONOMY', amount: 100 }],
    });
    await expectError(admin('PATCH', `/routes/${route.id}`, {}), 400, 'request.invalid');
    await expectError(admin('PATCH', `/routes/${route.id}`, { code: 'NEW' }), 400, 'request.invalid');
    await expectError(
      admin('PATCH', `/routes/${route.id}`, { defaultLayoutId: venueLayout.id }),
      400,
      'catalog.invalid',
    );
    // valid new stops with a bad layout: the stops were replaced inside the transaction, then rolled back
    const c = await createStop();
    await expectError(
      admin('PATCH', `/routes/${route.id}`, {
        stops: [stops[0], { stopId: c.id, arriveOffsetMin: 30, departOffsetMin: 30 }],
        defaultLayoutId: venueLayout.id,
      }),
      400,
      'catalog.invalid',
    );
    await expectError(admin('PATCH', `/routes/${route.id}`, { stops: [stops[1], stops[0]] }), 400, 'catalog.invalid');
    await expectError(admin('PATCH', '/routes/rte_doesnotexist', { name: 'x' }), 404, 'resource.not_found');
    await expectError(admin('GET', '/routes/rte_doesnotexist'), 404, 'resource.not_found');
    await expectError(admin('DELETE', '/routes/rte_doesnotexist'), 404, 'resource.not_found');
    await expectError(admin('GET', '/routes?organizerId=org_doesnotexist'), 404, 'resource.not_found');
    expect(await ok(200, 'GET', `/routes/${route.id}`)).toEqual(route);
    expect(await ok(200, 'GET', `/routes/${route.id}/fares`)).toEqual(fares);
  });
});

function toInput(stop: { stopId: string; arriveOffsetMin: number; departOffsetMin: number }) {
  return { stopId: stop.stopId, arriveOffsetMin: stop.arriveOffsetMin, departOffsetMin: stop.departOffsetMin };
}

describe('trips', () => {
  let layoutId: string;
  let dhaka: { id: string; stops: { stopId: string }[] };

  beforeAll(async () => {
    layoutId = (await busLayout()).id;
    const stops = [await createStop(), await createStop(), await createStop()];
    dhaka = await createRoute(
      [
        { stopId: stops[0].id, arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: stops[1].id, arriveOffsetMin: 120, departOffsetMin: 130 },
        { stopId: stops[2].id, arriveOffsetMin: 330, departOffsetMin: 330 },
      ],
      { defaultLayoutId: layoutId },
    );
  });

  it('schedules a trip from a local date and time at the first stop, with times at every stop', async () => {
    const trip = await ok(201, 'POST', '/trips', {
      routeId: dhaka.id,
      serviceDate: '2027-01-15',
      departureTime: '07:00',
    });
    expect(trip).toEqual({
      id: expect.stringMatching(/^trp_/),
      organizerId,
      routeId: dhaka.id,
      layoutId,
      serviceDate: '2027-01-15',
      departsAt: '2027-01-15T01:00:00.000Z',
      arrivesAt: '2027-01-15T06:30:00.000Z',
      status: 'scheduled',
      holdTtlSeconds: null,
      stops: [
        expect.objectContaining({
          index: 0,
          stopId: dhaka.stops[0]!.stopId,
          arrivesAt: '2027-01-15T01:00:00.000Z',
          departsAt: '2027-01-15T01:00:00.000Z',
        }),
        expect.objectContaining({
          index: 1,
          arrivesAt: '2027-01-15T03:00:00.000Z',
          departsAt: '2027-01-15T03:10:00.000Z',
        }),
        expect.objectContaining({
          index: 2,
          arrivesAt: '2027-01-15T06:30:00.000Z',
          departsAt: '2027-01-15T06:30:00.000Z',
        }),
      ],
    });
    expect(await ok(200, 'GET', `/trips/${trip.id}`)).toEqual(trip);
    // the same departure again is a conflict, however it is written
    await expectError(
      admin('POST', '/trips', { routeId: dhaka.id, departsAt: '2027-01-15T07:00:00+06:00' }),
      409,
      'resource.conflict',
    );
  });

  it('schedules a trip from an instant, taking the service date in the first stop’s zone', async () => {
    const trip = await ok(201, 'POST', '/trips', {
      routeId: dhaka.id,
      departsAt: '2027-01-15T18:30:00Z',
      holdTtlSeconds: 300,
      status: 'sales_closed',
    });
    expect(trip).toMatchObject({
      serviceDate: '2027-01-16',
      departsAt: '2027-01-15T18:30:00.000Z',
      holdTtlSeconds: 300,
      status: 'sales_closed',
    });
  });

  it('runs past midnight on routes longer than a day', async () => {
    const stops = [await createStop(), await createStop({ timezone: 'Asia/Kolkata' }), await createStop()];
    const route = await createRoute(
      [
        { stopId: stops[0].id, arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: stops[1].id, arriveOffsetMin: 1500, departOffsetMin: 1530 },
        { stopId: stops[2].id, arriveOffsetMin: 3000, departOffsetMin: 3000 },
      ],
      { defaultLayoutId: layoutId },
    );
    const trip = await ok(201, 'POST', '/trips', {
      routeId: route.id,
      serviceDate: '2027-02-27',
      departureTime: '22:00',
    });
    expect(trip.departsAt).toBe('2027-02-27T16:00:00.000Z');
    expect(
      trip.stops.map((stop: { arrivesAt: string; departsAt: string }) => [stop.arrivesAt, stop.departsAt]),
    ).toEqual([
      ['2027-02-27T16:00:00.000Z', '2027-02-27T16:00:00.000Z'],
      ['2027-02-28T17:00:00.000Z', '2027-02-28T17:30:00.000Z'],
      ['2027-03-01T18:00:00.000Z', '2027-03-01T18:00:00.000Z'],
    ]);
    expect(trip.arrivesAt).toBe('2027-03-01T18:00:00.000Z');
  });

  it('lists a route’s trips, optionally of one service date', async () => {
    const stops = [await createStop(), await createStop()];
    const route = await createRoute(
      [
        { stopId: stops[0].id, arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: stops[1].id, arriveOffsetMin: 45, departOffsetMin: 45 },
      ],
      { defaultLayoutId: layoutId },
    );
    await ok(201, 'POST', `/routes/${route.id}/trips/generate`, {
      from: '2027-06-01',
      to: '2027-06-03',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      departureTimes: ['23:30', '00:15'],
    });
    const all = (await ok(200, 'GET', `/trips?routeId=${route.id}`)).trips;
    expect(all).toHaveLength(6);
    const sorted = [...all].sort((x: { departsAt: string }, y: { departsAt: string }) =>
      x.departsAt < y.departsAt ? -1 : 1,
    );
    expect(all).toEqual(sorted);
    const oneDay = (await ok(200, 'GET', `/trips?routeId=${route.id}&date=2027-06-02`)).trips;
    expect(oneDay.map((trip: { departsAt: string; arrivesAt: string }) => [trip.departsAt, trip.arrivesAt])).toEqual([
      ['2027-06-01T18:15:00.000Z', '2027-06-01T19:00:00.000Z'],
      ['2027-06-02T17:30:00.000Z', '2027-06-02T18:15:00.000Z'],
    ]);
    const page = (await ok(200, 'GET', `/trips?routeId=${route.id}&limit=2&offset=2`)).trips;
    expect(page.map((trip: { id: string }) => trip.id)).toEqual(all.slice(2, 4).map((trip: { id: string }) => trip.id));
  });

  it('closes sales at once: a status change drops the hold service’s cached trip', async () => {
    const departsAt = new Date(Date.now() + 2 * 86_400_000);
    departsAt.setUTCSeconds(0, 0);
    const trip = await ok(201, 'POST', '/trips', { routeId: dhaka.id, departsAt: departsAt.toISOString() });
    const seats = await t.deps.database.db
      .selectFrom('layout_seats')
      .select('id')
      .where('layout_id', '=', layoutId)
      .orderBy('ordinal')
      .limit(2)
      .execute();
    const hold = (seatId: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/holds',
        payload: { tripId: trip.id, from: dhaka.stops[0]!.stopId, to: dhaka.stops[2]!.stopId, seatIds: [seatId] },
        headers: { 'x-session-id': 'session-transport-admin-1' },
      });
    expect((await hold(seats[0]!.id)).statusCode).toBe(201);

    const closed = await ok(200, 'PATCH', `/trips/${trip.id}`, { status: 'sales_closed', holdTtlSeconds: 60 });
    expect(closed).toMatchObject({ status: 'sales_closed', holdTtlSeconds: 60 });
    await expectError(hold(seats[1]!.id), 409, 'trip.not_on_sale');

    const reopened = await ok(200, 'PATCH', `/trips/${trip.id}`, { status: 'scheduled', holdTtlSeconds: null });
    expect(reopened.holdTtlSeconds).toBeNull();
    expect((await hold(seats[1]!.id)).statusCode).toBe(201);
  });

  it('keeps a cancelled trip cancelled', async () => {
    const trip = await ok(201, 'POST', '/trips', { routeId: dhaka.id, departsAt: '2027-04-01T04:00:00Z' });
    await ok(200, 'PATCH', `/trips/${trip.id}`, { status: 'cancelled' });
    await expectError(admin('PATCH', `/trips/${trip.id}`, { status: 'scheduled' }), 409, 'resource.conflict');
    expect((await ok(200, 'GET', `/trips/${trip.id}`)).status).toBe('cancelled');
  });

  it('deletes a trip without sales, and refuses one with sales', async () => {
    const unsold = await ok(201, 'POST', '/trips', { routeId: dhaka.id, departsAt: '2027-04-02T04:00:00Z' });
    await ok(204, 'DELETE', `/trips/${unsold.id}`);
    await expectError(admin('GET', `/trips/${unsold.id}`), 404, 'resource.not_found');
    const stopTimes = await t.deps.database.db
      .selectFrom('trip_stops')
      .select('trip_id')
      .where('trip_id', '=', unsold.id)
      .execute();
    expect(stopTimes).toEqual([]);

    const sold = await ok(201, 'POST', '/trips', { routeId: dhaka.id, departsAt: '2027-04-03T04:00:00Z' });
    const seat = await t.deps.database.db
      .selectFrom('layout_seats')
      .select('id')
      .where('layout_id', '=', layoutId)
      .executeTakeFirstOrThrow();
    await t.deps.database.db
      .insertInto('seat_sales')
      .values({ inventory_kind: 'trip', inventory_id: sold.id, seat_id: seat.id, legs: '[0,2)' })
      .execute();
    await expectError(admin('DELETE', `/trips/${sold.id}`), 409, 'resource.in_use');
    expect((await ok(200, 'GET', `/trips/${sold.id}`)).id).toBe(sold.id);
  });

  it('rejects bad trip input with 4xx and creates nothing', async () => {
    const noLayoutStops = [await createStop(), await createStop()];
    const noLayout = await createRoute([
      { stopId: noLayoutStops[0].id, arriveOffsetMin: 0, departOffsetMin: 0 },
      { stopId: noLayoutStops[1].id, arriveOffsetMin: 10, departOffsetMin: 10 },
    ]);
    const venueLayout = await createLayout(t.deps.database.db, organizerId, gridLayout(2, 2));
    const before = await tableCounts();
    const routeId = dhaka.id;
    const cases: [Record<string, unknown>, number, string][] = [
      [{ routeId }, 400, 'request.invalid'],
      [
        { routeId, departsAt: '2027-03-01T10:00:00Z', serviceDate: '2027-03-01', departureTime: '10:00' },
        400,
        'request.invalid',
      ],
      [{ routeId, serviceDate: '2027-03-01' }, 400, 'request.invalid'],
      [{ routeId, departureTime: '10:00' }, 400, 'request.invalid'],
      [{ routeId, serviceDate: '2027-02-30', departureTime: '10:00' }, 400, 'request.invalid'],
      [{ routeId, serviceDate: '2027-13-01', departureTime: '10:00' }, 400, 'request.invalid'],
      [{ routeId, serviceDate: '2027-03-01', departureTime: '25:61' }, 400, 'request.invalid'],
      [{ routeId, serviceDate: '2027-03-01', departureTime: '24:00' }, 400, 'request.invalid'],
      [{ routeId, serviceDate: '2027-03-01', departureTime: '7:00' }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-02-30T10:00:00Z' }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-03-01T10:00:00' }, 400, 'request.invalid'],
      [{ routeId, departsAt: 'tomorrow' }, 400, 'request.invalid'],
      [{ routeId, departsAt: 1767225600000 }, 400, 'request.invalid'],
      [{ routeId, departsAt: '9999-12-31T10:00:00Z' }, 400, 'request.invalid'],
      [{ routeId, serviceDate: '1970-01-01', departureTime: '10:00' }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-03-01T10:00:00Z', holdTtlSeconds: 0 }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-03-01T10:00:00Z', holdTtlSeconds: 7201 }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-03-01T10:00:00Z', holdTtlSeconds: '60' }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-03-01T10:00:00Z', status: 'boarding' }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-03-01T10:00:00Z', seats: 40 }, 400, 'request.invalid'],
      [{ routeId, departsAt: '2027-03-01T10:00:00Z', layoutId: 'lay_doesnotexist' }, 404, 'resource.not_found'],
      [{ routeId, departsAt: '2027-03-01T10:00:00Z', layoutId: venueLayout.id }, 400, 'catalog.invalid'],
      [{ routeId: noLayout.id, departsAt: '2027-03-01T10:00:00Z' }, 400, 'catalog.invalid'],
      [{ routeId: 'rte_doesnotexist', departsAt: '2027-03-01T10:00:00Z' }, 404, 'resource.not_found'],
    ];
    for (const [body, status, code] of cases) {
      const response = await admin('POST', '/trips', body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    expect(await tableCounts()).toEqual(before);

    const trip = await ok(201, 'POST', '/trips', { routeId, departsAt: '2027-04-04T04:00:00Z' });
    const patches: [Record<string, unknown>, number, string][] = [
      [{}, 400, 'request.invalid'],
      [{ status: 'gone' }, 400, 'request.invalid'],
      [{ holdTtlSeconds: -1 }, 400, 'request.invalid'],
      [{ holdTtlSeconds: 1e12 }, 400, 'request.invalid'],
      [{ departsAt: '2027-04-04T05:00:00Z' }, 400, 'request.invalid'],
    ];
    for (const [body, status, code] of patches) {
      const response = await admin('PATCH', `/trips/${trip.id}`, body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    expect(await ok(200, 'GET', `/trips/${trip.id}`)).toEqual(trip);
    await expectError(admin('PATCH', '/trips/trp_doesnotexist', { status: 'cancelled' }), 404, 'resource.not_found');
    await expectError(admin('GET', '/trips/trp_doesnotexist'), 404, 'resource.not_found');
    await expectError(admin('DELETE', '/trips/trp_doesnotexist'), 404, 'resource.not_found');
    await expectError(admin('GET', '/trips'), 400, 'request.invalid');
    await expectError(admin('GET', '/trips?routeId=rte_doesnotexist'), 404, 'resource.not_found');
    await expectError(admin('GET', `/trips?routeId=${routeId}&date=2027-02-30`), 400, 'request.invalid');
    await expectError(admin('GET', `/trips?routeId=${routeId}&limit=0`), 400, 'request.invalid');
    await expectError(admin('GET', `/trips?routeId=${routeId}&limit=abc`), 400, 'request.invalid');
  });
});

describe('trip generation', () => {
  let layoutId: string;

  beforeAll(async () => {
    layoutId = (await busLayout()).id;
  });

  /** A two-stop, three-hour route from a stop in this time zone. */
  async function routeFrom(timezone: string) {
    const [origin, destination] = [await createStop({ timezone }), await createStop({ timezone })];
    return createRoute(
      [
        { stopId: origin.id, arriveOffsetMin: 0, departOffsetMin: 0 },
        { stopId: destination.id, arriveOffsetMin: 180, departOffsetMin: 180 },
      ],
      { defaultLayoutId: layoutId },
    );
  }

  async function departures(tripIds: string[]) {
    const trips = await t.deps.database.db
      .selectFrom('trips')
      .select(['id', 'service_date', 'departs_at'])
      .where('id', 'in', tripIds)
      .orderBy('departs_at')
      .execute();
    return trips.map((trip) => [trip.service_date, trip.departs_at.toISOString()]);
  }

  it('keeps local departure times in Europe/London across both daylight-saving changes', async () => {
    const route = await routeFrom('Europe/London');
    const spring = await ok(201, 'POST', `/routes/${route.id}/trips/generate`, {
      from: '2027-03-27',
      to: '2027-03-29',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      departureTimes: ['07:00', '01:30'],
    });
    expect(spring).toMatchObject({ created: 6, skipped: 0 });
    expect(await departures(spring.tripIds)).toEqual([
      ['2027-03-27', '2027-03-27T01:30:00.000Z'],
      ['2027-03-27', '2027-03-27T07:00:00.000Z'],
      // 01:30 does not exist on 28 March: it moves forward with the clocks to 02:30 BST
      ['2027-03-28', '2027-03-28T01:30:00.000Z'],
      ['2027-03-28', '2027-03-28T06:00:00.000Z'],
      ['2027-03-29', '2027-03-29T00:30:00.000Z'],
      ['2027-03-29', '2027-03-29T06:00:00.000Z'],
    ]);

    const autumn = await ok(201, 'POST', `/routes/${route.id}/trips/generate`, {
      from: '2027-10-30',
      to: '2027-11-01',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      departureTimes: ['07:00'],
    });
    expect(await departures(autumn.tripIds)).toEqual([
      ['2027-10-30', '2027-10-30T06:00:00.000Z'],
      ['2027-10-31', '2027-10-31T07:00:00.000Z'],
      ['2027-11-01', '2027-11-01T07:00:00.000Z'],
    ]);
    // stop times are elapsed minutes, so a trip over the change still takes three hours
    const trip = await ok(200, 'GET', `/trips/${autumn.tripIds[1]}`);
    expect(trip.arrivesAt).toBe('2027-10-31T10:00:00.000Z');
  });

  it('schedules Asia/Dhaka departures at UTC+6 on the chosen weekdays only', async () => {
    const route = await routeFrom('Asia/Dhaka');
    // 2027-03-01 is a Monday; Mondays and Fridays of two weeks
    const generated = await ok(201, 'POST', `/routes/${route.id}/trips/generate`, {
      from: '2027-03-01',
      to: '2027-03-14',
      weekdays: [5, 1],
      departureTimes: ['23:30', '06:00'],
    });
    expect(generated).toMatchObject({ created: 8, skipped: 0 });
    expect(await departures(generated.tripIds)).toEqual([
      ['2027-03-01', '2027-03-01T00:00:00.000Z'],
      ['2027-03-01', '2027-03-01T17:30:00.000Z'],
      ['2027-03-05', '2027-03-05T00:00:00.000Z'],
      ['2027-03-05', '2027-03-05T17:30:00.000Z'],
      ['2027-03-08', '2027-03-08T00:00:00.000Z'],
      ['2027-03-08', '2027-03-08T17:30:00.000Z'],
      ['2027-03-12', '2027-03-12T00:00:00.000Z'],
      ['2027-03-12', '2027-03-12T17:30:00.000Z'],
    ]);
    const stopTimes = await t.deps.database.db
      .selectFrom('trip_stops')
      .select('trip_id')
      .where('trip_id', 'in', generated.tripIds)
      .execute();
    expect(stopTimes).toHaveLength(16);
  });

  it('is idempotent: running a pattern again creates nothing, and an overlapping one only the new days', async () => {
    const route = await routeFrom('Asia/Dhaka');
    const pattern = {
      from: '2027-05-01',
      to: '2027-05-07',
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      departureTimes: ['08:00', '20:00'],
    };
    const first = await ok(201, 'POST', `/routes/${route.id}/trips/generate`, pattern);
    expect(first).toMatchObject({ created: 14, skipped: 0 });
    const before = await tableCounts();
    const again = await ok(201, 'POST', `/routes/${route.id}/trips/generate`, pattern);
    expect(again).toEqual({ created: 0, skipped: 14, tripIds: first.tripIds });
    expect(await tableCounts()).toEqual(before);

    const overlapping = await ok(201, 'POST', `/routes/${route.id}/trips/generate`, {
      ...pattern,
      from: '2027-05-06',
      to: '2027-05-09',
    });
    expect(overlapping).toMatchObject({ created: 4, skipped: 4 });
    expect(overlapping.tripIds.slice(0, 4)).toEqual(first.tripIds.slice(10));
  });

  it('answers 201 with nothing created when no date matches the weekdays', async () => {
    const route = await routeFrom('Asia/Dhaka');
    const none = await ok(201, 'POST', `/routes/${route.id}/trips/generate`, {
      from: '2027-03-02', // a Tuesday
      to: '2027-03-04',
      weekdays: [1],
      departureTimes: ['08:00'],
    });
    expect(none).toEqual({ created: 0, skipped: 0, tripIds: [] });
  });

  it('rejects bad generation input with 4xx and creates nothing', async () => {
    const route = await routeFrom('Asia/Dhaka');
    const venueLayout = await createLayout(t.deps.database.db, organizerId, gridLayout(2, 2));
    const valid = { from: '2027-07-01', to: '2027-07-02', weekdays: [1, 2, 3, 4, 5, 6, 7], departureTimes: ['08:00'] };
    const before = await tableCounts();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...valid, from: '2027-02-30' }, 400, 'request.invalid'],
      [{ ...valid, to: '2027-07-32' }, 400, 'request.invalid'],
      [{ ...valid, from: '2027-07-03' }, 400, 'request.invalid'],
      [{ ...valid, to: '2028-07-01' }, 400, 'request.invalid'],
      [{ ...valid, from: '1999-12-31' }, 400, 'request.invalid'],
      [{ ...valid, weekdays: [] }, 400, 'request.invalid'],
      [{ ...valid, weekdays: [0] }, 400, 'request.invalid'],
      [{ ...valid, weekdays: [8] }, 400, 'request.invalid'],
      [{ ...valid, weekdays: [1, 1] }, 400, 'request.invalid'],
      [{ ...valid, weekdays: ['1'] }, 400, 'request.invalid'],
      [{ ...valid, departureTimes: [] }, 400, 'request.invalid'],
      [{ ...valid, departureTimes: ['25:61'] }, 400, 'request.invalid'],
      [{ ...valid, departureTimes: ['08:00', '08:00'] }, 400, 'request.invalid'],
      [{ ...valid, departureTimes: '08:00' }, 400, 'request.invalid'],
      [{ ...valid, holdTtlSeconds: -5 }, 400, 'request.invalid'],
      [{ ...valid, timezone: 'UTC' }, 400, 'request.invalid'],
      [{ ...valid, layoutId: 'lay_doesnotexist' }, 404, 'resource.not_found'],
      [{ ...valid, layoutId: venueLayout.id }, 400, 'catalog.invalid'],
      [
        {
          from: '2027-01-01',
          to: '2027-12-31',
          weekdays: [1, 2, 3, 4, 5, 6, 7],
          departureTimes: Array.from({ length: 20 }, (_, i) => `${String(i).padStart(2, '0')}:00`),
        },
        400,
        'request.invalid',
      ],
    ];
    for (const [body, status, code] of cases) {
      const response = await admin('POST', `/routes/${route.id}/trips/generate`, body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    await expectError(admin('POST', '/routes/rte_doesnotexist/trips/generate', valid), 404, 'resource.not_found');
    expect(await tableCounts()).toEqual(before);
  });
});

describe('fares', () => {
  let route: { id: string };
  let stopIds: string[];

  beforeAll(async () => {
    const stops = [await createStop(), await createStop(), await createStop(), await createStop()];
    stopIds = stops.map((stop) => stop.id);
    route = await createRoute(
      stopIds.map((stopId, i) => ({ stopId, arriveOffsetMin: i * 60, departOffsetMin: i * 60 })),
    );
  });

  it('stores origin–destination fares by stop index and re-prices on a second put', async () => {
    const [a, b, c, d] = stopIds as [string, string, string, string];
    const put = await ok(200, 'PUT', `/routes/${route.id}/fares`, {
      fares: [
        { fromStopId: a, toStopId: b, seatClass: 'ECONOMY', amount: 20000 },
        { fromStopId: b, toStopId: c, seatClass: 'ECONOMY', amount: 20000 },
        { fromStopId: c, toStopId: d, seatClass: 'ECONOMY', amount: 20000 },
        { fromStopId: a, toStopId: d, seatClass: 'ECONOMY', amount: 51000 },
        { fromStopId: a, toStopId: d, seatClass: 'BUSINESS', amount: 90000 },
      ],
    });
    expect(put.fares).toHaveLength(5);
    expect(put.fares[0]).toEqual({
      id: expect.stringMatching(/^far_/),
      routeId: route.id,
      fromStopId: a,
      toStopId: d,
      fromIndex: 0,
      toIndex: 3,
      seatClass: 'BUSINESS',
      amount: 90000,
      currency: 'BDT',
    });
    expect(put.fares.filter((fare: { seatClass: string }) => fare.seatClass === 'ECONOMY').map(indexes)).toEqual([
      [0, 1],
      [0, 3],
      [1, 2],
      [2, 3],
    ]);

    const repriced = await ok(200, 'PUT', `/routes/${route.id}/fares`, {
      fares: [{ fromStopId: a, toStopId: d, seatClass: 'ECONOMY', amount: 48000 }],
    });
    expect(repriced.fares).toHaveLength(5);
    const endToEnd = repriced.fares.find(
      (fare: { seatClass: string; toIndex: number; fromIndex: number }) =>
        fare.seatClass === 'ECONOMY' && fare.fromIndex === 0 && fare.toIndex === 3,
    );
    expect(endToEnd.amount).toBe(48000);
    expect(endToEnd.id).toBe(put.fares.find((fare: { id: string }) => fare.id === endToEnd.id)?.id);
    expect(await ok(200, 'GET', `/routes/${route.id}/fares`)).toEqual(repriced);
  });

  it('deletes a fare of the route, and 404s for one that is not', async () => {
    const [a, b] = stopIds as [string, string];
    const { fares } = await ok(200, 'PUT', `/routes/${route.id}/fares`, {
      fares: [{ fromStopId: a, toStopId: b, seatClass: 'TO_DELETE', amount: 1 }],
    });
    const fare = fares.find((f: { seatClass: string }) => f.seatClass === 'TO_DELETE');
    const otherStops = [await createStop(), await createStop()];
    const other = await createRoute([
      { stopId: otherStops[0].id, arriveOffsetMin: 0, departOffsetMin: 0 },
      { stopId: otherStops[1].id, arriveOffsetMin: 5, departOffsetMin: 5 },
    ]);
    await expectError(admin('DELETE', `/routes/${other.id}/fares/${fare.id}`), 404, 'resource.not_found');
    await ok(204, 'DELETE', `/routes/${route.id}/fares/${fare.id}`);
    await expectError(admin('DELETE', `/routes/${route.id}/fares/${fare.id}`), 404, 'resource.not_found');
    await expectError(admin('DELETE', `/routes/rte_doesnotexist/fares/${fare.id}`), 404, 'resource.not_found');
  });

  it('lists every bad entry and writes nothing when any fare does not fit the route', async () => {
    const [a, b, c] = stopIds as [string, string, string];
    const outsider = await createStop();
    const before = (await ok(200, 'GET', `/routes/${route.id}/fares`)).fares;
    const error = await expectError(
      admin('PUT', `/routes/${route.id}/fares`, {
        fares: [
          { fromStopId: a, toStopId: c, seatClass: 'NEW', amount: 100 },
          { fromStopId: outsider.id, toStopId: c, seatClass: 'NEW', amount: 100 },
          { fromStopId: c, toStopId: a, seatClass: 'NEW', amount: 100 },
          { fromStopId: b, toStopId: b, seatClass: 'NEW', amount: 100 },
          { fromStopId: a, toStopId: 'stp_doesnotexist', seatClass: 'NEW', amount: 100 },
          { fromStopId: a, toStopId: c, seatClass: 'NEW', amount: 200 },
        ],
      }),
      400,
      'catalog.invalid',
    );
    expect(error.details.problems).toEqual([
      { path: 'fares/1/fromStopId', stopId: outsider.id, message: 'is not a stop of this route' },
      { path: 'fares/2', message: 'the origin must come before the destination on the route' },
      { path: 'fares/3', message: 'the origin must come before the destination on the route' },
      { path: 'fares/4/toStopId', stopId: 'stp_doesnotexist', message: 'is not a stop of this route' },
      { path: 'fares/5', message: 'repeats the fare of fares/0' },
    ]);
    expect((await ok(200, 'GET', `/routes/${route.id}/fares`)).fares).toEqual(before);
  });

  it('rejects bad fare input with 4xx', async () => {
    const [a, b] = stopIds as [string, string];
    const fare = { fromStopId: a, toStopId: b, seatClass: 'ECONOMY', amount: 100 };
    const before = await count('fares');
    const cases: [unknown, number, string][] = [
      [{ fares: [] }, 400, 'request.invalid'],
      [{ fares: [{ ...fare, amount: -1 }] }, 400, 'request.invalid'],
      [{ fares: [{ ...fare, amount: 1.5 }] }, 400, 'request.invalid'],
      [{ fares: [{ ...fare, amount: 1e15 }] }, 400, 'request.invalid'],
      [{ fares: [{ ...fare, amount: '100' }] }, 400, 'request.invalid'],
      [{ fares: [{ ...fare, seatClass: '' }] }, 400, 'request.invalid'],
      [{ fares: [{ ...fare, currency: 'USD' }] }, 400, 'request.invalid'],
      [{ fares: [fare], replace: true }, 400, 'request.invalid'],
      [[fare], 400, 'request.invalid'],
    ];
    for (const [body, status, code] of cases) {
      const response = await admin('PUT', `/routes/${route.id}/fares`, body);
      expect({ body, status: response.statusCode, code: response.json().error?.code }).toEqual({ body, status, code });
    }
    await expectError(admin('PUT', '/routes/rte_doesnotexist/fares', { fares: [fare] }), 404, 'resource.not_found');
    await expectError(admin('GET', '/routes/rte_doesnotexist/fares'), 404, 'resource.not_found');
    expect(await count('fares')).toBe(before);
  });
});

function indexes(fare: { fromIndex: number; toIndex: number }) {
  return [fare.fromIndex, fare.toIndex];
}

describe('every transport admin route', () => {
  const endpoints: [Method, string][] = [
    ['POST', '/stops'],
    ['GET', '/stops?organizerId=org_x'],
    ['GET', '/stops/stp_x'],
    ['PATCH', '/stops/stp_x'],
    ['DELETE', '/stops/stp_x'],
    ['POST', '/vehicle-layouts'],
    ['GET', '/vehicle-layouts?organizerId=org_x'],
    ['GET', '/vehicle-layouts/lay_x'],
    ['POST', '/routes'],
    ['GET', '/routes?organizerId=org_x'],
    ['GET', '/routes/rte_x'],
    ['PATCH', '/routes/rte_x'],
    ['DELETE', '/routes/rte_x'],
    ['POST', '/routes/rte_x/trips/generate'],
    ['PUT', '/routes/rte_x/fares'],
    ['GET', '/routes/rte_x/fares'],
    ['DELETE', '/routes/rte_x/fares/far_x'],
    ['POST', '/trips'],
    ['GET', '/trips?routeId=rte_x'],
    ['GET', '/trips/trp_x'],
    ['PATCH', '/trips/trp_x'],
    ['DELETE', '/trips/trp_x'],
  ];

  it('answers 401 without an access token and with an invalid one, before reading anything', async () => {
    for (const [method, url] of endpoints) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const missing = await t.app.inject({ method, url: `/api/admin${url}`, ...(body ? { payload: body } : {}) });
      expect({ method, url, status: missing.statusCode, code: missing.json().error.code }).toEqual({
        method,
        url,
        status: 401,
        code: 'auth.required',
      });
      const wrong = await admin(method, url, body, { authorization: 'Bearer not-an-access-token' });
      expect({ method, url, status: wrong.statusCode }).toEqual({ method, url, status: 401 });
    }
  });

  it('answers malformed JSON with 400 on every route that takes a body', async () => {
    for (const [method, url] of endpoints.filter(([method]) => method !== 'GET' && method !== 'DELETE')) {
      const response = await admin(method, url, '{"name": ', { 'content-type': 'application/json' });
      expect({ method, url, status: response.statusCode, code: response.json().error.code }).toEqual({
        method,
        url,
        status: 400,
        code: 'request.malformed_json',
      });
    }
  });

  it('answers 404 for unknown ids on every route that takes one', async () => {
    const [a, b] = [await createStop(), await createStop()];
    const bodies: Record<string, unknown> = {
      'PATCH /stops/stp_x': { name: 'x' },
      'PATCH /routes/rte_x': { name: 'x' },
      'POST /routes/rte_x/trips/generate': {
        from: '2027-01-01',
        to: '2027-01-01',
        weekdays: [5],
        departureTimes: ['08:00'],
      },
      'PUT /routes/rte_x/fares': { fares: [{ fromStopId: a.id, toStopId: b.id, seatClass: 'X', amount: 1 }] },
      'PATCH /trips/trp_x': { status: 'cancelled' },
    };
    for (const [method, url] of endpoints.filter(([, url]) => /_x($|\/)/.test(url.split('?')[0]!))) {
      const response = await admin(method, url, bodies[`${method} ${url}`]);
      expect({ method, url, status: response.statusCode, code: response.json().error.code }).toEqual({
        method,
        url,
        status: 404,
        code: 'resource.not_found',
      });
    }
  });
});
