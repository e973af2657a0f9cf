import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/test-app.js';

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const METALIST_FILE = path.join(
  path.resolve(PROJECT_ROOT, '../shared/data'),
  'seating-kharkiv-stadiums-metalist',
  'metalist-stadium.json',
);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const HALL_LAYOUT = {
  name: 'Small hall',
  sections: [
    {
      name: 'Stalls',
      category: 'REGULAR',
      rows: [
        {
          name: 'A',
          seats: [
            { label: '1', x: 0, y: 0, flags: ['wheelchair'] },
            { label: '2', x: 10, y: 0 },
            { label: '3', category: 'PREMIUM', x: 20, y: 0, flags: ['aisle', 'restricted_view'] },
          ],
        },
        { name: 'B', seats: '1-2,4' },
      ],
    },
    { name: 'Balcony', sections: [{ name: 'Left', category: 'PREMIUM', rows: [{ name: '1', seats: '2' }] }] },
  ],
  gaAreas: [{ name: 'Standing', category: 'GA', capacity: 50, x: 5, y: 40 }],
};
const HALL_PRICES = { REGULAR: 45000, PREMIUM: 65000, GA: 20000 };

const inAWeek = new Date(Date.now() + 7 * 86400_000);
const startsAt = inAWeek.toISOString();
const endsAt = new Date(inAWeek.getTime() + 2 * 3600_000).toISOString();

