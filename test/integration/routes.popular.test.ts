import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import {
  busLayout,
  createFares,
  createRoute,
  createScheduledTrip,
  createStop,
  type RouteSpec,
} from '../support/browse-fixtures.js';
import { createLayout, createOrganizer, seatIdsOf } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * GET /api/routes/popular: what the home page shows under "upcoming trips on popular routes" — routes
 * ranked by seats sold lately, each with its next departures, seats free end to end and the cheapest fare.
 */
describe('popular routes', () => {
  let t: TestApp;
  const route = {} as Record<'busy' | 'quiet' | 'far' | 'cancelledOnly', RouteSpec & { routeId: string }>;
  const trips = {} as Record<'busy1' | 'busy2' | 'busy3' | 'busy4' | 'quiet1', string>;
  let seatIds: string[];
  const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3600_000);

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.deps.database.db;
    const organizerId = await createOrganizer(db);
    const layoutId = (await createLayout(db, organizerId, busLayout(3, 1))).id;
    seatIds = await seatIdsOf(db, layoutId);
    const stop = {
      dhk: await createStop(db, organizerId, { code: 'DHK', name: 'Sayedabad', city: 'Dhaka' }),
      cum: await createStop(db, organizerId, { code: 'CUM', name: 'Padua Bazar', city: 'Cumilla' }),
      ctg: await createStop(db, organizerId, { code: 'CTG', name: 'Dampara', city: 'Chattogram' }),
      syl: await createStop(db, organizerId, { code: 'SYL', name: 'Kadamtali', city: 'Sylhet' }),
    };
    const spec = (code: string, stopIds: string[], offsets: number[]): RouteSpec => ({
      organizerId,
      code,
      name: code,
      layoutId,
      stopIds,
      arrivalOffsets: offsets,
    });
    const make = async (key: keyof typeof route, routeSpec: RouteSpec) => {
      route[key] = { ...routeSpec, routeId: await createRoute(db, routeSpec) };
    };
    await make('busy', spec('DHK-CTG', [stop.dhk, stop.cum, stop.ctg], [0, 120, 330]));
    await make('quiet', spec('DHK-SYL', [stop.dhk, stop.syl], [0, 300]));
    await make('far', spec('CTG-SYL', [stop.ctg, stop.syl], [0, 400]));
    await make('cancelledOnly', spec('SYL-DHK', [stop.syl, stop.dhk], [0, 300]));
    // Legs 500 + 600, no end-to-end fare for ECONOMY; BUSINESS has one of 1,500.
    await createFares(db, route.busy.routeId, [
      { fromIndex: 0, toIndex: 1, seatClass: 'ECONOMY', amount: 50000 },
      { fromIndex: 1, toIndex: 2, seatClass: 'ECONOMY', amount: 60000 },
      { fromIndex: 0, toIndex: 2, seatClass: 'BUSINESS', amount: 150000 },
    ]);

    trips.busy4 = await createScheduledTrip(db, route.busy, hoursFromNow(96));
    trips.busy1 = await createScheduledTrip(db, route.busy, hoursFromNow(5));
    trips.busy3 = await createScheduledTrip(db, route.busy, hoursFromNow(50));
    trips.busy2 = await createScheduledTrip(db, route.busy, hoursFromNow(26));
    await createScheduledTrip(db, route.busy, hoursFromNow(-2)); // already left
    trips.quiet1 = await createScheduledTrip(db, route.quiet, hoursFromNow(30));
    await createScheduledTrip(db, route.far, hoursFromNow(24 * 20)); // beyond the 14-day horizon
    await createScheduledTrip(db, route.cancelledOnly, hoursFromNow(10), { status: 'cancelled' });
  });
  afterAll(async () => t?.close());

  const popular = async (query = '') => {
    const response = await t.app.inject({ method: 'GET', url: `/api/routes/popular${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().items as {
      routeId: string;
      name: string;
      from: { name: string; city: string };
      to: { name: string; city: string };
      lowestFare: number | null;
      currency: string;
      departures: { tripId: string; seatsFree: number; departsAt: string; arrivesAt: string; timezone: string }[];
    }[];
  };

  it('lists routes with departures in the next 14 days, the one with more departures first while none sold', async () => {
    const items = await popular();
    expect(items.map((item) => item.routeId)).toEqual([route.busy.routeId, route.quiet.routeId]);
    const [busy] = items;
    expect(busy).toMatchObject({
      name: 'DHK-CTG',
      mode: 'bus',
      from: { name: 'Sayedabad', city: 'Dhaka' },
      to: { name: 'Dampara', city: 'Chattogram' },
      currency: 'BDT',
      // ECONOMY end to end is the sum of its legs (1,100), cheaper than BUSINESS (1,500).
      lowestFare: 110000,
    });
    // The next three departures, soonest first; the one that left is not offered.
    expect(busy!.departures.map((departure) => departure.tripId)).toEqual([trips.busy1, trips.busy2, trips.busy3]);
    expect(busy!.departures[0]).toMatchObject({ seatsFree: 12, timezone: 'Asia/Dhaka' });
    const first = busy!.departures[0]!;
    expect(new Date(first.arrivesAt).getTime() - new Date(first.departsAt).getTime()).toBe(330 * 60_000);
    expect(items[1]!.lowestFare).toBeNull();
  });

  it('ranks by seats sold lately and counts seats sold on any leg as not free end to end', async () => {
    const db = t.deps.database.db;
    await insertSeatSales(db, {
      inventory: { kind: 'trip', id: trips.quiet1 },
      seatIds: seatIds.slice(0, 2),
      segment: { from: 0, to: 1 },
    });
    await insertSeatSales(db, {
      inventory: { kind: 'trip', id: trips.busy1 },
      seatIds: seatIds.slice(0, 1),
      segment: { from: 1, to: 2 },
    });
    await t.deps.holdStore.syncSold({ kind: 'trip', id: trips.quiet1 });
    await t.deps.holdStore.syncSold({ kind: 'trip', id: trips.busy1 });
    const items = await popular();
    expect(items.map((item) => item.routeId)).toEqual([route.quiet.routeId, route.busy.routeId]);
    expect(items[0]!.departures[0]!.seatsFree).toBe(10);
    expect(items[1]!.departures[0]!.seatsFree).toBe(11);
    expect((await popular('?limit=1')).map((item) => item.routeId)).toEqual([route.quiet.routeId]);
  });

  it('rejects a bad limit with 400', async () => {
    for (const query of ['?limit=0', '?limit=21', '?limit=x', '?other=1']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/routes/popular${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('request.invalid');
    }
  });
});
