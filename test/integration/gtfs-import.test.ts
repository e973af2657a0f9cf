import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekday, localDateOf } from '../../src/shared/time.js';
import { padmaRailFeed, zipFeed, type FeedText } from '../support/gtfs-fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

interface Run {
  id: string;
  status: string;
  phase: string;
  error: string | null;
  result: {
    status: string;
    feedKey: string;
    stops: { created: number; updated: number; unchanged: number };
    routes: { created: number; updated: number; unchanged: number };
    trips: { created: number; updated: number; unchanged: number; deleted: number; kept: number; skipped: number };
    stopTimesWritten: number;
    keptTrips: { tripId: string; gtfsTripId: string; serviceDate: string; reason: string }[];
    errors: number;
    problems: { severity: string; code: string; file?: string; line?: number; field?: string; message: string }[];
  } | null;
}

describe(`GTFS import over the admin API (${databaseKind})`, { timeout: 180_000 }, () => {
  let t: TestApp;
  let organizerId: string;
  // Ten days ahead, so every imported trip lies in the future and trip search finds it.
  const from = addDays(localDateOf(new Date(), 'Asia/Dhaka'), 10);
  const to = addDays(from, 6);
  const weekdays = Array.from({ length: 7 }, (_, i) => addDays(from, i)).filter((d) => isoWeekday(d) <= 5).length;

  const newOrganizer = async (name: string) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/admin/organizers',
      headers: t.adminHeaders,
      payload: { name, currency: 'BDT', timezone: 'Asia/Dhaka' },
    });
    expect(response.statusCode).toBe(201);
    return (response.json() as { id: string }).id;
  };

  async function upload(org: string, feed: FeedText | Buffer, query = `from=${from}&to=${to}`): Promise<Run> {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/admin/organizers/${org}/gtfs-imports?${query}`,
      headers: { ...t.adminHeaders, 'content-type': 'application/zip' },
      payload: Buffer.isBuffer(feed) ? feed : zipFeed(feed),
    });
    expect(response.statusCode, response.body).toBe(202);
    const started = response.json() as Run;
    expect(response.headers.location).toBe(`/api/admin/organizers/${org}/gtfs-imports/${started.id}`);
    const deadline = Date.now() + 120_000;
    for (;;) {
      const poll = await t.app.inject({
        method: 'GET',
        url: response.headers.location as string,
        headers: t.adminHeaders,
      });
      expect(poll.statusCode).toBe(200);
      const run = poll.json() as Run;
      if (run.status !== 'running') return run;
      if (Date.now() > deadline) throw new Error(`import still ${run.phase}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const count = async (table: 'stops' | 'routes' | 'trips', org: string) =>
    Number(
      (
        await t.deps.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organizer_id', '=', org)
          .executeTakeFirstOrThrow()
      ).n,
    );

  const stopIdOf = async (org: string, gtfsId: string) =>
    (
      await t.deps.database.db
        .selectFrom('stops')
        .select('id')
        .where('organizer_id', '=', org)
        .where('gtfs_id', '=', gtfsId)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    t = await createTestApp();
    organizerId = await newOrganizer('Padma Rail');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports stops, one route per stop pattern, dated trips and fares; buyers find the trips', async () => {
    const run = await upload(organizerId, padmaRailFeed());
    expect(run.status, JSON.stringify(run)).toBe('succeeded');
    const result = run.result!;
    expect(result.feedKey).toBe('padma-rail');
    expect(result.stops.created).toBe(4);
    expect(result.routes.created).toBe(3);
    expect(result.trips.created).toBe(7 + weekdays + 7 * 3);
    expect(result.stopTimesWritten).toBe(7 * 3 + weekdays * 2 + 7 * 3 * 2);
    expect(await count('trips', organizerId)).toBe(result.trips.created);

    const dhaka = await stopIdOf(organizerId, 'DHK');
    const chattogram = await stopIdOf(organizerId, 'CTG');
    const date = Array.from({ length: 7 }, (_, i) => addDays(from, i)).find((d) => isoWeekday(d) <= 5)!;
    const search = await t.app.inject({ method: 'GET', url: `/api/trips?from=${dhaka}&to=${chattogram}&date=${date}` });
    expect(search.statusCode).toBe(200);
    const items = (
      search.json() as { items: { departsAt: string; arrivesAt: string; fares: { amount: number }[]; mode: string }[] }
    ).items;
    expect(items).toHaveLength(2);
    // The express at 08:00 Dhaka time (02:00Z); the night train at 22:00, arriving 02:10 the next morning.
    expect(items[0]).toMatchObject({
      departsAt: `${date}T02:00:00.000Z`,
      arrivesAt: `${date}T07:00:00.000Z`,
      mode: 'train',
    });
    expect(items[1]).toMatchObject({ departsAt: `${date}T16:00:00.000Z`, arrivesAt: `${date}T20:10:00.000Z` });
    expect(items[1]!.fares.map((fare) => fare.amount)).toEqual(expect.arrayContaining([90_000]));
  });

  it('importing the same feed again changes nothing and duplicates nothing', async () => {
    const before = await count('trips', organizerId);
    const run = await upload(organizerId, padmaRailFeed());
    expect(run.result).toMatchObject({
      stops: { created: 0, updated: 0, unchanged: 4 },
      routes: { created: 0, updated: 0, unchanged: 3 },
      trips: { created: 0, updated: 0, deleted: 0, kept: 0, unchanged: before },
      stopTimesWritten: 0,
    });
    expect(await count('trips', organizerId)).toBe(before);
    expect(await count('stops', organizerId)).toBe(4);
  });

  it('a newer feed updates what changed and never moves or deletes a trip with sold seats', async () => {
    const db = t.deps.database.db;
    const tripsOf = (gtfsId: string) =>
      db
        .selectFrom('trips')
        .select(['id', 'departs_at', 'service_date', 'layout_id'])
        .where('organizer_id', '=', organizerId)
        .where('gtfs_id', '=', gtfsId)
        .orderBy('service_date')
        .execute();
    const nights = await tripsOf('NIGHT');
    const expresses = await tripsOf('EXPRESS');
    const sell = async (trip: { id: string; layout_id: string }) => {
      const seat = await db
        .selectFrom('layout_seats')
        .select('id')
        .where('layout_id', '=', trip.layout_id)
        .limit(1)
        .executeTakeFirstOrThrow();
      await db
        .insertInto('seat_sales')
        .values({ inventory_kind: 'trip', inventory_id: trip.id, seat_id: seat.id, legs: '[0,1)' })
        .execute();
    };
    await sell(nights[0]!);
    await sell(expresses[0]!);

    const newer = padmaRailFeed();
    newer['stop_times.txt'] = newer['stop_times.txt']!.replace(
      'NIGHT,22:00:00,22:00:00',
      'NIGHT,22:30:00,22:30:00',
    ).replace(/EXPRESS,[^\n]*\n/g, '');
    newer['trips.txt'] = newer['trips.txt']!.replace('R1,WEEKDAYS,EXPRESS,Chattogram\n', '');
    newer['stops.txt'] = newer['stops.txt']!.replace('Cumilla,', 'Cumilla Junction,');
    const run = await upload(organizerId, newer);
    expect(run.status).toBe('succeeded');
    expect(run.result!.stops).toEqual({ created: 0, updated: 1, unchanged: 3 });
    expect(run.result!.trips).toMatchObject({ created: 0, updated: 6, deleted: weekdays - 1, kept: 2 });
    expect(run.result!.keptTrips).toEqual(
      expect.arrayContaining([
        { tripId: nights[0]!.id, gtfsTripId: 'NIGHT', serviceDate: nights[0]!.service_date, reason: 'changed_in_feed' },
        {
          tripId: expresses[0]!.id,
          gtfsTripId: 'EXPRESS',
          serviceDate: expresses[0]!.service_date,
          reason: 'removed_from_feed',
        },
      ]),
    );
    const after = await tripsOf('NIGHT');
    expect(after.map((trip) => trip.id)).toEqual(nights.map((trip) => trip.id)); // same trips, no duplicates
    expect(after[0]!.departs_at.toISOString()).toBe(nights[0]!.departs_at.toISOString()); // sold: not moved
    expect(after[1]!.departs_at.getTime() - nights[1]!.departs_at.getTime()).toBe(30 * 60_000); // moved
    const stops = await db.selectFrom('trip_stops').select('trip_id').where('trip_id', '=', after[1]!.id).execute();
    expect(stops).toHaveLength(3);
    expect((await tripsOf('EXPRESS')).map((trip) => trip.id)).toEqual([expresses[0]!.id]);
  });

  it('a feed with an error is rejected with every problem placed, and nothing is imported', async () => {
    const org = await newOrganizer('Broken Rail');
    const broken = padmaRailFeed();
    broken['stop_times.txt'] = broken['stop_times.txt']!.replace(
      'BUS,12:00:00,12:00:00,SYL',
      'BUS,12:00:00,12:00:00,NOWHERE',
    );
    broken['trips.txt'] = broken['trips.txt']!.replace('R2,DAILY,BUS', 'R2,SOMEDAYS,BUS');
    const run = await upload(org, broken);
    expect(run.status).toBe('rejected');
    expect(run.result!.errors).toBe(2);
    expect(run.result!.problems.slice(0, 2)).toEqual([
      expect.objectContaining({
        severity: 'error',
        code: 'reference_unknown',
        file: 'trips.txt',
        line: 4,
        field: 'service_id',
      }),
      expect.objectContaining({
        severity: 'error',
        code: 'reference_unknown',
        file: 'stop_times.txt',
        line: 8,
        field: 'stop_id',
      }),
    ]);
    expect(await count('stops', org)).toBe(0);
    expect(await count('routes', org)).toBe(0);
    expect(await count('trips', org)).toBe(0);
    const feeds = await t.deps.database.db
      .selectFrom('gtfs_feeds')
      .select('id')
      .where('organizer_id', '=', org)
      .execute();
    expect(feeds).toEqual([]);
  });

  it('a dry run reports what would change and writes nothing', async () => {
    const org = await newOrganizer('Dry Rail');
    const run = await upload(org, padmaRailFeed(), `from=${from}&to=${to}&dryRun=true`);
    expect(run.result).toMatchObject({ status: 'succeeded', dryRun: true, stops: { created: 4 } });
    expect(await count('stops', org)).toBe(0);
    expect(await count('trips', org)).toBe(0);
  });

  it('uses the layout chosen per route type, and refuses one the organizer cannot use', async () => {
    const org = await newOrganizer('Layout Rail');
    const layout = await t.app.inject({
      method: 'POST',
      url: '/api/admin/vehicle-layouts',
      headers: t.adminHeaders,
      payload: { organizerId: org, name: 'Coach 2+1', template: { type: 'bus_2_1', rows: 8 } },
    });
    expect(layout.statusCode).toBe(201);
    const layoutId = (layout.json() as { id: string }).id;
    const layouts = encodeURIComponent(JSON.stringify({ routeTypes: { '3': layoutId } }));
    const run = await upload(org, padmaRailFeed(), `from=${from}&to=${to}&layouts=${layouts}`);
    expect(run.status).toBe('succeeded');
    const routes = await t.deps.database.db
      .selectFrom('routes')
      .select(['gtfs_id', 'default_layout_id', 'mode'])
      .where('organizer_id', '=', org)
      .execute();
    expect(routes.find((route) => route.gtfs_id === 'R2')!.default_layout_id).toBe(layoutId);
    expect(
      routes.filter((route) => route.gtfs_id === 'R1').every((route) => route.default_layout_id !== layoutId),
    ).toBe(true);

    const foreign = await t.app.inject({
      method: 'POST',
      url: `/api/admin/organizers/${organizerId}/gtfs-imports?layoutId=${layoutId}`,
      headers: { ...t.adminHeaders, 'content-type': 'application/zip' },
      payload: zipFeed(padmaRailFeed()),
    });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json()).toMatchObject({ error: { code: 'catalog.invalid' } });
    expect(foreign.body).toMatch(/another organizer/);
  });

  it('refuses a body that is not a zip (400) or not sent as one (415), and bad options (400)', async () => {
    const url = `/api/admin/organizers/${organizerId}/gtfs-imports`;
    const notZip = await t.app.inject({
      method: 'POST',
      url,
      headers: { ...t.adminHeaders, 'content-type': 'application/zip' },
      payload: Buffer.from('agency_id,agency_name\n'),
    });
    expect(notZip.statusCode).toBe(400);
    expect(notZip.json()).toMatchObject({ error: { code: 'request.invalid' } });
    const json = await t.app.inject({ method: 'POST', url, headers: t.adminHeaders, payload: { feed: 'x' } });
    expect(json.statusCode).toBe(415);
    const badRange = await t.app.inject({
      method: 'POST',
      url: `${url}?from=2027-01-10&to=2027-01-01`,
      headers: { ...t.adminHeaders, 'content-type': 'application/zip' },
      payload: zipFeed(padmaRailFeed()),
    });
    expect(badRange.statusCode).toBe(400);
    const badLayouts = await t.app.inject({
      method: 'POST',
      url: `${url}?layouts=${encodeURIComponent('{"routes": 3}')}`,
      headers: { ...t.adminHeaders, 'content-type': 'application/zip' },
      payload: zipFeed(padmaRailFeed()),
    });
    expect(badLayouts.statusCode).toBe(400);
  });

  it('describes the import API in the OpenAPI document: a zip body, the run and its problems', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = response.json() as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> }>
      >;
    };
    const upload = doc.paths['/api/admin/organizers/{id}/gtfs-imports']!.post!;
    expect(Object.keys(upload.requestBody!.content)).toContain('application/zip');
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['202', '400', '404', '409', '413', '415']));
    expect(doc.paths['/api/admin/organizers/{id}/gtfs-imports/{importId}']!.get!.responses).toHaveProperty('200');
  });

  it('lists the runs of the organizer, newest first', async () => {
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/admin/organizers/${organizerId}/gtfs-imports`,
      headers: t.adminHeaders,
    });
    expect(list.statusCode).toBe(200);
    const runs = (list.json() as { imports: Run[] }).imports;
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs.every((run) => run.status !== 'running')).toBe(true);
  });
});
