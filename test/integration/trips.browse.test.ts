import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import {
  busLayout,
  createFares,
  createRoute,
  createScheduledTrip,
  createStop,
  isoDatePlus,
  type RouteSpec,
} from '../support/browse-fixtures.js';
import { createLayout, createOrganizer, gridLayout, seatIdsOf } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

const SESSION = 'session-trips-aaaaaaaaa';

/** The local date in Dhaka (UTC+6, no daylight saving) of an instant. */
const dhakaDate = (instant: Date) => new Date(instant.getTime() + 6 * 3600_000).toISOString().slice(0, 10);

describe.each(availableHoldStores())('public trip API (%s hold store)', (holdStore) => {
  let t: TestApp;
  let organizerId: string;
  const stop = {} as Record<'dhk' | 'cum' | 'fen' | 'ctg' | 'cox' | 'ben' | 'kol' | 'kamalapur' | 'otherDhaka', string>;
  const trip = {} as Record<
    'lateNight' | 'morning' | 'evening' | 'afterMidnight' | 'cancelled' | 'departed' | 'train' | 'kolkata',
    string
  >;
  let coachSeatIds: string[];
  let chittagongRoute: RouteSpec & { routeId: string };
  // Dhaka is UTC+6: 19:00Z on the day before is 01:00 on `day`; 18:30Z on `day` is already the next day.
  const day = isoDatePlus(5);
  const dayBefore = isoDatePlus(4);
  const dayAfter = isoDatePlus(6);

  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const search = async (from: string, to: string, date: string, extra = '') => {
    const response = await get(`/api/trips?from=${from}&to=${to}&date=${date}${extra}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const tripIdsOf = (body: { items: { tripId: string }[] }) => body.items.map((item) => item.tripId);
  const seatsFree = async (from: string, to: string, tripId: string) => {
    const body = await search(from, to, day);
    return body.items.find((item: { tripId: string }) => item.tripId === tripId)?.seatsFree;
  };

  beforeAll(async () => {
    t = await createTestApp({ holdStore });
    const db = t.deps.database.db;
    organizerId = await createOrganizer(db);
    const other = await createOrganizer(db);
    stop.dhk = await createStop(db, organizerId, { code: 'DHK', name: 'Sayedabad Terminal', city: 'Dhaka' });
    stop.cum = await createStop(db, organizerId, { code: 'CUM', name: 'Cumilla Bishwa Road', city: 'Cumilla' });
    stop.fen = await createStop(db, organizerId, { code: 'FEN', name: 'Feni Mohipal', city: 'Feni' });
    stop.ctg = await createStop(db, organizerId, { code: 'CTG', name: 'Dampara', city: 'Chattogram' });
    stop.cox = await createStop(db, organizerId, { code: 'COX', name: "Cox's Bazar Kolatoli", city: "Cox's Bazar" });
    stop.ben = await createStop(db, organizerId, { code: 'BEN', name: 'Benapole Border', city: 'Jessore' });
    stop.kol = await createStop(db, organizerId, {
      code: 'KOL',
      name: 'Esplanade',
      city: 'Kolkata',
      timezone: 'Asia/Kolkata',
    });
    stop.kamalapur = await createStop(db, organizerId, { code: 'KML', name: 'Kamalapur Station', city: 'Dhaka' });
    stop.otherDhaka = await createStop(db, other, { code: 'DAC', name: 'Dhaka Central', city: 'Dhaka' });

    const coach = await createLayout(db, organizerId, busLayout(6, 2, { blockedSeats: 1 }));
    coachSeatIds = await seatIdsOf(db, coach.id);
    const r1 = {
      organizerId,
      code: 'R1',
      name: "Dhaka – Cox's Bazar",
      layoutId: coach.id,
      stopIds: [stop.dhk, stop.cum, stop.fen, stop.ctg, stop.cox],
      arrivalOffsets: [0, 120, 200, 300, 480],
      dwellMinutes: 10,
    };
    chittagongRoute = { ...r1, routeId: await createRoute(db, r1) };
    await createFares(db, chittagongRoute.routeId, [
      { fromIndex: 0, toIndex: 3, seatClass: 'BUSINESS', amount: 150000 },
      { fromIndex: 0, toIndex: 1, seatClass: 'BUSINESS', amount: 40000 },
      { fromIndex: 1, toIndex: 2, seatClass: 'BUSINESS', amount: 30000 },
      { fromIndex: 2, toIndex: 3, seatClass: 'BUSINESS', amount: 30000 },
      { fromIndex: 3, toIndex: 4, seatClass: 'BUSINESS', amount: 60000 },
      { fromIndex: 0, toIndex: 1, seatClass: 'ECONOMY', amount: 20000 },
      { fromIndex: 1, toIndex: 2, seatClass: 'ECONOMY', amount: 15000 },
      { fromIndex: 2, toIndex: 3, seatClass: 'ECONOMY', amount: 15000 },
    ]);
    trip.lateNight = await createScheduledTrip(db, chittagongRoute, `${dayBefore}T19:00:00Z`);
    trip.morning = await createScheduledTrip(db, chittagongRoute, `${day}T02:00:00Z`);
    trip.evening = await createScheduledTrip(db, chittagongRoute, `${day}T17:30:00Z`);
    trip.afterMidnight = await createScheduledTrip(db, chittagongRoute, `${day}T18:30:00Z`);
    trip.cancelled = await createScheduledTrip(db, chittagongRoute, `${day}T04:00:00Z`, { status: 'cancelled' });
    trip.departed = await createScheduledTrip(db, chittagongRoute, new Date(Date.now() - 3600_000));

    const trainCoach = await createLayout(db, organizerId, {
      ...gridLayout(4, 4),
      name: 'Chair coach',
      kind: 'vehicle',
      vehicleType: 'train_coach',
    });
    const r3 = {
      organizerId,
      code: 'T1',
      name: 'Subarna Express',
      mode: 'train' as const,
      layoutId: trainCoach.id,
      stopIds: [stop.dhk, stop.ctg],
      arrivalOffsets: [0, 330],
    };
    const trainRoute = { ...r3, routeId: await createRoute(db, r3) };
    await createFares(db, trainRoute.routeId, [{ fromIndex: 0, toIndex: 1, seatClass: 'A', amount: 30000 }]);
    trip.train = await createScheduledTrip(db, trainRoute, `${day}T01:00:00Z`);

    const r2 = {
      organizerId,
      code: 'R2',
      name: 'Dhaka – Kolkata via Benapole',
      layoutId: coach.id,
      stopIds: [stop.dhk, stop.ben, stop.kol],
      arrivalOffsets: [0, 360, 600],
    };
    trip.kolkata = await createScheduledTrip(db, { ...r2, routeId: await createRoute(db, r2) }, `${day}T03:00:00Z`);
  });
  afterAll(async () => t?.close());

  it('finds trips that call at `from` before `to`, leaving on the local date, soonest first', async () => {
    const body = await search(stop.dhk, stop.ctg, day);
    expect(tripIdsOf(body)).toEqual([trip.lateNight, trip.train, trip.morning, trip.evening]);
    expect(body.from).toEqual({
      id: stop.dhk,
      code: 'DHK',
      name: 'Sayedabad Terminal',
      city: 'Dhaka',
      timezone: 'Asia/Dhaka',
    });
    expect(body.to.code).toBe('CTG');
    expect(body.date).toBe(day);
    expect(body.items[2]).toEqual({
      tripId: trip.morning,
      routeId: chittagongRoute.routeId,
      routeName: "Dhaka – Cox's Bazar",
      mode: 'bus',
      vehicleType: 'bus',
      departsAt: `${day}T02:00:00.000Z`,
      arrivesAt: `${day}T07:00:00.000Z`,
      durationMinutes: 300,
      fromTimezone: 'Asia/Dhaka',
      toTimezone: 'Asia/Dhaka',
      fromIndex: 0,
      toIndex: 3,
      seatsFree: 23,
      fares: [
        { seatClass: 'ECONOMY', amount: 50000 },
        { seatClass: 'BUSINESS', amount: 150000 },
      ],
      currency: 'BDT',
    });
  });

  it('does not find trips in the opposite direction, on another date, cancelled or already departed', async () => {
    expect((await search(stop.ctg, stop.dhk, day)).items).toEqual([]);
    expect((await search(stop.cox, stop.cum, day)).items).toEqual([]);
    expect(tripIdsOf(await search(stop.dhk, stop.ctg, dayAfter))).toEqual([trip.afterMidnight]);
    expect(tripIdsOf(await search(stop.dhk, stop.ctg, isoDatePlus(20)))).toEqual([]);
    const all = await Promise.all(
      [dayBefore, day, dayAfter].map(async (date) => tripIdsOf(await search(stop.dhk, stop.cox, date))),
    );
    expect(all.flat()).not.toContain(trip.cancelled);

    // The departed trip left Dhaka an hour ago but has not reached Chattogram yet: it is still sold from there.
    const leftDhakaAt = new Date(Date.now() - 3600_000);
    const leavesChattogramAt = new Date(leftDhakaAt.getTime() + 310 * 60_000);
    expect(tripIdsOf(await search(stop.dhk, stop.ctg, dhakaDate(leftDhakaAt)))).not.toContain(trip.departed);
    expect(tripIdsOf(await search(stop.ctg, stop.cox, dhakaDate(leavesChattogramAt)))).toContain(trip.departed);
  });

  it('matches the date at the boarding stop in its time zone, across midnight UTC', async () => {
    // Late night left Dhaka at 19:00Z the day before (01:00 local on `day`).
    expect(tripIdsOf(await search(stop.dhk, stop.ctg, dayBefore))).toEqual([]);
    // From Cumilla, 2 h 10 min later: the evening trip reaches it at 19:40Z, already the next local day.
    expect(tripIdsOf(await search(stop.cum, stop.cox, day))).toEqual([trip.lateNight, trip.morning]);
    expect(tripIdsOf(await search(stop.cum, stop.cox, dayAfter))).toEqual([trip.evening, trip.afterMidnight]);
    const cumilla = (await search(stop.cum, stop.cox, day)).items[1];
    expect(cumilla).toMatchObject({
      departsAt: `${day}T04:10:00.000Z`,
      arrivesAt: `${day}T10:00:00.000Z`,
      durationMinutes: 350,
      fromIndex: 1,
      toIndex: 4,
    });
  });

  it('gives the time zone of each end of the segment', async () => {
    const [kolkata] = (await search(stop.dhk, stop.kol, day)).items;
    expect(kolkata).toMatchObject({
      tripId: trip.kolkata,
      fromTimezone: 'Asia/Dhaka',
      toTimezone: 'Asia/Kolkata',
      durationMinutes: 600,
      fares: [],
    });
  });

  it('counts seats free on the segment: overlapping holds and sales count, touching ones do not', async () => {
    const [held, sold] = coachSeatIds;
    const hold = await t.app.inject({
      method: 'POST',
      url: '/api/holds',
      headers: { 'x-session-id': SESSION },
      payload: { tripId: trip.morning, from: stop.cum, to: stop.fen, seatIds: [held] },
    });
    expect(hold.statusCode, hold.body).toBe(201);
    await insertSeatSales(t.deps.database.db, {
      inventory: { kind: 'trip', id: trip.morning },
      seatIds: [sold!],
      segment: { from: 2, to: 3 },
    });
    await t.deps.holdStore.syncSold({ kind: 'trip', id: trip.morning });

    // 24 seats, one blocked; the hold covers Cumilla → Feni, the sale Feni → Chattogram.
    expect(await seatsFree(stop.dhk, stop.ctg, trip.morning)).toBe(21);
    expect(await seatsFree(stop.dhk, stop.cum, trip.morning)).toBe(23);
    expect(await seatsFree(stop.cum, stop.fen, trip.morning)).toBe(22);
    expect(await seatsFree(stop.fen, stop.cox, trip.morning)).toBe(22);
    expect(await seatsFree(stop.ctg, stop.cox, trip.morning)).toBe(23);
    // Other trips on the route are untouched.
    expect(await seatsFree(stop.dhk, stop.ctg, trip.lateNight)).toBe(23);
  });

  it('prices the origin–destination fare, else the sum of the legs, and omits classes it cannot price', async () => {
    const faresOf = async (from: string, to: string) =>
      (await search(from, to, day)).items.find((item: { tripId: string }) => item.tripId === trip.morning).fares;
    expect(await faresOf(stop.dhk, stop.ctg)).toEqual([
      { seatClass: 'ECONOMY', amount: 50000 },
      { seatClass: 'BUSINESS', amount: 150000 },
    ]);
    expect(await faresOf(stop.cum, stop.ctg)).toEqual([
      { seatClass: 'ECONOMY', amount: 30000 },
      { seatClass: 'BUSINESS', amount: 60000 },
    ]);
    expect(await faresOf(stop.dhk, stop.cox)).toEqual([{ seatClass: 'BUSINESS', amount: 160000 }]);
  });

  it('sorts by departure, duration or lowest fare and filters by mode', async () => {
    const ids = async (extra: string) => tripIdsOf(await search(stop.dhk, stop.ctg, day, extra));
    expect(await ids('&sort=departure')).toEqual([trip.lateNight, trip.train, trip.morning, trip.evening]);
    expect(await ids('&sort=duration')).toEqual([trip.lateNight, trip.morning, trip.evening, trip.train]);
    expect(await ids('&sort=fare')).toEqual([trip.train, trip.lateNight, trip.morning, trip.evening]);
    expect(await ids('&mode=train')).toEqual([trip.train]);
    expect(await ids('&mode=bus&sort=fare')).toEqual([trip.lateNight, trip.morning, trip.evening]);
    const [train] = (await search(stop.dhk, stop.ctg, day, '&mode=train')).items;
    expect(train).toMatchObject({
      vehicleType: 'train_coach',
      seatsFree: 16,
      fares: [{ seatClass: 'A', amount: 30000 }],
    });
  });

  it('shows one trip with its route, vehicle and every stop with times and time zone', async () => {
    const response = await get(`/api/trips/${trip.kolkata}`);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      id: trip.kolkata,
      status: 'scheduled',
      serviceDate: day,
      departsAt: `${day}T03:00:00.000Z`,
      arrivesAt: `${day}T13:00:00.000Z`,
      currency: 'BDT',
      route: { code: 'R2', name: 'Dhaka – Kolkata via Benapole', mode: 'bus' },
      layout: { name: 'Coach 2+2', vehicleType: 'bus', decks: 2, seatCount: 24, seatClasses: ['BUSINESS', 'ECONOMY'] },
    });
    expect(body.stops).toEqual([
      {
        index: 0,
        stopId: stop.dhk,
        code: 'DHK',
        name: 'Sayedabad Terminal',
        city: 'Dhaka',
        arrivesAt: `${day}T03:00:00.000Z`,
        departsAt: `${day}T03:00:00.000Z`,
        timezone: 'Asia/Dhaka',
      },
      expect.objectContaining({
        index: 1,
        code: 'BEN',
        arrivesAt: `${day}T09:00:00.000Z`,
        departsAt: `${day}T09:05:00.000Z`,
      }),
      expect.objectContaining({ index: 2, code: 'KOL', arrivesAt: `${day}T13:00:00.000Z`, timezone: 'Asia/Kolkata' }),
    ]);
  });

  it('shows the seat map of a trip with statuses and fares for the chosen segment', async () => {
    // The hold (Cumilla → Feni) and sale (Feni → Chattogram) of the seats-free test are on this trip.
    const [held, sold] = coachSeatIds;
    const seatMap = async (query: string) => {
      const response = await get(`/api/trips/${trip.morning}/seats${query}`);
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json();
      const statusOf = (id: string) => body.layout.seats.find((seat: { id: string }) => seat.id === id).status;
      return { body, statuses: [statusOf(held!), statusOf(sold!)] };
    };

    const legCumillaFeni = await seatMap(`?from=${stop.cum}&to=${stop.fen}`);
    expect(legCumillaFeni.statuses).toEqual(['held', 'available']);
    expect(legCumillaFeni.body).toMatchObject({
      tripId: trip.morning,
      segment: { from: stop.cum, to: stop.fen, fromIndex: 1, toIndex: 2 },
      prices: { BUSINESS: 30000, ECONOMY: 15000 },
      currency: 'BDT',
      counts: { available: 22, held: 1, sold: 0, blocked: 1 },
    });
    const lastSeat = legCumillaFeni.body.layout.seats.at(-1);
    expect(lastSeat).toMatchObject({
      label: 'Coach · Row 6 · Seat 6D',
      deck: 2,
      class: 'ECONOMY',
      status: 'available',
    });
    expect(legCumillaFeni.body.layout.seats[0]).toMatchObject({ deck: 1, class: 'BUSINESS', flags: [] });
    expect(legCumillaFeni.body.layout.seats.filter((s: { status: string }) => s.status === 'blocked')).toHaveLength(1);

    expect((await seatMap(`?from=${stop.fen}&to=${stop.ctg}`)).statuses).toEqual(['available', 'sold']);
    const wholeTrip = await seatMap('');
    expect(wholeTrip.statuses).toEqual(['held', 'sold']);
    expect(wholeTrip.body.segment).toEqual({ from: stop.dhk, to: stop.cox, fromIndex: 0, toIndex: 4 });
    expect(wholeTrip.body.prices).toEqual({ BUSINESS: 160000 });
    const fromFeni = await seatMap(`?from=${stop.fen}`);
    expect(fromFeni.body.segment).toMatchObject({ fromIndex: 2, toIndex: 4 });
    expect(fromFeni.statuses).toEqual(['available', 'sold']);
    expect((await seatMap(`?to=${stop.cum}`)).statuses).toEqual(['available', 'available']);
  });

  it('refuses a segment the trip does not travel with 400 inventory.segment_invalid', async () => {
    for (const query of [
      `?from=${stop.ctg}&to=${stop.cum}`,
      `?from=${stop.cum}&to=${stop.cum}`,
      `?from=${stop.kol}&to=${stop.ctg}`,
      `?from=${stop.cox}`,
      `?to=${stop.dhk}`,
    ]) {
      const response = await get(`/api/trips/${trip.morning}/seats${query}`);
      expect({ query, status: response.statusCode, code: response.json().error.code }).toEqual({
        query,
        status: 400,
        code: 'inventory.segment_invalid',
      });
    }
  });

  it('autocompletes stops by name, city or code: exact code and prefixes first, typos tolerated', async () => {
    const names = async (query: string) => {
      const response = await get(`/api/stops?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().items.map((item: { code: string }) => item.code);
    };
    expect((await names('q=ctg'))[0]).toBe('CTG');
    expect((await names('q=chatogram'))[0]).toBe('CTG');
    expect((await names('q=cumila'))[0]).toBe('CUM');
    expect((await names('q=kolatoli'))[0]).toBe('COX');
    expect(new Set((await names(`q=dha&organizerId=${organizerId}`)).slice(0, 2))).toEqual(new Set(['DHK', 'KML']));
    expect(await names(`q=dhaka&organizerId=${organizerId}`)).not.toContain('DAC');
    expect(await names('q=dhaka')).toContain('DAC');
    expect(await names('q=%25')).toEqual([]);
    expect(await names('q=_')).toEqual([]);
    expect(await names('limit=3')).toHaveLength(3);
    const [first] = (await get('/api/stops?q=KOL')).json().items;
    expect(first).toEqual({
      id: stop.kol,
      organizerId,
      code: 'KOL',
      name: 'Esplanade',
      city: 'Kolkata',
      timezone: 'Asia/Kolkata',
      lat: null,
      lon: null,
    });
  });

  it('answers unknown trips and stops with 404', async () => {
    for (const url of [
      '/api/trips/trp_000000000000',
      '/api/trips/trp_000000000000/seats',
      `/api/trips?from=stp_000000000000&to=${stop.ctg}&date=${day}`,
      `/api/trips?from=${stop.dhk}&to=stp_000000000000&date=${day}`,
    ]) {
      const response = await get(url);
      expect({ url, status: response.statusCode, code: response.json().error.code }).toEqual({
        url,
        status: 404,
        code: 'resource.not_found',
      });
    }
  });

  it('rejects bad input on every route with 400 request.invalid', async () => {
    const route = `from=${stop.dhk}&to=${stop.ctg}`;
    const urls = [
      '/api/trips',
      `/api/trips?${route}`,
      `/api/trips?${route}&date=2026-02-30`,
      `/api/trips?${route}&date=2026-13-01`,
      `/api/trips?${route}&date=0000-01-01`,
      `/api/trips?${route}&date=20260101`,
      `/api/trips?${route}&date=${day}&sort=price`,
      `/api/trips?${route}&date=${day}&mode=plane`,
      `/api/trips?${route}&date=${day}&page=2`,
      `/api/trips?from=${stop.dhk}&to=${stop.dhk}&date=${day}`,
      `/api/trips?from=bad%20id!&to=${stop.ctg}&date=${day}`,
      `/api/trips/${trip.morning}?details=1`,
      `/api/trips/${trip.morning}/seats?from=${stop.dhk}&segment=1`,
      `/api/trips/${trip.morning}/seats?from=no%20such%20stop`,
      '/api/trips/%20',
      '/api/stops?limit=21',
      '/api/stops?limit=0',
      '/api/stops?limit=many',
      '/api/stops?q=',
      `/api/stops?q=${'x'.repeat(101)}`,
      '/api/stops?organizerId=*',
      '/api/stops?city=Dhaka',
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
