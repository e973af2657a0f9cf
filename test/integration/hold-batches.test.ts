import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HoldRequest, HoldResult, InventoryRef } from '../../src/inventory/hold-store.js';
import { tryCreateHolds } from '../../src/inventory/hold.repository.js';
import { segmentsOverlap, type Segment } from '../../src/inventory/segments.js';
import { newHoldToken } from '../../src/shared/ids.js';
import { createEventOnSale, createTrip, gridLayout } from '../support/fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The SQL hold store's group commit (hold-store.sql.ts, migration 0011): holds that arrive together go
 * to the database in one call. Each must still be decided exactly as if the holds had come one by one.
 */
describe('SQL hold store: holds made in batches', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ holdStore: 'sql' });
  });
  afterAll(async () => t?.close());

  const db = () => t.deps.database.db;

  function holdRequest(inventory: InventoryRef, over: Partial<HoldRequest>): HoldRequest {
    return {
      token: newHoldToken(),
      inventory,
      owner: 'session-batch-test',
      seatIds: [],
      ga: [],
      segment: { from: 0, to: 1 },
      ttlMs: 60_000,
      ...over,
    };
  }

  it('decides 300 holds sent at once like one-by-one holds: no seat-leg twice, no needless refusal', async () => {
    const trip = await createTrip(db(), { stopCount: 8, seatRows: 3 });
    const inventory: InventoryRef = { kind: 'trip', id: trip.tripId };
    const seats = trip.seatIds.slice(0, 6);
    const requests = Array.from({ length: 300 }, (_, i) => {
      const from = i % 6;
      const to = from + 1 + ((i * 7) % (7 - from));
      const seatIds = [...new Set([seats[i % 6]!, seats[(i * 5 + 1) % 6]!])].sort();
      return holdRequest(inventory, { seatIds, segment: { from, to }, owner: `session-batch-${i}` });
    });
    // Not awaited one by one: they queue up behind each other and go in batches.
    const results: HoldResult[] = await Promise.all(requests.map((request) => t.deps.holdStore.create(request)));

    const granted = results.flatMap((result) => (result.ok ? [result.hold] : []));
    expect(granted.length).toBeGreaterThan(0);
    for (const [i, a] of granted.entries()) {
      for (const b of granted.slice(i + 1)) {
        const shared = a.seatIds.filter((seat) => b.seatIds.includes(seat));
        if (shared.length > 0) expect(segmentsOverlap(a.segment, b.segment)).toBe(false);
      }
    }
    // Every refusal names seats that a granted hold really has on an overlapping segment.
    results.forEach((result, i) => {
      if (result.ok) return;
      const request = requests[i]!;
      expect(result.unavailableSeatIds.length).toBeGreaterThan(0);
      for (const seat of result.unavailableSeatIds) {
        const blocker = granted.find(
          (hold) => hold.seatIds.includes(seat) && segmentsOverlap(hold.segment, request.segment as Segment),
        );
        expect(blocker, `seat ${seat} of refused hold ${i} is held by nobody`).toBeDefined();
      }
    });
    const rows = await db()
      .selectFrom('hold_seats')
      .select(['seat_id', 'legs'])
      .where('inventory_id', '=', trip.tripId)
      .execute();
    expect(rows).toHaveLength(granted.reduce((sum, hold) => sum + hold.seatIds.length, 0));
  });

  it('grants a hold whose only competitor in the same batch was refused', async () => {
    const trip = await createTrip(db(), { stopCount: 6, seatRows: 1 });
    const inventory: InventoryRef = { kind: 'trip', id: trip.tripId };
    const [s1, s2] = trip.seatIds;
    const store = t.deps.holdStore;
    expect((await store.create(holdRequest(inventory, { seatIds: [s1!], segment: { from: 0, to: 2 } }))).ok).toBe(true);
    // Sent in the same tick, so they meet in one batch: A is refused (s1 is held on [0,2)); B competes only
    // with A, for s2 on [2,3), and must get s2 as if it had come after A.
    const [a, b] = await Promise.all([
      store.create(holdRequest(inventory, { seatIds: [s1!, s2!], segment: { from: 0, to: 3 } })),
      store.create(holdRequest(inventory, { seatIds: [s2!], segment: { from: 2, to: 4 } })),
    ]);
    expect(a).toEqual({ ok: false, unavailableSeatIds: [s1], unavailableAreas: [] });
    expect(b.ok).toBe(true);
  });

  it('refuses the later of two competing holds put into one call, rather than granting both', async () => {
    const event = await createEventOnSale(db(), {
      layout: gridLayout(1, 4, { gaAreas: [{ name: 'Standing', category: 'GA', capacity: 3 }] }),
    });
    const inventory: InventoryRef = { kind: 'event', id: event.eventId };
    const area = event.gaAreaIds[0]!;
    const [first, second, third] = await tryCreateHolds(db(), [
      holdRequest(inventory, { seatIds: [event.seatIds[0]!], ga: [{ areaId: area, quantity: 2, capacity: 3 }] }),
      holdRequest(inventory, { seatIds: [event.seatIds[0]!, event.seatIds[1]!] }),
      holdRequest(inventory, { ga: [{ areaId: area, quantity: 2, capacity: 3 }] }),
    ]);
    expect(first!.ok).toBe(true);
    expect(second).toEqual({ ok: false, takenSeatIds: [event.seatIds[0]], shortAreas: [] });
    expect(third).toEqual({
      ok: false,
      takenSeatIds: [],
      shortAreas: [{ areaId: area, requested: 2, available: 1 }],
    });
    const held = await db()
      .selectFrom('hold_seats')
      .select('seat_id')
      .where('inventory_id', '=', event.eventId)
      .execute();
    expect(held.map((row) => row.seat_id)).toEqual([event.seatIds[0]]);
  });
});