describe('catalog admin API', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const admin = (method: Method, url: string, payload?: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method,
      url: `/api/admin${url}`,
      headers: { ...t.adminHeaders, ...headers },
      ...(payload === undefined ? {} : typeof payload === 'string' ? { payload } : { payload: payload as object }),
    });

  const created = async (method: Method, url: string, payload: unknown, headers: Record<string, string> = {}) => {
    const response = await admin(method, url, payload, headers);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  const expectError = (response: LightMyRequestResponse, status: number, code: string) => {
    expect(response.statusCode, response.body).toBe(status);
    expect(response.json().error.code).toBe(code);
    return response.json().error;
  };

  const newOrganizer = (overrides: object = {}) =>
    created('POST', '/organizers', { name: 'Dhaka Live', currency: 'BDT', timezone: 'Asia/Dhaka', ...overrides });

  const newVenue = async (organizerId: string, layout: unknown = HALL_LAYOUT) => {
    const venue = await created('POST', '/venues', {
      organizerId,
      name: 'Shilpakala Hall',
      city: 'Dhaka',
      address: 'Segunbagicha, Dhaka 1000',
      timezone: 'Asia/Dhaka',
    });
    if (layout) await created('PUT', `/venues/${venue.id}/layout`, layout);
    return venue;
  };

  const newEvent = async (venueId: string, overrides: object = {}) =>
    created('POST', '/events', {
      venueId,
      title: 'Monsoon Nights',
      startsAt,
      endsAt,
      prices: HALL_PRICES,
      ...overrides,
    });

  const layoutCount = async () =>
    Number(
      (
        await t.deps.database.db
          .selectFrom('seat_layouts')
          .select((eb) => eb.fn.countAll().as('count'))
          .executeTakeFirstOrThrow()
      ).count,
    );

  describe('admin key', () => {
    it.each<[Method, string]>([
      ['GET', '/organizers'],
      ['POST', '/organizers'],
      ['GET', '/organizers/org_x'],
      ['PATCH', '/organizers/org_x'],
      ['DELETE', '/organizers/org_x'],
      ['GET', '/venues'],
      ['POST', '/venues'],
      ['GET', '/venues/ven_x'],
      ['PATCH', '/venues/ven_x'],
      ['DELETE', '/venues/ven_x'],
      ['PUT', '/venues/ven_x/layout'],
      ['GET', '/venues/ven_x/layout'],
      ['GET', '/events'],
      ['POST', '/events'],
      ['GET', '/events/evt_x'],
      ['PATCH', '/events/evt_x'],
      ['DELETE', '/events/evt_x'],
    ])('%s %s answers 401 without an access token and with an invalid one', async (method, url) => {
      const missing = await t.app.inject({ method, url: `/api/admin${url}`, payload: {} });
      expectError(missing, 401, 'auth.required');
      const wrong = await t.app.inject({ method, url: `/api/admin${url}`, headers: { authorization: 'Bearer nope' } });
      expectError(wrong, 401, 'auth.token_invalid');
    });
  });

  describe('organizers', () => {
    it('creates, reads, lists, updates and deletes an organizer', async () => {
      const organizer = await newOrganizer({ name: 'Lumière Cinemas', timezone: 'asia/dhaka' });
      expect(organizer).toMatchObject({
        id: expect.stringMatching(/^org_/),
        name: 'Lumière Cinemas',
        slug: 'lumiere-cinemas',
        currency: 'BDT',
        timezone: 'Asia/Dhaka',
      });
      expect(new Date(organizer.createdAt).getTime()).toBeGreaterThan(0);

      // The derived slug is made unique rather than refused.
      expect((await newOrganizer({ name: 'Lumière Cinemas' })).slug).toBe('lumiere-cinemas-2');

      const read = await admin('GET', `/organizers/${organizer.id}`);
      expect(read.json()).toEqual(organizer);
      const list = (await admin('GET', '/organizers?limit=1000')).json();
      expect(list.map((o: { id: string }) => o.id)).toContain(organizer.id);

      const patched = await admin('PATCH', `/organizers/${organizer.id}`, { name: 'Lumiere', currency: 'USD' });
      expect(patched.statusCode).toBe(200);
      expect(patched.json()).toMatchObject({ name: 'Lumiere', currency: 'USD', slug: 'lumiere-cinemas' });

      expect((await admin('DELETE', `/organizers/${organizer.id}`)).statusCode).toBe(204);
      expectError(await admin('GET', `/organizers/${organizer.id}`), 404, 'resource.not_found');
    });

    it('refuses a slug that is taken, on create and on update', async () => {
      const first = await newOrganizer({ slug: 'padma-paribahan' });
      expectError(
        await admin('POST', '/organizers', {
          name: 'Other',
          slug: 'padma-paribahan',
          currency: 'BDT',
          timezone: 'UTC',
        }),
        409,
        'resource.conflict',
      );
      const second = await newOrganizer({ slug: 'meghna-rail' });
      expectError(await admin('PATCH', `/organizers/${second.id}`, { slug: first.slug }), 409, 'resource.conflict');
    });

    it.each([
      ['a missing field', { name: 'X', currency: 'BDT' }, 'request.invalid'],
      ['a wrong type', { name: 42, currency: 'BDT', timezone: 'UTC' }, 'request.invalid'],
      ['an unknown field', { name: 'X', currency: 'BDT', timezone: 'UTC', vatId: '1' }, 'request.invalid'],
      ['a lower-case currency', { name: 'X', currency: 'bdt', timezone: 'UTC' }, 'request.invalid'],
      ['an unknown currency', { name: 'X', currency: 'ABC', timezone: 'UTC' }, 'catalog.invalid'],
      ['an unknown time zone', { name: 'X', currency: 'BDT', timezone: 'Mars/Olympus' }, 'catalog.invalid'],
      ['a huge name', { name: 'x'.repeat(10_000), currency: 'BDT', timezone: 'UTC' }, 'request.invalid'],
      ['an empty name', { name: '', currency: 'BDT', timezone: 'UTC' }, 'request.invalid'],
      ['a bad slug', { name: 'X', slug: 'Not A Slug', currency: 'BDT', timezone: 'UTC' }, 'request.invalid'],
    ])('refuses %s with 400 and creates nothing', async (_what, body, code) => {
      const before = (await admin('GET', '/organizers?limit=1000')).json().length;
      expectError(await admin('POST', '/organizers', body), 400, code);
      expect((await admin('GET', '/organizers?limit=1000')).json().length).toBe(before);
    });

    it('refuses malformed JSON, an empty update and bad paging', async () => {
      expectError(
        await admin('POST', '/organizers', '{"name": "X",', { 'content-type': 'application/json' }),
        400,
        'request.malformed_json',
      );
      const organizer = await newOrganizer();
      expectError(await admin('PATCH', `/organizers/${organizer.id}`, {}), 400, 'request.invalid');
      expectError(await admin('PATCH', `/organizers/${organizer.id}`, { timezone: null }), 400, 'request.invalid');
      expectError(await admin('GET', '/organizers?limit=0'), 400, 'request.invalid');
      expectError(await admin('GET', '/organizers?limit=99999999999'), 400, 'request.invalid');
      expectError(await admin('GET', '/organizers?offset=-1'), 400, 'request.invalid');
      expectError(await admin('GET', '/organizers?colour=red'), 400, 'request.invalid');
    });

    it('answers 404 for unknown ids and 400 for malformed ones', async () => {
      expectError(await admin('GET', '/organizers/org_unknown'), 404, 'resource.not_found');
      expectError(await admin('PATCH', '/organizers/org_unknown', { name: 'X' }), 404, 'resource.not_found');
      expectError(await admin('DELETE', '/organizers/org_unknown'), 404, 'resource.not_found');
      expectError(await admin('GET', '/organizers/bad%20id!'), 400, 'request.invalid');
    });

    it('refuses to delete an organizer that still has venues, and to change its currency once it has events', async () => {
      const organizer = await newOrganizer();
      const venue = await newVenue(organizer.id);
      const error = expectError(await admin('DELETE', `/organizers/${organizer.id}`), 409, 'resource.in_use');
      expect(error.details).toMatchObject({ venues: 1, events: 0 });

      await newEvent(venue.id);
      expectError(await admin('PATCH', `/organizers/${organizer.id}`, { currency: 'EUR' }), 409, 'resource.in_use');
      expect((await admin('GET', `/organizers/${organizer.id}`)).json().currency).toBe('BDT');
    });
  });

  describe('venues', () => {
    it('creates, reads, lists, updates and deletes a venue', async () => {
      const organizer = await newOrganizer();
      const venue = await created('POST', '/venues', {
        organizerId: organizer.id,
        name: 'Screen 1',
        city: 'Dhaka',
        timezone: 'Asia/Dhaka',
      });
      expect(venue).toMatchObject({
        id: expect.stringMatching(/^ven_/),
        organizerId: organizer.id,
        address: '',
        layoutId: null,
        seatCount: 0,
        gaCapacity: 0,
      });
      expect((await admin('GET', `/venues/${venue.id}`)).json()).toEqual(venue);
      const other = await newOrganizer();
      await newVenue(other.id, null);
      const mine = (await admin('GET', `/venues?organizerId=${organizer.id}`)).json();
      expect(mine.map((v: { id: string }) => v.id)).toEqual([venue.id]);
      expect((await admin('GET', `/venues?organizerId=${organizer.id}&city=DHAKA`)).json()).toHaveLength(1);
      expect((await admin('GET', `/venues?organizerId=${organizer.id}&city=Sylhet`)).json()).toHaveLength(0);

      const patched = await admin('PATCH', `/venues/${venue.id}`, { name: 'Screen 1 (IMAX)', address: 'Level 8' });
      expect(patched.json()).toMatchObject({ name: 'Screen 1 (IMAX)', address: 'Level 8', city: 'Dhaka' });

      expect((await admin('DELETE', `/venues/${venue.id}`)).statusCode).toBe(204);
      expectError(await admin('GET', `/venues/${venue.id}`), 404, 'resource.not_found');
    });

    it('refuses bad venue input with 4xx and creates nothing', async () => {
      const organizer = await newOrganizer();
      const valid = { organizerId: organizer.id, name: 'Hall', city: 'Dhaka', timezone: 'Asia/Dhaka' };
      expectError(await admin('POST', '/venues', { ...valid, organizerId: 'org_unknown' }), 404, 'resource.not_found');
      expectError(await admin('POST', '/venues', { ...valid, timezone: 'Asia/Nowhere' }), 400, 'catalog.invalid');
      expectError(await admin('POST', '/venues', { ...valid, address: 12 }), 400, 'request.invalid');
      expectError(await admin('POST', '/venues', { ...valid, seats: 100 }), 400, 'request.invalid');
      expectError(await admin('POST', '/venues', { ...valid, city: '' }), 400, 'request.invalid');
      expectError(await admin('PATCH', '/venues/ven_unknown', { name: 'X' }), 404, 'resource.not_found');
      expectError(await admin('DELETE', '/venues/ven_unknown'), 404, 'resource.not_found');
      expectError(await admin('GET', '/venues/ven_unknown/layout'), 404, 'resource.not_found');
      expectError(await admin('GET', '/venues?limit=many'), 400, 'request.invalid');
      expectError(await admin('GET', '/venues?organizerId='), 400, 'request.invalid');
      expectError(
        await admin('PATCH', `/venues/${organizer.id}`, { organizerId: organizer.id }),
        400,
        'request.invalid',
      );
      expect((await admin('GET', `/venues?organizerId=${organizer.id}`)).json()).toHaveLength(0);
    });

    it('refuses to delete a venue with events', async () => {
      const venue = await newVenue((await newOrganizer()).id);
      await newEvent(venue.id);
      expectError(await admin('DELETE', `/venues/${venue.id}`), 409, 'resource.in_use');
    });
  });

  describe('seat layout import and export', () => {
    it('imports a JSON layout with compact rows and GA areas and reports its size and categories', async () => {
      const venue = await newVenue((await newOrganizer()).id, null);
      const imported = await created('PUT', `/venues/${venue.id}/layout`, HALL_LAYOUT);
      expect(imported).toEqual({
        layoutId: expect.stringMatching(/^lay_/),
        seatCount: 8,
        gaCapacity: 50,
        sections: 3,
        categories: ['GA', 'PREMIUM', 'REGULAR'],
      });
      expect((await admin('GET', `/venues/${venue.id}`)).json()).toMatchObject({
        layoutId: imported.layoutId,
        seatCount: 8,
        gaCapacity: 50,
      });
      const seats = await t.deps.database.db
        .selectFrom('layout_seats')
        .select(['row_label', 'seat_label', 'label'])
        .where('layout_id', '=', imported.layoutId)
        .where('row_label', '=', 'B')
        .orderBy('ordinal')
        .execute();
      expect(seats.map((seat) => seat.seat_label)).toEqual(['1', '2', '4']);
      expect(seats[0]!.label).toBe('Stalls · Row B · Seat 1');
    });

    it('lists every problem of an invalid CSV with its line and imports nothing', async () => {
      const venue = await newVenue((await newOrganizer()).id);
      const layoutBefore = (await admin('GET', `/venues/${venue.id}`)).json().layoutId;
      const before = await layoutCount();
      const csv = [
        'section,row,seat,category,x,y,flags',
        'Main,A,1,REGULAR,0,0,',
        'Main,A,2,REGULAR,ten,0,',
        'Main,A,1,REGULAR,20,0,',
        'Main,A,3,REGULAR,30',
        'Main,A,4,REGULAR,40,0,wheelchair|gold_plated',
        'Main/Upper,B,1,,0,10,',
      ].join('\n');
      const response = await admin('PUT', `/venues/${venue.id}/layout`, csv, { 'content-type': 'text/csv' });
      const error = expectError(response, 400, 'layout.invalid');
      expect(error.details.problemCount).toBe(5);
      expect(error.details.problems).toEqual([
        { line: 3, field: 'x', message: '"ten" is not a number' },
        { line: 4, field: 'seat', message: expect.stringContaining('already on line 2') },
        { line: 5, field: 'columns', message: 'expected 7 columns, found 5' },
        { line: 6, field: 'flags', message: expect.stringContaining('"gold_plated" is not a known flag') },
        { line: 7, field: 'category', message: 'is required' },
      ]);
      expect(await layoutCount()).toBe(before);
      expect((await admin('GET', `/venues/${venue.id}`)).json().layoutId).toBe(layoutBefore);
    });

    it('lists every problem of an invalid JSON layout with its path', async () => {
      const venue = await newVenue((await newOrganizer()).id, null);
      const response = await admin('PUT', `/venues/${venue.id}/layout`, {
        name: 'Broken',
        sections: [
          {
            name: 'S',
            rows: [
              { name: '1', seats: '1-5,3', category: 'A' },
              { name: '2', seats: 7 },
            ],
          },
        ],
        gaAreas: [{ name: 'Floor', category: 'GA', capacity: 0 }],
      });
      const error = expectError(response, 400, 'layout.invalid');
      expect(error.details.problems).toEqual([
        { path: '/sections/0/rows/0', field: 'seats', message: 'seat 3 is listed twice' },
        { path: '/sections/0/rows/1', field: 'seats', message: expect.stringContaining('got a number') },
        { path: '/gaAreas/0', field: 'capacity', message: expect.stringContaining('whole number') },
      ]);
      expect((await admin('GET', `/venues/${venue.id}`)).json().layoutId).toBeNull();
    });

    it('refuses an empty layout, malformed JSON, another content type and a body over 20 MB', async () => {
      const venue = await newVenue((await newOrganizer()).id, null);
      const url = `/venues/${venue.id}/layout`;
      expectError(await admin('PUT', url, { name: 'Empty', sections: [] }), 400, 'layout.invalid');
      expectError(
        await admin('PUT', url, 'section,row,seat,category,x,y\n', { 'content-type': 'text/csv' }),
        400,
        'layout.invalid',
      );
      expectError(await admin('PUT', url, '', { 'content-type': 'text/csv' }), 400, 'layout.invalid');
      expectError(
        await admin('PUT', url, '{"name": "x", "sections": [', { 'content-type': 'application/json' }),
        400,
        'request.malformed_json',
      );
      expectError(
        await admin('PUT', url, '<layout/>', { 'content-type': 'application/xml' }),
        415,
        'request.unsupported_media_type',
      );
      const huge = `section,row,seat,category,x,y\n${'Main,1,1,A,0,0\n'.repeat(1_500_000)}`;
      expectError(await admin('PUT', url, huge, { 'content-type': 'text/csv' }), 413, 'request.too_large');
      expectError(await admin('PUT', '/venues/ven_unknown/layout', HALL_LAYOUT), 404, 'resource.not_found');
      expect((await admin('GET', `/venues/${venue.id}`)).json().layoutId).toBeNull();
      expectError(await admin('GET', url), 404, 'resource.not_found');
    });

    it('exports JSON and CSV that import back to the same seats', async () => {
      const venue = await newVenue((await newOrganizer()).id);
      const seatsOf = async (layoutId: string) =>
        t.deps.database.db
          .selectFrom('layout_seats')
          .innerJoin('layout_sections', 'layout_sections.id', 'layout_seats.section_id')
          .select([
            'layout_sections.path',
            'row_label',
            'seat_label',
            'category',
            'x',
            'y',
            'flags',
            'layout_seats.label',
          ])
          .where('layout_seats.layout_id', '=', layoutId)
          .orderBy('layout_seats.ordinal')
          .execute();
      const original = await seatsOf((await admin('GET', `/venues/${venue.id}`)).json().layoutId);
      expect(original).toHaveLength(8);

      const json = await admin('GET', `/venues/${venue.id}/layout`);
      expect(json.headers['content-type']).toContain('application/json');
      expect(json.json().gaAreas).toEqual([{ name: 'Standing', category: 'GA', capacity: 50, x: 5, y: 40 }]);
      const fromJson = await created('PUT', `/venues/${venue.id}/layout`, json.json());
      expect(await seatsOf(fromJson.layoutId)).toEqual(original);

      const csv = await admin('GET', `/venues/${venue.id}/layout?format=csv`);
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body.split('\r\n')[0]).toBe('section,row,seat,category,x,y,flags,capacity');
      const fromCsv = await created('PUT', `/venues/${venue.id}/layout?name=Small%20hall`, csv.body, {
        'content-type': 'text/csv',
      });
      expect(fromCsv).toMatchObject({ seatCount: 8, gaCapacity: 50, categories: ['GA', 'PREMIUM', 'REGULAR'] });
      expect(await seatsOf(fromCsv.layoutId)).toEqual(original);
      expectError(await admin('GET', `/venues/${venue.id}/layout?format=xml`), 400, 'request.invalid');
    });

    it('keeps the layout of existing events when a new one is imported, and drops layouts nothing uses', async () => {
      const venue = await newVenue((await newOrganizer()).id);
      const first = (await admin('GET', `/venues/${venue.id}`)).json().layoutId;
      const event = await newEvent(venue.id);
      const second = await created('PUT', `/venues/${venue.id}/layout`, {
        name: 'Bigger',
        sections: [{ name: 'Main', category: 'REGULAR', rows: [{ name: '1', seats: '30' }] }],
      });
      const third = await created('PUT', `/venues/${venue.id}/layout`, {
        name: 'Biggest',
        sections: [{ name: 'Main', category: 'REGULAR', rows: [{ name: '1', seats: '40' }] }],
      });
      expect((await admin('GET', `/events/${event.id}`)).json()).toMatchObject({ layoutId: first, seatCount: 8 });
      const layouts = await t.deps.database.db
        .selectFrom('seat_layouts')
        .select('id')
        .where('id', 'in', [first, second.layoutId, third.layoutId])
        .execute();
      // The first is kept for its event, the second went when the third replaced it.
      expect(layouts.map((row) => row.id).sort()).toEqual([first, third.layoutId].sort());
    });

    it('imports the real Metalist stadium (39,616 seats, rows with gaps) and exports it again', async (context) => {
      if (!existsSync(METALIST_FILE)) {
        const message = `Skipping the Metalist stadium import: no data at ${METALIST_FILE}`;
        console.warn(message);
        context.skip(message);
      }
      const layout = metalistToLayout(JSON.parse(readFileSync(METALIST_FILE, 'utf8')));
      const venue = await newVenue((await newOrganizer({ currency: 'UAH', timezone: 'Europe/Kyiv' })).id, null);
      const imported = await created('PUT', `/venues/${venue.id}/layout`, layout);
      expect(imported).toMatchObject({
        seatCount: 39_616,
        gaCapacity: 0,
        categories: ['EAST', 'NORTH', 'SKYBOX', 'SOUTH', 'VIP', 'WEST'],
      });

      const seatsInRow = async (layoutId: string, sectionPath: string, row: string) =>
        (
          await t.deps.database.db
            .selectFrom('layout_seats')
            .innerJoin('layout_sections', 'layout_sections.id', 'layout_seats.section_id')
            .select('seat_label')
            .where('layout_seats.layout_id', '=', layoutId)
            .where('layout_sections.path', '=', sectionPath)
            .where('row_label', '=', row)
            .orderBy('layout_seats.ordinal')
            .execute()
        ).map((seat) => seat.seat_label);
      const row40 = await seatsInRow(imported.layoutId, 'west / 1', '40');
      expect(row40).toHaveLength(15);
      expect(row40).toContain('10');
      expect(row40).not.toContain('11');
      expect(row40).toContain('12');

      const event = await newEvent(venue.id, {
        title: 'Metalist 1925 – Dynamo',
        prices: { WEST: 30000, EAST: 25000, NORTH: 15000, SOUTH: 15000, VIP: 150000, SKYBOX: 500000 },
      });
      expect(event.seatCount).toBe(39_616);

      const csv = await admin('GET', `/venues/${venue.id}/layout?format=csv`);
      expect(csv.body.trim().split('\r\n')).toHaveLength(39_616 + 1);
      const again = await created('PUT', `/venues/${venue.id}/layout?name=Metalist`, csv.body, {
        'content-type': 'text/csv',
      });
      expect(again.seatCount).toBe(39_616);
      expect(await seatsInRow(again.layoutId, 'west / 1', '40')).toEqual(row40);
    }, 180_000);
  });

  describe('events', () => {
    it('creates an event on the venue layout with prices, GA counters and a series key', async () => {
      const organizer = await newOrganizer();
      const venue = await newVenue(organizer.id);
      const event = await newEvent(venue.id, {
        description: 'Bangla rock under the stars',
        category: 'concert',
        language: 'Bangla',
        imageUrl: 'https://example.com/poster.jpg',
        status: 'on_sale',
        saleStartsAt: '2020-01-01T00:00:00Z',
        holdTtlSeconds: 300,
      });
      const layoutId = (await admin('GET', `/venues/${venue.id}`)).json().layoutId;
      expect(event).toMatchObject({
        id: expect.stringMatching(/^evt_/),
        organizerId: organizer.id,
        venueId: venue.id,
        layoutId,
        seriesKey: `${organizer.id}.monsoon-nights`,
        title: 'Monsoon Nights',
        category: 'concert',
        status: 'on_sale',
        startsAt,
        endsAt,
        saleStartsAt: '2020-01-01T00:00:00.000Z',
        saleEndsAt: null,
        holdTtlSeconds: 300,
        currency: 'BDT',
        prices: HALL_PRICES,
        seatCount: 8,
        gaCapacity: 50,
      });
      const counters = await t.deps.database.db
        .selectFrom('ga_inventory')
        .select(['capacity', 'sold'])
        .where('inventory_id', '=', event.id)
        .execute();
      expect(counters).toEqual([{ capacity: 50, sold: 0 }]);

      const later = await newEvent(venue.id, {
        startsAt: new Date(inAWeek.getTime() + 86400_000).toISOString(),
        endsAt: new Date(inAWeek.getTime() + 86400_000 + 3600_000).toISOString(),
      });
      expect(later.seriesKey).toBe(event.seriesKey);
      expect(later.status).toBe('draft');
      expect((await admin('GET', `/events/${event.id}`)).json()).toEqual(event);
      const listed = (await admin('GET', `/events?venueId=${venue.id}`)).json();
      expect(listed.map((e: { id: string }) => e.id)).toEqual([event.id, later.id]);
      expect((await admin('GET', `/events?organizerId=${organizer.id}&status=draft`)).json()).toHaveLength(1);
    });

    it('needs a venue with a layout and a price for every category of it', async () => {
      const venue = await newVenue((await newOrganizer()).id, null);
      const body = { venueId: venue.id, title: 'Show', startsAt, endsAt, prices: HALL_PRICES };
      expectError(await admin('POST', '/events', body), 409, 'venue.no_layout');
      expectError(await admin('POST', '/events', { ...body, venueId: 'ven_unknown' }), 404, 'resource.not_found');

      await created('PUT', `/venues/${venue.id}/layout`, HALL_LAYOUT);
      const error = expectError(
        await admin('POST', '/events', { ...body, prices: { REGULAR: 100, VIP: 900 } }),
        400,
        'event.prices_invalid',
      );
      expect(error.details).toMatchObject({ missing: ['GA', 'PREMIUM'], unknown: ['VIP'] });
      expect((await admin('GET', `/events?venueId=${venue.id}`)).json()).toHaveLength(0);
    });

    it.each([
      ['an impossible date', { startsAt: '2026-02-30T19:00:00Z' }, 'request.invalid'],
      ['a date without a time', { startsAt: '2026-03-01' }, 'request.invalid'],
      ['a time without a zone', { startsAt: '2026-03-01T19:00:00' }, 'request.invalid'],
      ['an end before the start', { endsAt: new Date(inAWeek.getTime() - 1000).toISOString() }, 'catalog.invalid'],
      ['a year far away', { startsAt: '3026-01-01T00:00:00Z', endsAt: '3026-01-02T00:00:00Z' }, 'catalog.invalid'],
      [
        'a sale that closes before it opens',
        { saleStartsAt: startsAt, saleEndsAt: '2020-01-01T00:00:00Z' },
        'catalog.invalid',
      ],
      ['a negative price', { prices: { ...HALL_PRICES, GA: -1 } }, 'request.invalid'],
      ['a huge price', { prices: { ...HALL_PRICES, GA: 1e12 } }, 'request.invalid'],
      ['a fractional price', { prices: { ...HALL_PRICES, GA: 10.5 } }, 'request.invalid'],
      ['a price as a string', { prices: { ...HALL_PRICES, GA: '100' } }, 'request.invalid'],
      ['a category that is not a code', { prices: { ...HALL_PRICES, 'GOLD TIER': 100 } }, 'request.invalid'],
      ['a hold TTL of 0', { holdTtlSeconds: 0 }, 'request.invalid'],
      ['a hold TTL over 2 hours', { holdTtlSeconds: 7201 }, 'request.invalid'],
      ['an unknown status', { status: 'open' }, 'request.invalid'],
      ['a script URL', { imageUrl: 'javascript:alert(1)' }, 'request.invalid'],
      ['an unknown field', { capacity: 100 }, 'request.invalid'],
      ['a missing title', { title: undefined }, 'request.invalid'],
    ])('refuses %s with 400 and creates nothing', async (_what, overrides, code) => {
      const venue = await newVenue((await newOrganizer()).id);
      const body = { venueId: venue.id, title: 'Show', startsAt, endsAt, prices: HALL_PRICES, ...overrides };
      expectError(await admin('POST', '/events', body), 400, code);
      expect((await admin('GET', `/events?venueId=${venue.id}`)).json()).toHaveLength(0);
    });

    it('updates details, times and some prices, and refuses bad changes', async () => {
      const venue = await newVenue((await newOrganizer()).id);
      const event = await newEvent(venue.id, { imageUrl: 'https://example.com/a.jpg', holdTtlSeconds: 60 });
      const url = `/events/${event.id}`;
      const patched = await admin('PATCH', url, {
        title: 'Monsoon Nights (extra show)',
        prices: { GA: 25000 },
        imageUrl: null,
        holdTtlSeconds: null,
        saleEndsAt: startsAt,
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({
        title: 'Monsoon Nights (extra show)',
        seriesKey: event.seriesKey,
        prices: { ...HALL_PRICES, GA: 25000 },
        imageUrl: null,
        holdTtlSeconds: null,
        saleEndsAt: startsAt,
      });

      expectError(await admin('PATCH', url, { endsAt: '2020-01-01T00:00:00Z' }), 400, 'catalog.invalid');
      expectError(await admin('PATCH', url, { prices: { BOX: 1 } }), 400, 'event.prices_invalid');
      expectError(await admin('PATCH', url, { venueId: venue.id }), 400, 'request.invalid');
      expectError(await admin('PATCH', url, { startsAt: '2026-13-01T00:00:00Z' }), 400, 'request.invalid');
      expectError(await admin('PATCH', url, {}), 400, 'request.invalid');
      expectError(
        await admin('PATCH', url, '{"title": ', { 'content-type': 'application/json' }),
        400,
        'request.malformed_json',
      );
      expectError(await admin('PATCH', '/events/evt_unknown', { title: 'X' }), 404, 'resource.not_found');
      expect((await admin('GET', url)).json()).toEqual(patched.json());
    });

    it('applies a status change to holds at once, and keeps a cancelled event cancelled', async () => {
      const venue = await newVenue((await newOrganizer()).id);
      const event = await newEvent(venue.id, { status: 'on_sale' });
      const layoutId = (await admin('GET', `/venues/${venue.id}`)).json().layoutId;
      const seats = await t.deps.database.db
        .selectFrom('layout_seats')
        .select('id')
        .where('layout_id', '=', layoutId)
        .orderBy('ordinal')
        .execute();
      const hold = (seatId: string) =>
        t.app.inject({
          method: 'POST',
          url: '/api/holds',
          payload: { eventId: event.id, seatIds: [seatId] },
          headers: { 'x-session-id': 'session-catalog-admin-test' },
        });
      expect((await hold(seats[0]!.id)).statusCode).toBe(201);

      // The hold service caches sale state for a second; the update must not wait for that.
      expect((await admin('PATCH', `/events/${event.id}`, { status: 'sales_closed' })).statusCode).toBe(200);
      expectError(await hold(seats[1]!.id), 409, 'event.not_on_sale');

      expect((await admin('PATCH', `/events/${event.id}`, { status: 'cancelled' })).json().status).toBe('cancelled');
      const error = expectError(
        await admin('PATCH', `/events/${event.id}`, { status: 'on_sale' }),
        409,
        'event.cancelled',
      );
      expect(error.message).toContain('cancelled');
      expect((await admin('PATCH', `/events/${event.id}`, { description: 'Cancelled: rain' })).statusCode).toBe(200);
      expect((await admin('GET', `/events/${event.id}`)).json().status).toBe('cancelled');
    });

    it('deletes an event that sold nothing, and refuses one with confirmed sales', async () => {
      const venue = await newVenue((await newOrganizer()).id);
      const unsold = await newEvent(venue.id);
      expect((await admin('DELETE', `/events/${unsold.id}`)).statusCode).toBe(204);
      expectError(await admin('GET', `/events/${unsold.id}`), 404, 'resource.not_found');
      const counters = await t.deps.database.db
        .selectFrom('ga_inventory')
        .select('area_id')
        .where('inventory_id', '=', unsold.id)
        .execute();
      expect(counters).toEqual([]);

      const sold = await newEvent(venue.id);
      const seat = await t.deps.database.db
        .selectFrom('layout_seats')
        .select('id')
        .where('layout_id', '=', sold.layoutId)
        .executeTakeFirstOrThrow();
      await t.deps.database.db
        .insertInto('seat_sales')
        .values({ inventory_kind: 'event', inventory_id: sold.id, seat_id: seat.id, legs: '[0,1)' })
        .execute();
      const error = expectError(await admin('DELETE', `/events/${sold.id}`), 409, 'resource.in_use');
      expect(error.details).toEqual({ seats: 1, ga: 0 });
      expect((await admin('GET', `/events/${sold.id}`)).statusCode).toBe(200);
      expectError(await admin('DELETE', '/events/evt_unknown'), 404, 'resource.not_found');
    });

    it('answers 404 for unknown ids and 400 for bad filters', async () => {
      expectError(await admin('GET', '/events/evt_unknown'), 404, 'resource.not_found');
      expectError(await admin('GET', '/events?status=open'), 400, 'request.invalid');
      expectError(await admin('GET', '/events?limit=-5'), 400, 'request.invalid');
      expect((await admin('GET', '/events?venueId=ven_unknown')).json()).toEqual([]);
    });
  });
});

interface MetalistRow {
  name: string;
  seats: string;
}
type MetalistSector = { name: string; rows: MetalistRow[] };
type MetalistTribune = { name: string } & Record<string, MetalistSector | string>;

/**
 * The Metalist stadium file (tribune → sector → rows with seat specs like "18" or "1-10,12-16") in our JSON
 * format: one section per tribune with a sector sub-section each, priced by tribune, VIP boxes and skyboxes
 * apart. The seat specs are our compact row form as they are.
 */
function metalistToLayout(stadium: Record<string, MetalistTribune>) {
  return {
    name: 'Metalist Stadium, Kharkiv',
    sections: Object.values(stadium).map((tribune) => ({
      name: tribune.name,
      category: tribune.name.toUpperCase(),
      sections: Object.entries(tribune)
        .filter((entry): entry is [string, MetalistSector] => entry[0].startsWith('sector_'))
        .map(([, sector]) => ({
          name: sector.name,
          ...(sector.name.startsWith('VIP')
            ? { category: 'VIP' }
            : sector.name.startsWith('SB_')
              ? { category: 'SKYBOX' }
              : {}),
          rows: sector.rows.map((row) => ({ name: row.name, seats: row.seats })),
        })),
    })),
  };
}
