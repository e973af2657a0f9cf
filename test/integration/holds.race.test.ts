import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSeatSales } from '../../src/inventory/hold.repository.js';
import { segmentsOverlap, type Segment } from '../../src/inventory/segments.js';
import { createEventOnSale, createTrip, gridLayout } from '../support/fixtures.js';
import { availableHoldStores, createTestApp, type TestApp } from '../support/test-app.js';

/**
 * Races over real HTTP: many connections hit a listening server at once, and what the hold store granted
 * is checked afterwards against the database, whose constraints would refuse any double sale.
 */
interface HoldReply {
  status: number;
  body: {
    token?: string;
    seats?: { id: string }[];
    segment?: { fromIndex: number; toIndex: number };
    error?: { code: string; details?: { seatIds?: string[] } };
  };
}

function randomSegment(stopCount: number): Segment {
  const from = Math.floor(Math.random() * (stopCount - 1));
  const to = from + 1 + Math.floor(Math.random() * (stopCount - 1 - from));
  return { from, to };
}

function randomSeats(seatIds: readonly string[], count: number): string[] {
  const picked = new Set<string>();
  while (picked.size < count) picked.add(seatIds[Math.floor(Math.random() * seatIds.length)]!);
  return [...picked];
}

describe.each(availableHoldStores())('hold races over real HTTP (%s hold store)', (holdStore) => {
  let t: TestApp;
  let pool: Pool;

  beforeAll(async () => {
    t = await createTestApp({ holdStore, listen: true });
    pool = new Pool(t.url, { connections: 128 });
  });
  afterAll(async () => {
    await pool?.close();
    await t?.close();
  });

  async function postHold(body: object, session: string): Promise<HoldReply> {
    const response = await pool.request({
      path: '/api/holds',
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': session },
      body: JSON.stringify(body),
    });
    return { status: response.statusCode, body: (await response.body.json()) as HoldReply['body'] };
  }

  it('grants 4 contested seats to exactly one of 500 concurrent buyers; the rest get 409', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { layout: gridLayout(10, 10) });
    const seats = event.seatIds.slice(40, 44);

    const replies = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        postHold({ eventId: event.eventId, seatIds: seats }, `session-race-a-${i}`),
      ),
    );

    const granted = replies.filter((reply) => reply.status === 201);
    const refused = replies.filter((reply) => reply.status === 409);
    expect(granted).toHaveLength(1);
    expect(refused).toHaveLength(499);
    for (const reply of refused) {
      expect(reply.body.error?.code).toBe('inventory.seat_unavailable');
      expect(reply.body.error?.details?.seatIds).toEqual([...seats].sort());
    }
    const occupancy = await t.deps.holdStore.occupancy({ kind: 'event', id: event.eventId }, { from: 0, to: 1 });
    expect([...occupancy.heldSeatIds].sort()).toEqual([...seats].sort());
    await insertSeatSales(db, {
      inventory: { kind: 'event', id: event.eventId },
      seatIds: seats,
      segment: { from: 0, to: 1 },
      holdToken: granted[0]!.body.token!,
    });
  });

  it('never grants overlapping segments of one trip seat to 500 concurrent buyers, as the database confirms', async () => {
    const db = t.deps.database.db;
    const trip = await createTrip(db, { stopCount: 10 });
    const seat = trip.seatIds[0]!;
    const wanted = Array.from({ length: 500 }, () => randomSegment(10));

    const replies = await Promise.all(
      wanted.map((segment, i) =>
        postHold(
          { tripId: trip.tripId, from: trip.stopIds[segment.from], to: trip.stopIds[segment.to], seatIds: [seat] },
          `session-race-b-${i}`,
        ),
      ),
    );

    expect(replies.every((reply) => reply.status === 201 || reply.status === 409)).toBe(true);
    const accepted: Segment[] = [];
    const refused: Segment[] = [];
    replies.forEach((reply, i) => {
      if (reply.status === 201) {
        expect(reply.body.segment).toEqual({ fromIndex: wanted[i]!.from, toIndex: wanted[i]!.to });
        accepted.push(wanted[i]!);
      } else refused.push(wanted[i]!);
    });
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    for (let a = 0; a < accepted.length; a++) {
      for (let b = a + 1; b < accepted.length; b++) {
        expect(segmentsOverlap(accepted[a]!, accepted[b]!), JSON.stringify([accepted[a], accepted[b]])).toBe(false);
      }
    }
    // No hold expired or was released meanwhile, so every refusal must have been for a granted overlap.
    for (const segment of refused) expect(accepted.some((held) => segmentsOverlap(held, segment))).toBe(true);

    // The database is the judge: its exclusion constraint refuses overlapping confirmed seat-legs.
    for (const segment of accepted) {
      await insertSeatSales(db, { inventory: { kind: 'trip', id: trip.tripId }, seatIds: [seat], segment });
    }
    const sold = await db
      .selectFrom('seat_sales')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('inventory_id', '=', trip.tripId)
      .where('seat_id', '=', seat)
      .where('status', '=', 'confirmed')
      .executeTakeFirstOrThrow();
    expect(Number(sold.count)).toBe(accepted.length);
  });

  it('never puts a seat in two holds when 200 buyers each grab 4 random seats of 1,000', async () => {
    const db = t.deps.database.db;
    const event = await createEventOnSale(db, { layout: gridLayout(25, 40) });
    expect(event.seatIds).toHaveLength(1000);
    const wanted = Array.from({ length: 200 }, () => randomSeats(event.seatIds, 4));

    const replies = await Promise.all(
      wanted.map((seatIds, i) => postHold({ eventId: event.eventId, seatIds }, `session-race-c-${i}`)),
    );

    const holderOf = new Map<string, number>();
    replies.forEach((reply, i) => {
      if (reply.status !== 201) return;
      expect(reply.body.seats!.map((seat) => seat.id).sort()).toEqual([...wanted[i]!].sort());
      for (const seatId of wanted[i]!) {
        expect(holderOf.get(seatId), `seat ${seatId} granted twice`).toBeUndefined();
        holderOf.set(seatId, i);
      }
    });
    const granted = replies.filter((reply) => reply.status === 201).length;
    expect(granted).toBeGreaterThan(0);
    expect(granted).toBeLessThan(200); // 800 picks of 1,000 seats always collide somewhere
    expect(holderOf.size).toBe(granted * 4);
    replies.forEach((reply, i) => {
      if (reply.status === 201) return;
      expect(reply.status).toBe(409);
      // Every seat named in a refusal is one that another buyer holds.
      const named = reply.body.error!.details!.seatIds!;
      expect(named.length).toBeGreaterThan(0);
      for (const seatId of named) {
        expect(wanted[i]).toContain(seatId);
        expect(holderOf.has(seatId)).toBe(true);
      }
    });

    // Confirm every granted hold as a sale: the unique index would refuse a seat sold twice.
    await db.transaction().execute(async (trx) => {
      for (const [i, reply] of replies.entries()) {
        if (reply.status !== 201) continue;
        await insertSeatSales(trx, {
          inventory: { kind: 'event', id: event.eventId },
          seatIds: wanted[i]!,
          segment: { from: 0, to: 1 },
          holdToken: reply.body.token!,
        });
      }
    });
  });
});
