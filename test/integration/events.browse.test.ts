import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import { EVENT_SEGMENT } from '../../src/inventory/segments.js';
import { createEvent, createVenue, isoDatePlus, type VenueFixture } from '../support/browse-fixtures.js';
import { createOrganizer, gridLayout } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

const SESSION = 'session-browse-aaaaaaaa';

describe.each(availableHoldStores())('public event API (%s hold store)', (holdStore) => {
  let t: TestApp;
  let dhaka: VenueFixture;
  let chattogram: VenueFixture;
  let newYork: VenueFixture;
  const day = isoDatePlus(10);
  const nextDay = isoDatePlus(11);
  const dayAfter = isoDatePlus(12);
  const ids = {} as Record<
    | 'avengersDhakaEvening'
    | 'avengersDhakaLate'
    | 'avengersDhakaNextDay'
    | 'avengersChattogram'
    | 'heist'
    | 'hamilton'
    | 'closedSales'
    | 'draft'
    | 'cancelled'
    | 'ended',
    string
  >;

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const list = async (query: string) => {
    const response = await get(`/api/events?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const idsOf = (body: { items: { id: string }[] }) => body.items.map((item) => item.id);

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    const db = t.deps.database.db;
    const bdt = await createOrganizer(db);
    const usd = await createOrganizer(db, { currency: 'USD', timezone: 'America/New_York' });
    const hall = gridLayout(4, 5, { gaAreas: [{ name: 'Standing', category: 'GA', capacity: 5 }] });
    hall.sections[0]!.rows![0]!.seats[0]!.flags = ['blocked'];
    dhaka = await createVenue(db, bdt, { name: 'Star Hall', city: 'Dhaka', timezone: 'Asia/Dhaka', layout: hall });
    chattogram = await createVenue(db, bdt, {
      name: 'Port Cinema',
      city: 'Chattogram',
      timezone: 'Asia/Dhaka',
      layout: gridLayout(2, 5),
    });
    newYork = await createVenue(db, usd, {
      name: 'Broadway Theatre',
      city: 'New York',
      timezone: 'America/New_York',
      layout: gridLayout(2, 5),
    });
    const avengers = {
      organizerId: bdt,
      title: 'Avengers: Endgame',
      seriesKey: 'avengers-endgame',
      description: "Earth's mightiest heroes assemble for one final battle.",
      category: 'action',
      language: 'English',
      imageUrl: 'https://img.example/avengers.jpg',
      prices: { A: 50000, B: 30000, GA: 10000 },
    };
    // Dhaka is UTC+6: 14:00Z is 20:00 the same day, 20:00Z is 02:00 the next day.
    ids.avengersDhakaEvening = await createEvent(db, { ...avengers, venue: dhaka, startsAt: `${day}T14:00:00Z` });
    ids.avengersDhakaLate = await createEvent(db, { ...avengers, venue: dhaka, startsAt: `${day}T20:00:00Z` });
    ids.avengersDhakaNextDay = await createEvent(db, { ...avengers, venue: dhaka, startsAt: `${nextDay}T12:00:00Z` });
    ids.avengersChattogram = await createEvent(db, {
      ...avengers,
      venue: chattogram,
      startsAt: `${day}T15:00:00Z`,
    });
    ids.heist = await createEvent(db, {
      organizerId: bdt,
      venue: dhaka,
      title: 'Monsoon Heist',
      description: 'A crew of thieves plans a daring robbery while the river floods.',
      category: 'thriller',
      language: 'Bangla',
      startsAt: `${dayAfter}T10:00:00Z`,
    });
    // New York is UTC−4/−5: 02:00Z is the evening of the day before.
    ids.hamilton = await createEvent(db, {
      organizerId: usd,
      venue: newYork,
      title: 'Hamilton',
      category: 'musical',
      startsAt: `${nextDay}T02:00:00Z`,
      prices: { A: 15000, B: 9000 },
    });
    ids.closedSales = await createEvent(db, {
      organizerId: bdt,
      venue: chattogram,
      title: 'Closing Night',
      category: 'drama',
      status: 'sales_closed',
      startsAt: `${isoDatePlus(13)}T12:00:00Z`,
      prices: {},
    });
    ids.draft = await createEvent(db, {
      organizerId: bdt,
      venue: dhaka,
      title: 'Avengers: Secret Premiere',
      seriesKey: 'avengers-endgame',
      status: 'draft',
      startsAt: `${day}T16:00:00Z`,
    });
    ids.cancelled = await createEvent(db, {
      organizerId: bdt,
      venue: dhaka,
      title: 'Cancelled Concert',
      status: 'cancelled',
      startsAt: `${day}T17:00:00Z`,
    });
    ids.ended = await createEvent(db, {
      organizerId: bdt,
      venue: dhaka,
      title: 'Matinee That Ended',
      startsAt: new Date(Date.now() - 3 * 3600_000),
      minutes: 60,
    });
  });
  afterAll(async () => t?.close());

  it('lists only events on sale or with sales closed that have not ended, soonest first', async () => {
    const body = await list('');
    expect(idsOf(body)).toEqual([
      ids.avengersDhakaEvening,
      ids.avengersChattogram,
      ids.avengersDhakaLate,
      ids.hamilton,
      ids.avengersDhakaNextDay,
      ids.heist,
      ids.closedSales,
    ]);
    expect(body).toMatchObject({ page: 1, pageSize: 20, total: 7 });
    expect(body.items[0]).toEqual({
      id: ids.avengersDhakaEvening,
      title: 'Avengers: Endgame',
      seriesKey: 'avengers-endgame',
      category: 'action',
      language: 'English',
      imageUrl: 'https://img.example/avengers.jpg',
      startsAt: `${day}T14:00:00.000Z`,
      endsAt: `${day}T16:00:00.000Z`,
      timezone: 'Asia/Dhaka',
      status: 'on_sale',
      venue: { id: dhaka.venueId, name: 'Star Hall', city: 'Dhaka' },
      priceRange: { min: 10000, max: 50000, currency: 'BDT' },
    });
    const hamilton = body.items.find((item: { id: string }) => item.id === ids.hamilton);
    expect(hamilton.priceRange).toEqual({ min: 9000, max: 15000, currency: 'USD' });
    expect(hamilton.timezone).toBe('America/New_York');
    const closed = body.items.find((item: { id: string }) => item.id === ids.closedSales);
    expect(closed).toMatchObject({ status: 'sales_closed', priceRange: null, imageUrl: null });
  });

  it('filters by venue city in any case', async () => {
    expect(idsOf(await list('city=dhaka'))).toEqual([
      ids.avengersDhakaEvening,
      ids.avengersDhakaLate,
      ids.avengersDhakaNextDay,
      ids.heist,
    ]);
    expect(idsOf(await list('city=CHATTOGRAM'))).toEqual([ids.avengersChattogram, ids.closedSales]);
    expect(idsOf(await list('city=new%20york'))).toEqual([ids.hamilton]);
    expect((await list('city=Sylhet')).total).toBe(0);
  });

  it('filters by the local date at each venue, not the UTC date', async () => {
    // 20:00Z in Dhaka is already the next day; 02:00Z in New York is still the day before.
    expect(idsOf(await list(`date=${day}`))).toEqual([ids.avengersDhakaEvening, ids.avengersChattogram, ids.hamilton]);
    expect(idsOf(await list(`date=${nextDay}`))).toEqual([ids.avengersDhakaLate, ids.avengersDhakaNextDay]);
    expect(idsOf(await list(`from=${nextDay}&to=${dayAfter}`))).toEqual([
      ids.avengersDhakaLate,
      ids.avengersDhakaNextDay,
      ids.heist,
    ]);
    expect(idsOf(await list(`from=${dayAfter}`))).toEqual([ids.heist, ids.closedSales]);
    expect(idsOf(await list(`to=${day}`))).toEqual([ids.avengersDhakaEvening, ids.avengersChattogram, ids.hamilton]);
  });

  it('filters by category and language in any case', async () => {
    expect((await list('category=ACTION')).total).toBe(4);
    expect(idsOf(await list('language=bangla'))).toEqual([ids.heist]);
    expect(idsOf(await list('category=action&city=chattogram'))).toEqual([ids.avengersChattogram]);
  });

  it('filters by the highest price a buyer will pay: an event qualifies by its cheapest price', async () => {
    // Avengers' standing places cost 100.00, Hamilton's cheapest seat 90.00, the heist's 300.00.
    expect(idsOf(await list('maxPrice=9999'))).toEqual([ids.hamilton]);
    expect(new Set(idsOf(await list('maxPrice=10000')))).toEqual(
      new Set([
        ids.avengersDhakaEvening,
        ids.avengersDhakaLate,
        ids.avengersDhakaNextDay,
        ids.avengersChattogram,
        ids.hamilton,
      ]),
    );
    expect((await list('maxPrice=30000')).total).toBe(6);
    expect((await list('maxPrice=0')).total).toBe(0);
    expect((await list('maxPrice=10000&groupBy=series')).items.map((s: { title: string }) => s.title)).toEqual([
      'Avengers: Endgame',
      'Hamilton',
    ]);
    expect((await get('/api/events?maxPrice=-1')).statusCode).toBe(400);
    expect((await get('/api/events?maxPrice=cheap')).statusCode).toBe(400);
  });

  it('offers the cities, genres, languages and price range of listed events as filters', async () => {
    const response = await get('/api/events/filters');
    expect(response.statusCode, response.body).toBe(200);
    // Drafts, cancelled and ended events do not count; prices are in the currency most events use.
    expect(response.json()).toEqual({
      cities: ['Chattogram', 'Dhaka', 'New York'],
      categories: ['action', 'drama', 'musical', 'thriller'],
      languages: ['Bangla', 'English'],
      prices: { currency: 'BDT', min: 10000, max: 50000 },
    });
    expect((await get('/api/events/filters?city=Dhaka')).statusCode).toBe(400);
  });

  it('searches titles and descriptions with full-text search and finds titles despite typos', async () => {
    expect(idsOf(await list('q=heist'))).toEqual([ids.heist]);
    // 'robbery' and 'floods' only appear in the description, found through English stemming.
    expect(idsOf(await list('q=robberies%20flooding'))).toEqual([ids.heist]);
    const typo = await list('q=avangers');
    expect(typo.total).toBe(4);
    expect(typo.items.every((item: { title: string }) => item.title === 'Avengers: Endgame')).toBe(true);
    expect(idsOf(await list('q=hamiltn'))).toEqual([ids.hamilton]);
    expect(idsOf(await list('q=monson%20heist'))).toEqual([ids.heist]);
    // The draft also has "Avengers" in its title and stays hidden.
    expect(idsOf(await list('q=secret%20premiere'))).toEqual([]);
    // Search syntax characters are data, not errors.
    expect((await list(`q=${encodeURIComponent('"avengers" -& | ! :* ( ) \\')}`)).total).toBeGreaterThanOrEqual(0);
  });

  it('ranks the closest title match first', async () => {
    const body = await list('q=endgame%20avengers');
    expect(body.items[0].title).toBe('Avengers: Endgame');
    const heist = await list('q=monsoon');
    expect(heist.items[0].id).toBe(ids.heist);
  });

  it('pages through results without overlap and answers an empty page past the end', async () => {
    const pages = await Promise.all([1, 2, 3].map((page) => list(`pageSize=3&page=${page}`)));
    expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
    expect(pages.every((page) => page.total === 7 && page.pageSize === 3)).toBe(true);
    expect(pages.flatMap(idsOf)).toEqual(idsOf(await list('')));
    const beyond = await list('page=1000&pageSize=100');
    expect(beyond).toEqual({ items: [], page: 1000, pageSize: 100, total: 7 });
  });

  it('groups show times of one title into a series so a buyer picks a title, then a time', async () => {
    const body = await list('groupBy=series');
    expect(body.total).toBe(4);
    expect(body.items.map((series: { title: string }) => series.title)).toEqual([
      'Avengers: Endgame',
      'Hamilton',
      'Monsoon Heist',
      'Closing Night',
    ]);
    const [avengers] = body.items;
    expect(avengers).toMatchObject({
      seriesKey: 'avengers-endgame',
      imageUrl: 'https://img.example/avengers.jpg',
      category: 'action',
      language: 'English',
      showTimeCount: 4,
      priceRange: { min: 10000, max: 50000, currency: 'BDT' },
    });
    // A title without prices has no range.
    expect(body.items[3].priceRange).toBeNull();
    expect(avengers.showTimes.map((show: { eventId: string }) => show.eventId)).toEqual([
      ids.avengersDhakaEvening,
      ids.avengersChattogram,
      ids.avengersDhakaLate,
      ids.avengersDhakaNextDay,
    ]);
    expect(avengers.showTimes[1]).toEqual({
      eventId: ids.avengersChattogram,
      startsAt: `${day}T15:00:00.000Z`,
      endsAt: `${day}T17:00:00.000Z`,
      timezone: 'Asia/Dhaka',
      status: 'on_sale',
      venue: { id: chattogram.venueId, name: 'Port Cinema', city: 'Chattogram' },
    });

    const inChattogram = await list('groupBy=series&city=chattogram');
    expect(inChattogram.items.map((series: { showTimes: unknown[] }) => series.showTimes.length)).toEqual([1, 1]);
    const searched = await list('groupBy=series&q=avangers&pageSize=1');
    expect(searched.total).toBe(1);
    expect(searched.items[0].showTimeCount).toBe(4);
    const secondPage = await list('groupBy=series&pageSize=2&page=2');
    expect(secondPage.items.map((series: { title: string }) => series.title)).toEqual([
      'Monsoon Heist',
      'Closing Night',
    ]);
  });

  it('shows one event with venue, prices, capacity and the other show times of the title by local day', async () => {
    const response = await get(`/api/events/${ids.avengersDhakaEvening}`);
    expect(response.statusCode).toBe(200);
    const event = response.json();
    expect(event).toMatchObject({
      id: ids.avengersDhakaEvening,
      title: 'Avengers: Endgame',
      description: "Earth's mightiest heroes assemble for one final battle.",
      status: 'on_sale',
      timezone: 'Asia/Dhaka',
      venue: {
        id: dhaka.venueId,
        name: 'Star Hall',
        city: 'Dhaka',
        address: '1 Star Hall Road',
        timezone: 'Asia/Dhaka',
      },
      currency: 'BDT',
      prices: [
        { category: 'A', amount: 50000 },
        { category: 'B', amount: 30000 },
        { category: 'GA', amount: 10000 },
      ],
      seatCount: 20,
      gaAreas: [{ id: dhaka.gaAreaIds[0], name: 'Standing', category: 'GA', capacity: 5 }],
    });
    expect(event.showTimes.map((d: { date: string; events: { eventId: string }[] }) => [d.date, d.events])).toEqual([
      [day, [expect.objectContaining({ eventId: ids.avengersChattogram })]],
      [
        nextDay,
        [
          expect.objectContaining({ eventId: ids.avengersDhakaLate }),
          expect.objectContaining({ eventId: ids.avengersDhakaNextDay }),
        ],
      ],
    ]);
  });

  it('hides drafts and answers unknown events with 404', async () => {
    for (const url of [
      `/api/events/${ids.draft}`,
      `/api/events/${ids.draft}/seats`,
      '/api/events/evt_000000000000',
      '/api/events/evt_000000000000/seats',
    ]) {
      const response = await get(url);
      expect({ url, status: response.statusCode, code: response.json().error.code }).toEqual({
        url,
        status: 404,
        code: 'resource.not_found',
      });
    }
    // A cancelled event is still explained to a buyer who follows an old link.
    expect((await get(`/api/events/${ids.cancelled}`)).json().status).toBe('cancelled');
  });

  it('shows every seat with its live status: held, sold, blocked or available', async () => {
    const event = ids.avengersDhakaNextDay;
    const [blocked, held1, held2, sold] = dhaka.seatIds;
    const hold = await t.app.inject({
      method: 'POST',
      url: '/api/holds',
      headers: { 'x-session-id': SESSION },
      payload: { eventId: event, seatIds: [held1, held2], ga: [{ areaId: dhaka.gaAreaIds[0], quantity: 2 }] },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    await insertSeatSales(t.deps.database.db, {
      inventory: { kind: 'event', id: event },
      seatIds: [sold!],
      segment: EVENT_SEGMENT,
    });
    await t.deps.holdStore.syncSold({ kind: 'event', id: event });

    const response = await get(`/api/events/${event}/seats`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const map = response.json();
    expect(map.eventId).toBe(event);
    expect(map.currency).toBe('BDT');
    expect(map.prices).toEqual({ A: 50000, B: 30000, GA: 10000 });
    expect(map.counts).toEqual({ available: 16, held: 2, sold: 1, blocked: 1 });
    expect(map.layout.id).toBe(dhaka.layoutId);
    expect(map.layout.sections).toEqual([
      { id: expect.stringMatching(/^sec_/), parentId: null, name: 'Main', path: 'Main' },
    ]);
    expect(map.layout.gaAreas).toEqual([
      { id: dhaka.gaAreaIds[0], name: 'Standing', category: 'GA', capacity: 5, available: 3, price: 10000 },
    ]);
    const statusOf = (id: string) => map.layout.seats.find((seat: { id: string }) => seat.id === id).status;
    expect([blocked, held1, held2, sold, dhaka.seatIds[4]].map((id) => statusOf(id!))).toEqual([
      'blocked',
      'held',
      'held',
      'sold',
      'available',
    ]);
    expect(map.layout.seats.map((seat: { id: string }) => seat.id)).toEqual(dhaka.seatIds);
    expect(map.layout.seats[0]).toEqual({
      id: blocked,
      sectionId: map.layout.sections[0].id,
      row: '1',
      number: '1',
      label: 'Main · Row 1 · Seat 1',
      category: 'A',
      x: 0,
      y: 0,
      flags: ['blocked'],
      status: 'blocked',
    });
    // Other show times of the same layout are untouched.
    expect((await get(`/api/events/${ids.avengersDhakaLate}/seats`)).json().counts).toEqual({
      available: 19,
      held: 0,
      sold: 0,
      blocked: 1,
    });

    // Status is live although the layout is cached: releasing the hold frees its seats at once.
    const released = await t.app.inject({
      method: 'DELETE',
      url: `/api/holds/${hold.json().token}`,
      headers: { 'x-session-id': SESSION },
    });
    expect(released.statusCode).toBe(204);
    const after = (await get(`/api/events/${event}/seats`)).json();
    expect(after.counts).toEqual({ available: 18, held: 0, sold: 1, blocked: 1 });
    expect(after.layout.gaAreas[0].available).toBe(5);
  });

  it('rejects bad input on every route with 400 request.invalid', async () => {
    const urls = [
      '/api/events?date=2026-02-30',
      '/api/events?date=2026-2-3',
      '/api/events?from=2026-13-01',
      '/api/events?to=tomorrow',
      `/api/events?date=${day}&from=${day}`,
      `/api/events?from=${dayAfter}&to=${day}`,
      '/api/events?page=0',
      '/api/events?page=1001',
      '/api/events?page=99999999999999999999999',
      '/api/events?page=1.5',
      '/api/events?pageSize=101',
      '/api/events?pageSize=abc',
      '/api/events?q=',
      `/api/events?q=${'x'.repeat(101)}`,
      '/api/events?groupBy=venue',
      '/api/events?sort=price',
      '/api/events?city=',
      `/api/events/${ids.heist}?expand=all`,
      `/api/events/${ids.heist}/seats?from=x`,
      '/api/events/not%20an%20id!',
      `/api/events/${'e'.repeat(65)}/seats`,
    ];
    for (const url of urls) {
      const response = await get(url);
      expect({ url, status: response.statusCode, code: response.json().error?.code }).toEqual({
        url,
        status: 400,
        code: 'request.invalid',
      });
    }
  });
});
