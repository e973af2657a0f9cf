import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventOnSale, gridLayout, type EventFixture } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

/** The other side of "never sell twice": buyers of different seats must never be refused. */
describe.each(availableHoldStores())('concurrent holds of disjoint seats (%s hold store)', (holdStore) => {
  let t: TestApp;
  let event: EventFixture;
  let pool: Pool;

  beforeAll(async () => {
    t = await createTestApp({ holdStore, listen: true });
    event = await createEventOnSale(t.deps.database.db, { layout: gridLayout(40, 50) });
    pool = new Pool(t.url, { connections: 64 });
  });
  afterAll(async () => {
    await pool?.close();
    await t?.close();
  });

  it('grants every one of 400 concurrent holds of disjoint seat sets', async () => {
    const requests = Array.from({ length: 400 }, (_, i) => event.seatIds.slice(i * 5, i * 5 + 1 + (i % 5)));
    const statuses = await Promise.all(
      requests.map(async (seatIds, i) => {
        const response = await pool.request({
          method: 'POST',
          path: '/api/holds',
          headers: { 'content-type': 'application/json', 'x-session-id': `disjoint-session-${i}-xxxx` },
          body: JSON.stringify({ eventId: event.eventId, seatIds }),
        });
        const body = await response.body.text();
        return response.statusCode === 201 ? 201 : `${response.statusCode} ${body}`;
      }),
    );
    expect(statuses.filter((status) => status !== 201)).toEqual([]);
    const held = await t.deps.holdStore.occupancy({ kind: 'event', id: event.eventId }, { from: 0, to: 1 });
    expect(held.heldSeatIds.size).toBe(requests.reduce((sum, seats) => sum + seats.length, 0));
  });
});
