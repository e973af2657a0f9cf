import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InventoryRef } from '../../src/inventory/hold-store.js';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import { EVENT_SEGMENT, type Segment } from '../../src/inventory/segments.js';
import { createEventOnSale, createTrip } from '../support/fixtures.js';
import { createTestApp, databaseKind, type TestApp } from '../support/test-app.js';

/**
 * The last line of defence: whatever any hold store said, the database itself refuses a second confirmed
 * sale of an event seat (partial unique index) or of an overlapping trip seat-leg (exclusion constraint).
 */
const UNIQUE_VIOLATION = '23505';
const EXCLUSION_VIOLATION = '23P01';

describe(`seat_sales constraints (${databaseKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  const db = () => t.deps.database.db;

  /** Inserts one confirmed sale; answers the SQLSTATE it failed with, or 'ok'. */
  async function sell(inventory: InventoryRef, seatId: string, segment: Segment): Promise<string> {
    try {
      await insertSeatSales(db(), { inventory, seatIds: [seatId], segment });
      return 'ok';
    } catch (error) {
      return String((error as { code?: unknown }).code ?? error);
    }
  }

  async function cancelSales(inventoryId: string, seatId: string): Promise<void> {
    await db()
      .updateTable('seat_sales')
      .set({ status: 'cancelled' })
      .where('inventory_id', '=', inventoryId)
      .where('seat_id', '=', seatId)
      .execute();
  }

  it('refuses a second confirmed sale of an event seat, and accepts it again once the first is cancelled', async () => {
    const event = await createEventOnSale(db());
    const inventory: InventoryRef = { kind: 'event', id: event.eventId };
    const [seat, other] = event.seatIds;

    expect(await sell(inventory, seat!, EVENT_SEGMENT)).toBe('ok');
    expect(await sell(inventory, seat!, EVENT_SEGMENT)).toBe(UNIQUE_VIOLATION);
    expect(await sell(inventory, other!, EVENT_SEGMENT)).toBe('ok');

    // Show times in the same hall share seat ids; each show sells them on its own.
    const otherShow = await createEventOnSale(db());
    expect(await sell({ kind: 'event', id: otherShow.eventId }, seat!, EVENT_SEGMENT)).toBe('ok');

    await cancelSales(event.eventId, seat!);
    expect(await sell(inventory, seat!, EVENT_SEGMENT)).toBe('ok');
    expect(await sell(inventory, seat!, EVENT_SEGMENT)).toBe(UNIQUE_VIOLATION);
  });

  it('refuses overlapping confirmed legs of a trip seat and accepts legs that only touch', async () => {
    const trip = await createTrip(db(), { stopCount: 10 });
    const inventory: InventoryRef = { kind: 'trip', id: trip.tripId };
    const [seat, other] = trip.seatIds;

    expect(await sell(inventory, seat!, { from: 2, to: 5 })).toBe('ok');
    expect(await sell(inventory, seat!, { from: 4, to: 7 })).toBe(EXCLUSION_VIOLATION);
    expect(await sell(inventory, seat!, { from: 0, to: 3 })).toBe(EXCLUSION_VIOLATION);
    expect(await sell(inventory, seat!, { from: 3, to: 4 })).toBe(EXCLUSION_VIOLATION);
    expect(await sell(inventory, seat!, { from: 0, to: 9 })).toBe(EXCLUSION_VIOLATION);
    expect(await sell(inventory, seat!, { from: 0, to: 2 })).toBe('ok');
    expect(await sell(inventory, seat!, { from: 5, to: 9 })).toBe('ok');
    expect(await sell(inventory, other!, { from: 0, to: 9 })).toBe('ok');

    await cancelSales(trip.tripId, seat!);
    expect(await sell(inventory, seat!, { from: 1, to: 8 })).toBe('ok');
    expect(await sell(inventory, seat!, { from: 7, to: 8 })).toBe(EXCLUSION_VIOLATION);
  });

  it('refuses a second sale made within the same transaction, leaving nothing of it', async () => {
    const event = await createEventOnSale(db());
    const inventory: InventoryRef = { kind: 'event', id: event.eventId };
    const [a, b] = event.seatIds;
    await expect(
      db()
        .transaction()
        .execute(async (trx) => {
          await insertSeatSales(trx, { inventory, seatIds: [a!, b!], segment: EVENT_SEGMENT });
          await insertSeatSales(trx, { inventory, seatIds: [b!], segment: EVENT_SEGMENT });
        }),
    ).rejects.toMatchObject({ code: UNIQUE_VIOLATION });
    expect(await sell(inventory, a!, EVENT_SEGMENT)).toBe('ok');
  });

  it('lets exactly one of many concurrent sales of overlapping legs commit', async () => {
    const trip = await createTrip(db(), { stopCount: 10 });
    const inventory: InventoryRef = { kind: 'trip', id: trip.tripId };
    const seat = trip.seatIds[0]!;
    // Every segment contains the leg 4→5, so any two overlap.
    const segments = Array.from({ length: 30 }, (_, i) => ({ from: i % 5, to: 5 + (i % 4) }));
    const results = await Promise.all(segments.map((segment) => sell(inventory, seat, segment)));
    expect(results.filter((result) => result === 'ok')).toHaveLength(1);
    expect(results.filter((result) => result === EXCLUSION_VIOLATION)).toHaveLength(29);
  });
});
