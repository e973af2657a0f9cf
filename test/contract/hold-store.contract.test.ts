import { Cluster, type Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoldRequest, HoldResult, HoldStore, InventoryRef } from '../../src/inventory/hold-store.js';
import { RedisHoldStore } from '../../src/inventory/hold-store.redis.js';
import type { HoldScripts } from '../../src/inventory/redis-hold-scripts.js';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import { NotifyingHoldStore } from '../../src/realtime/hold-store.notifying.js';
import { EVENT_SEGMENT, type Segment } from '../../src/inventory/segments.js';
import { newHoldToken } from '../../src/shared/ids.js';
import { createEventOnSale, createTrip, gridLayout, type EventFixture, type TripFixture } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The hold-store port's contract: the same cases against every adapter available in this run, through
 * the port itself. Each case works on its own event or trip, so the cases do not see each other's holds.
 */
const BUYER = 'session-buyer-a';
const OTHER = 'session-buyer-b';
const LONG_TTL_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(availableHoldStores())('hold store contract (%s)', (kind) => {
  let t: TestApp;
  let store: HoldStore;

  beforeAll(async () => {
    t = await createTestApp({ holdStore: kind });
    // The adapter itself, without the seat-change announcements the container wraps it in.
    store = t.deps.holdStore instanceof NotifyingHoldStore ? t.deps.holdStore.wrapped : t.deps.holdStore;
    expect(store.name).toBe(kind);
  });
  afterAll(async () => t?.close());

  const db = () => t.deps.database.db;

  async function newEvent(gaCapacity?: number): Promise<EventFixture & { inventory: InventoryRef }> {
    const layout = gridLayout(
      2,
      5,
      gaCapacity ? { gaAreas: [{ name: 'Standing', category: 'GA', capacity: gaCapacity }] } : {},
    );
    const event = await createEventOnSale(db(), { layout });
    return { ...event, inventory: { kind: 'event', id: event.eventId } };
  }

  async function newTrip(): Promise<TripFixture & { inventory: InventoryRef }> {
    const trip = await createTrip(db(), { stopCount: 10, seatRows: 2 });
    return { ...trip, inventory: { kind: 'trip', id: trip.tripId } };
  }

  function hold(inventory: InventoryRef, over: Partial<HoldRequest> = {}): Promise<HoldResult> {
    return store.create({
      token: newHoldToken(),
      inventory,
      owner: BUYER,
      seatIds: [],
      ga: [],
      segment: inventory.kind === 'event' ? EVENT_SEGMENT : { from: 0, to: 1 },
      ttlMs: LONG_TTL_MS,
      ...over,
    });
  }

  async function holdOk(inventory: InventoryRef, over: Partial<HoldRequest> = {}) {
    const result = await hold(inventory, over);
    if (!result.ok) throw new Error(`expected a hold, got ${JSON.stringify(result)}`);
    return result.hold;
  }

  /** Records a sale in the database and tells the store what it added, as order confirmation does. */
  async function sell(inventory: InventoryRef, seatIds: string[], segment: Segment) {
    await insertSeatSales(db(), { inventory, seatIds, segment });
    await store.syncSold(inventory, { segment, seatIds, gaAreaIds: [] });
  }

  it('creates a hold with every seat and GA quantity, readable by token', async () => {
    const event = await newEvent(5);
    const area = event.gaAreaIds[0]!;
    const before = Date.now();
    const created = await holdOk(event.inventory, {
      seatIds: [event.seatIds[0]!, event.seatIds[1]!],
      ga: [{ areaId: area, quantity: 2, capacity: 5 }],
    });
    expect(created.seatIds).toEqual([event.seatIds[0], event.seatIds[1]]);
    expect(created.ga).toEqual([{ areaId: area, quantity: 2 }]);
    expect(created.extended).toBe(false);
    expect(created.expiresAt.getTime() - created.createdAt.getTime()).toBe(LONG_TTL_MS);
    expect(Math.abs(created.createdAt.getTime() - before)).toBeLessThan(5_000);

    const read = await store.get(created.token);
    expect(read).toEqual(created);
    expect(await store.get(newHoldToken())).toBeNull();
  });

  it('is all or nothing: one taken seat or one short area refuses the whole hold and holds nothing', async () => {
    const event = await newEvent(4);
    const [s0, s1, s2, s3] = event.seatIds;
    const area = event.gaAreaIds[0]!;
    await holdOk(event.inventory, { seatIds: [s1!] });

    const refused = await hold(event.inventory, { owner: OTHER, seatIds: [s0!, s1!, s2!] });
    expect(refused).toEqual({ ok: false, unavailableSeatIds: [s1], unavailableAreas: [] });

    const short = await hold(event.inventory, {
      owner: OTHER,
      seatIds: [s3!],
      ga: [{ areaId: area, quantity: 5, capacity: 4 }],
    });
    expect(short).toEqual({
      ok: false,
      unavailableSeatIds: [],
      unavailableAreas: [{ areaId: area, requested: 5, available: 4 }],
    });

    // Nothing of the refused requests was held.
    const occupancy = await store.occupancy(event.inventory, EVENT_SEGMENT);
    expect([...occupancy.heldSeatIds]).toEqual([s1]);
    expect(occupancy.ga.get(area)?.held ?? 0).toBe(0);
    await holdOk(event.inventory, {
      owner: OTHER,
      seatIds: [s0!, s2!, s3!],
      ga: [{ areaId: area, quantity: 4, capacity: 4 }],
    });
  });

  it('refuses overlapping segments of a trip seat and allows segments that only touch', async () => {
    const trip = await newTrip();
    const [seat, otherSeat] = trip.seatIds;
    await holdOk(trip.inventory, { seatIds: [seat!], segment: { from: 0, to: 3 } });

    expect((await hold(trip.inventory, { owner: OTHER, seatIds: [seat!], segment: { from: 3, to: 6 } })).ok).toBe(true);
    for (const segment of [
      { from: 2, to: 4 },
      { from: 0, to: 9 },
      { from: 5, to: 7 },
      { from: 1, to: 2 },
    ]) {
      expect(await hold(trip.inventory, { owner: OTHER, seatIds: [seat!], segment })).toEqual({
        ok: false,
        unavailableSeatIds: [seat],
        unavailableAreas: [],
      });
    }
    expect((await hold(trip.inventory, { owner: OTHER, seatIds: [seat!], segment: { from: 6, to: 9 } })).ok).toBe(true);
    expect((await hold(trip.inventory, { owner: OTHER, seatIds: [otherSeat!], segment: { from: 0, to: 9 } })).ok).toBe(
      true,
    );

    const onFirstLegs = await store.occupancy(trip.inventory, { from: 0, to: 3 });
    expect([...onFirstLegs.heldSeatIds].sort()).toEqual([seat, otherSeat].sort());
    const counts = await store.countUnavailableSeats([
      { inventory: trip.inventory, segment: { from: 0, to: 1 } },
      { inventory: (await newTrip()).inventory, segment: { from: 0, to: 9 } },
    ]);
    expect(counts).toEqual(new Map([[trip.tripId, 2]]));
  });

  it('holds general-admission quantities up to the capacity, counting sold ones', async () => {
    const event = await newEvent(5);
    const area = event.gaAreaIds[0]!;
    const ga = (quantity: number) => [{ areaId: area, quantity, capacity: 5 }];
    await holdOk(event.inventory, { ga: ga(3) });
    expect(await hold(event.inventory, { owner: OTHER, ga: ga(3) })).toEqual({
      ok: false,
      unavailableSeatIds: [],
      unavailableAreas: [{ areaId: area, requested: 3, available: 2 }],
    });
    await holdOk(event.inventory, { owner: OTHER, ga: ga(1) });

    await db().updateTable('ga_inventory').set({ sold: 1 }).where('inventory_id', '=', event.eventId).execute();
    await store.syncSold(event.inventory, { segment: EVENT_SEGMENT, seatIds: [], gaAreaIds: [area] });
    expect(await hold(event.inventory, { owner: OTHER, ga: ga(1) })).toEqual({
      ok: false,
      unavailableSeatIds: [],
      unavailableAreas: [{ areaId: area, requested: 1, available: 0 }],
    });
    const occupancy = await store.occupancy(event.inventory, EVENT_SEGMENT);
    expect(occupancy.ga.get(area)).toEqual({ held: 4, sold: 1 });
  });

  it('extends a hold once, never beyond its maximum lifetime, and only for its owner', async () => {
    const event = await newEvent();
    const created = await holdOk(event.inventory, { seatIds: [event.seatIds[0]!], ttlMs: 1_000 });

    expect(await store.extend(created.token, OTHER, 60_000, 7_200_000)).toEqual({ ok: false, reason: 'not_found' });
    expect(await store.extend(newHoldToken(), BUYER, 60_000, 7_200_000)).toEqual({ ok: false, reason: 'not_found' });

    const extended = await store.extend(created.token, BUYER, 60_000, 2_500);
    if (!extended.ok) throw new Error('expected the extension to succeed');
    expect(extended.hold.extended).toBe(true);
    expect(extended.hold.expiresAt.getTime()).toBe(created.createdAt.getTime() + 2_500);
    expect(extended.hold.seatIds).toEqual(created.seatIds);
    expect(await store.extend(created.token, BUYER, 60_000, 7_200_000)).toEqual({
      ok: false,
      reason: 'already_extended',
    });

    // Past its first expiry the extended hold still holds its seat.
    await sleep(1_300);
    expect((await store.get(created.token))?.extended).toBe(true);
    expect(await hold(event.inventory, { owner: OTHER, seatIds: [event.seatIds[0]!] })).toEqual({
      ok: false,
      unavailableSeatIds: [event.seatIds[0]],
      unavailableAreas: [],
    });
    expect(await store.release(created.token, BUYER)).toBe(true);
  });

  it('releases a hold only for its owner, freeing its seats at once', async () => {
    const event = await newEvent(3);
    const area = event.gaAreaIds[0]!;
    const created = await holdOk(event.inventory, {
      seatIds: [event.seatIds[2]!],
      ga: [{ areaId: area, quantity: 3, capacity: 3 }],
    });
    expect(await store.release(created.token, OTHER)).toBe(false);
    expect((await hold(event.inventory, { owner: OTHER, seatIds: [event.seatIds[2]!] })).ok).toBe(false);

    expect(await store.release(created.token, BUYER)).toBe(true);
    expect(await store.get(created.token)).toBeNull();
    expect(await store.release(created.token, BUYER)).toBe(false);
    await holdOk(event.inventory, {
      owner: OTHER,
      seatIds: [event.seatIds[2]!],
      ga: [{ areaId: area, quantity: 3, capacity: 3 }],
    });
  });

  it('ignores an expired hold at once, before any sweep, and the sweeper then counts it', async () => {
    await store.sweepExpired(); // start from a clean slate; every other case here uses long TTLs
    const event = await newEvent(2);
    const area = event.gaAreaIds[0]!;
    const seatIds = [event.seatIds[3]!, event.seatIds[4]!];
    const ga = [{ areaId: area, quantity: 2, capacity: 2 }];
    const first = await holdOk(event.inventory, { seatIds, ga, ttlMs: 400 });
    const trip = await newTrip();
    await holdOk(trip.inventory, { seatIds: [trip.seatIds[0]!], segment: { from: 0, to: 5 }, ttlMs: 400 });
    expect((await hold(event.inventory, { owner: OTHER, seatIds })).ok).toBe(false);

    await sleep(550);
    expect(await store.get(first.token)).toBeNull();
    expect(await store.extend(first.token, BUYER, 60_000, 7_200_000)).toEqual({ ok: false, reason: 'not_found' });
    expect(await store.release(first.token, BUYER)).toBe(false);
    const occupancy = await store.occupancy(event.inventory, EVENT_SEGMENT);
    expect(occupancy.heldSeatIds.size).toBe(0);
    expect(occupancy.ga.get(area)?.held ?? 0).toBe(0);
    expect(await store.countUnavailableSeats([{ inventory: trip.inventory, segment: { from: 0, to: 9 } }])).toEqual(
      new Map(),
    );
    await holdOk(event.inventory, { owner: OTHER, seatIds, ga });
    await holdOk(trip.inventory, { owner: OTHER, seatIds: [trip.seatIds[0]!], segment: { from: 2, to: 4 } });

    expect(await store.sweepExpired()).toBe(2);
    expect(await store.sweepExpired()).toBe(0);
  });

  it('tells when the first live hold counted in an occupancy expires (seats on the segment, GA areas)', async () => {
    const event = await newEvent(3);
    const area = event.gaAreaIds[0]!;
    expect((await store.occupancy(event.inventory, EVENT_SEGMENT)).nextExpiryAt).toBeNull();
    const late = await holdOk(event.inventory, { seatIds: [event.seatIds[0]!], ttlMs: 60_000 });
    expect((await store.occupancy(event.inventory, EVENT_SEGMENT)).nextExpiryAt).toEqual(late.expiresAt);
    const soonGa = await holdOk(event.inventory, {
      owner: OTHER,
      ga: [{ areaId: area, quantity: 1, capacity: 3 }],
      ttlMs: 30_000,
    });
    expect((await store.occupancy(event.inventory, EVENT_SEGMENT)).nextExpiryAt).toEqual(soonGa.expiresAt);
    const soonest = await holdOk(event.inventory, { seatIds: [event.seatIds[1]!], ttlMs: 400 });
    expect((await store.occupancy(event.inventory, EVENT_SEGMENT)).nextExpiryAt).toEqual(soonest.expiresAt);
    await sleep(550); // expired holds no longer count
    expect((await store.occupancy(event.inventory, EVENT_SEGMENT)).nextExpiryAt).toEqual(soonGa.expiresAt);
    await store.release(soonGa.token, OTHER);
    expect((await store.occupancy(event.inventory, EVENT_SEGMENT)).nextExpiryAt).toEqual(late.expiresAt);

    // On a trip, only holds on legs that overlap the segment asked about count.
    const trip = await newTrip();
    const far = await holdOk(trip.inventory, {
      seatIds: [trip.seatIds[0]!],
      segment: { from: 5, to: 9 },
      ttlMs: 2_000,
    });
    const near = await holdOk(trip.inventory, {
      seatIds: [trip.seatIds[1]!],
      segment: { from: 0, to: 3 },
      ttlMs: 50_000,
    });
    expect((await store.occupancy(trip.inventory, { from: 1, to: 2 })).nextExpiryAt).toEqual(near.expiresAt);
    expect((await store.occupancy(trip.inventory, { from: 0, to: 9 })).nextExpiryAt).toEqual(far.expiresAt);
  });

  it('counts the live holds of each inventory and those expiring soon; expired and released ones do not count', async () => {
    const event = await newEvent(4);
    const trip = await newTrip();
    const quiet = await newEvent();
    expect(await store.liveHoldCounts([event.eventId, trip.tripId, quiet.eventId], 5_000)).toEqual(new Map());
    await holdOk(event.inventory, { seatIds: [event.seatIds[0]!], ttlMs: 60_000 });
    await holdOk(event.inventory, { seatIds: [event.seatIds[1]!], ttlMs: 3_000 });
    await holdOk(event.inventory, { ga: [{ areaId: event.gaAreaIds[0]!, quantity: 2, capacity: 4 }], ttlMs: 2_000 });
    const released = await holdOk(event.inventory, { seatIds: [event.seatIds[2]!], ttlMs: 60_000 });
    await store.release(released.token, BUYER);
    await holdOk(event.inventory, { seatIds: [event.seatIds[3]!], ttlMs: 300 });
    await holdOk(trip.inventory, { seatIds: [trip.seatIds[0]!], segment: { from: 0, to: 4 }, ttlMs: 60_000 });
    await sleep(450); // the 300 ms hold has expired, unswept
    expect(await store.liveHoldCounts([event.eventId, trip.tripId, quiet.eventId], 5_000)).toEqual(
      new Map([
        [event.eventId, { live: 3, expiringSoon: 2 }],
        [trip.tripId, { live: 1, expiringSoon: 0 }],
      ]),
    );
  });

  it('refuses seats the database recorded as sold, on overlapping legs only, until the sale is cancelled', async () => {
    const event = await newEvent();
    const [sold, free] = event.seatIds;
    await sell(event.inventory, [sold!], EVENT_SEGMENT);
    expect(await hold(event.inventory, { seatIds: [sold!, free!] })).toEqual({
      ok: false,
      unavailableSeatIds: [sold],
      unavailableAreas: [],
    });
    expect([...(await store.occupancy(event.inventory, EVENT_SEGMENT)).soldSeatIds]).toEqual([sold]);

    const trip = await newTrip();
    const seat = trip.seatIds[0]!;
    await sell(trip.inventory, [seat], { from: 2, to: 5 });
    expect((await hold(trip.inventory, { seatIds: [seat], segment: { from: 4, to: 6 } })).ok).toBe(false);
    expect((await hold(trip.inventory, { seatIds: [seat], segment: { from: 0, to: 3 } })).ok).toBe(false);
    await holdOk(trip.inventory, { seatIds: [seat], segment: { from: 0, to: 2 } });
    await holdOk(trip.inventory, { seatIds: [seat], segment: { from: 5, to: 9 } });
    expect(await store.countUnavailableSeats([{ inventory: trip.inventory, segment: { from: 3, to: 4 } }])).toEqual(
      new Map([[trip.tripId, 1]]),
    );

    await db()
      .updateTable('seat_sales')
      .set({ status: 'cancelled' })
      .where('inventory_id', '=', event.eventId)
      .execute();
    await store.syncSold(event.inventory);
    await holdOk(event.inventory, { seatIds: [sold!] });
  });

  it('keeps every sale when many syncs of one inventory overlap, sale by sale and full re-reads mixed', async () => {
    const event = await newEvent(10);
    const area = event.gaAreaIds[0]!;
    const syncs: Promise<void>[] = [];
    for (const [i, seatId] of event.seatIds.entries()) {
      await insertSeatSales(db(), { inventory: event.inventory, seatIds: [seatId], segment: EVENT_SEGMENT });
      await db()
        .updateTable('ga_inventory')
        .set({ sold: i + 1 })
        .where('inventory_id', '=', event.eventId)
        .execute();
      // Not awaited: the syncs race each other. Every third one re-reads everything, as a cancellation does.
      syncs.push(
        i % 3 === 0
          ? store.syncSold(event.inventory)
          : store.syncSold(event.inventory, { segment: EVENT_SEGMENT, seatIds: [seatId], gaAreaIds: [area] }),
      );
    }
    await Promise.all(syncs);
    const occupancy = await store.occupancy(event.inventory, EVENT_SEGMENT);
    expect([...occupancy.soldSeatIds].sort()).toEqual([...event.seatIds].sort());
    expect(occupancy.ga.get(area)).toEqual({ held: 0, sold: event.seatIds.length });
    expect(await hold(event.inventory, { seatIds: [event.seatIds.at(-1)!] })).toMatchObject({ ok: false });
  });

  it('adds a sale to what it knew without forgetting earlier sales or segments of the same seat', async () => {
    const trip = await newTrip();
    const seat = trip.seatIds[0]!;
    await sell(trip.inventory, [seat], { from: 0, to: 2 });
    await sell(trip.inventory, [seat], { from: 5, to: 7 });
    // Told twice (a retried confirmation): no harm.
    await store.syncSold(trip.inventory, { segment: { from: 5, to: 7 }, seatIds: [seat], gaAreaIds: [] });
    for (const segment of [
      { from: 1, to: 2 },
      { from: 6, to: 9 },
    ]) {
      expect((await hold(trip.inventory, { seatIds: [seat], segment })).ok).toBe(false);
    }
    await holdOk(trip.inventory, { seatIds: [seat], segment: { from: 2, to: 5 } });
    expect([...(await store.occupancy(trip.inventory, { from: 0, to: 1 })).soldSeatIds]).toEqual([seat]);
  });

  // Only the Redis store keeps a copy of the sales, kept in step by tickets (redis-hold-scripts.ts).
  if (kind === 'redis') {
    it('keeps a sale told after a slow full re-read began, when that re-read lands last', async () => {
      const event = await newEvent();
      const [early, late] = event.seatIds;
      await sell(event.inventory, [early!], EVENT_SEGMENT);
      const scripts = t.deps.redis as unknown as HoldScripts;
      const base = `${(store as RedisHoldStore).keyPrefix}{${event.eventId}}:`;
      // A re-read takes its ticket and reads the database (seeing only the early sale) …
      const ticket = String(await scripts.boHoldLoadTicket(`${base}loadseq`));
      const staleRead = [early!, '0,1'];
      // … meanwhile the late sale commits and is told to the store …
      await sell(event.inventory, [late!], EVENT_SEGMENT);
      // … and then the slow re-read lands. It must not take the late sale back.
      expect(await scripts.boHoldLoadSold(`${base}sold`, `${base}recent`, ticket, ...staleRead)).toBe(1);
      const occupancy = await store.occupancy(event.inventory, EVENT_SEGMENT);
      expect([...occupancy.soldSeatIds].sort()).toEqual([early, late].sort());
      expect(await hold(event.inventory, { seatIds: [late!] })).toMatchObject({ ok: false });
      // A re-read that began after the late sale sees it in the database and drops it from the log.
      await store.syncSold(event.inventory);
      expect(await t.deps.redis!.llen(`${base}recent`)).toBe(0);
    });

    it('refuses a re-read whose ticket is too old for the log of recent sales', async () => {
      const event = await newEvent();
      const scripts = t.deps.redis as unknown as HoldScripts;
      const base = `${(store as RedisHoldStore).keyPrefix}{${event.eventId}}:`;
      const threeMinutesAgo = String((Date.now() - 180_000) * 1000);
      expect(await scripts.boHoldLoadSold(`${base}sold`, `${base}recent`, threeMinutesAgo)).toBe(-1);
    });

    it('still refuses sold seats after Redis lost every key (restart or flush)', async () => {
      const event = await newEvent(4);
      const trip = await newTrip();
      const area = event.gaAreaIds[0]!;
      const [sold, free] = event.seatIds;
      await sell(event.inventory, [sold!], EVENT_SEGMENT);
      await sell(trip.inventory, [trip.seatIds[0]!], { from: 0, to: 9 });
      await db().updateTable('ga_inventory').set({ sold: 3 }).where('inventory_id', '=', event.eventId).execute();
      await store.syncSold(event.inventory);
      const live = await holdOk(event.inventory, { seatIds: [event.seatIds[5]!] });

      expect(await deleteKeysWithPrefix(t.deps.redis!, (store as RedisHoldStore).keyPrefix)).toBeGreaterThan(0);

      // Many requests at once find the memory empty; every one of them must see the sales.
      const attempts = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          i % 2 === 0
            ? hold(event.inventory, { owner: `${OTHER}-${i}`, seatIds: [sold!] })
            : hold(trip.inventory, {
                owner: `${OTHER}-${i}`,
                seatIds: [trip.seatIds[0]!],
                segment: { from: 4, to: 5 },
              }),
        ),
      );
      expect(attempts.filter((result) => result.ok)).toEqual([]);
      expect(await hold(event.inventory, { ga: [{ areaId: area, quantity: 2, capacity: 4 }] })).toEqual({
        ok: false,
        unavailableSeatIds: [],
        unavailableAreas: [{ areaId: area, requested: 2, available: 1 }],
      });
      const occupancy = await store.occupancy(event.inventory, EVENT_SEGMENT);
      expect([...occupancy.soldSeatIds]).toEqual([sold]);
      // Holds lived only in Redis: lost with it (checkout re-checks them in the database).
      expect(await store.get(live.token)).toBeNull();
      await holdOk(event.inventory, { seatIds: [free!] });
    });
  }
});

/** Deletes this test's keys only (never FLUSHALL: other test files share the server). */
async function deleteKeysWithPrefix(redis: Redis | Cluster, prefix: string): Promise<number> {
  const nodes: Redis[] = redis instanceof Cluster ? redis.nodes('master') : [redis];
  let deleted = 0;
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) deleted += await node.del(key);
    } while (cursor !== '0');
  }
  return deleted;
}
