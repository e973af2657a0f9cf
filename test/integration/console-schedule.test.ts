import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isoWeekday, localDateOf, zonedDateTimeToUtc } from '../../src/shared/time.js';
import { createTestUser, type TestUser } from '../support/auth.js';
import { api, type Json } from '../support/booking-fixtures.js';
import { createEventOnSale, gridLayout, type EventFixture } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/** Scheduling a week of show times at once, in the venue's time zone, all or nothing, never doubled. */
describe(`show-time scheduling (${databaseKind})`, () => {
  let t: TestApp;
  let staff: TestUser;
  let venue: EventFixture;

  beforeAll(async () => {
    t = await createTestApp();
    venue = await createEventOnSale(t.deps.database.db, {
      layout: gridLayout(2, 4, { gaAreas: [{ name: 'Stalls', category: 'GA', capacity: 30 }] }),
    });
    staff = await createTestUser(t, { role: 'staff', organizerId: venue.organizerId });
  });
  afterAll(async () => t?.close());

  const nextMonday = () => {
    const today = localDateOf(new Date(), 'Asia/Dhaka');
    return addDays(today, 8 - isoWeekday(today));
  };
  const body = (over: Json = {}) => ({
    venueId: venue.venueId,
    title: 'Hawa',
    category: 'film',
    language: 'bn',
    prices: { A: 35_000, B: 25_000, GA: 15_000 },
    status: 'on_sale',
    from: nextMonday(),
    to: addDays(nextMonday(), 6),
    weekdays: [1, 2, 3, 4, 5, 6, 7],
    times: ['21:45', '15:00'],
    durationMinutes: 150,
    ...over,
  });

  it('creates every show time of a week at the venue’s local times, priced and sellable, and never twice', async () => {
    const first = await api(t, 'POST', '/api/admin/events/schedule', { user: staff, body: body() });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ created: 14, skipped: 0 });
    const starts = (first.body.showTimes as Json[]).map((showTime) => showTime.startsAt);
    expect(starts[0]).toBe(zonedDateTimeToUtc(nextMonday(), '15:00', 'Asia/Dhaka').toISOString());
    expect(starts[1]).toBe(zonedDateTimeToUtc(nextMonday(), '21:45', 'Asia/Dhaka').toISOString());
    expect(starts.at(-1)).toBe(zonedDateTimeToUtc(addDays(nextMonday(), 6), '21:45', 'Asia/Dhaka').toISOString());

    const one = await api(t, 'GET', `/api/admin/events/${first.body.showTimes[3].eventId}`, { user: staff });
    expect(one.body).toMatchObject({ title: 'Hawa', status: 'on_sale', prices: { A: 35_000, B: 25_000, GA: 15_000 } });
    expect(Date.parse(one.body.endsAt) - Date.parse(one.body.startsAt)).toBe(150 * 60_000);
    const hold = await api(t, 'POST', '/api/holds', {
      headers: { 'x-session-id': 'schedule-test-session-1' },
      body: { eventId: one.body.id, ga: [{ areaId: venue.gaAreaIds[0], quantity: 2 }] },
    });
    expect(hold.status).toBe(201);
    // One series: the buyer's event page lists the other show times of the title.
    const page = await api(t, 'GET', `/api/events/${one.body.id}`);
    expect((page.body.showTimes as Json[]).flatMap((day) => day.events)).toHaveLength(13);

    const again = await api(t, 'POST', '/api/admin/events/schedule', {
      user: staff,
      body: body({ to: addDays(nextMonday(), 7), weekdays: [1] }),
    });
    expect(again.body).toMatchObject({ created: 2, skipped: 2 });
  });

  it('refuses bad patterns with nothing created: missing prices, reversed or too long ranges, another organizer', async () => {
    const count = async () =>
      (await t.deps.database.db.selectFrom('events').select('id').where('venue_id', '=', venue.venueId).execute())
        .length;
    const before = await count();
    const cases: [Json, number, string][] = [
      [{ prices: { A: 1 } }, 400, 'event.prices_invalid'],
      [{ to: addDays(nextMonday(), -1) }, 400, 'request.invalid'],
      [{ to: addDays(nextMonday(), 100) }, 400, 'request.invalid'],
      [{ times: ['25:00'] }, 400, 'request.invalid'],
      [{ to: nextMonday(), weekdays: [2] }, 400, 'request.invalid'],
      [{ saleStartsAt: new Date(Date.now() + 90 * 86_400_000).toISOString() }, 400, 'catalog.invalid'],
    ];
    for (const [over, status, code] of cases) {
      const reply = await api(t, 'POST', '/api/admin/events/schedule', { user: staff, body: body(over) });
      expect(reply.status, JSON.stringify(over)).toBe(status);
      expect(reply.body.error?.code).toBe(code);
    }
    const stranger = await createTestUser(t, {
      role: 'staff',
      organizerId: (await createEventOnSale(t.deps.database.db)).organizerId,
    });
    expect((await api(t, 'POST', '/api/admin/events/schedule', { user: stranger, body: body() })).status).toBe(404);
    expect(await count()).toBe(before);
  });
});
