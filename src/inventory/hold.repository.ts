import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, InventoryKind } from '../db/schema.js';
import type { GaQuantity, Hold, InventoryRef } from './hold-store.js';
import { fromRange, toRange, type Segment } from './segments.js';

/**
 * All SQL of the inventory: holds of the SQL hold store, and the sold seats that every store respects.
 * Functions take the db or a transaction first, so callers show where a transaction starts.
 */
type Executor = Kysely<Database> | Transaction<Database>;

/** Per GA area: quantity held by live holds and sold, and when the first of those holds expires. */
export async function readGaUsage(
  trx: Executor,
  inventoryId: string,
  areaIds?: readonly string[],
): Promise<Map<string, { held: number; sold: number; nextExpiryAt: Date | null }>> {
  const filter = areaIds ? sql`AND area_id = ANY(${areaIds}::text[])` : sql``;
  const { rows } = await sql<{ area_id: string; held: number; sold: number; next_expiry_at: Date | null }>`
    SELECT area_id, sum(held)::int AS held, sum(sold)::int AS sold, min(expires_at) AS next_expiry_at FROM (
      SELECT area_id, quantity AS held, 0 AS sold, expires_at FROM hold_ga
       WHERE inventory_id = ${inventoryId} AND expires_at > statement_timestamp() ${filter}
      UNION ALL
      SELECT area_id, 0, sold, NULL FROM ga_inventory WHERE inventory_id = ${inventoryId} ${filter}
    ) AS usage GROUP BY area_id`.execute(trx);
  return new Map(
    rows.map((row) => [row.area_id, { held: row.held, sold: row.sold, nextExpiryAt: row.next_expiry_at }]),
  );
}

interface HoldDbRow {
  token: string;
  inventory_kind: InventoryKind;
  inventory_id: string;
  owner: string;
  from_index: number;
  to_index: number;
  seat_ids: string[];
  ga: GaQuantity[];
  created_at: Date;
  expires_at: Date;
  extended: boolean;
}

function toHold(row: HoldDbRow): Hold {
  return {
    token: row.token,
    inventory: { kind: row.inventory_kind, id: row.inventory_id },
    owner: row.owner,
    seatIds: row.seat_ids,
    ga: row.ga,
    segment: { from: row.from_index, to: row.to_index },
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    extended: row.extended,
  };
}

export interface NewHold {
  token: string;
  inventory: InventoryRef;
  owner: string;
  seatIds: readonly string[];
  ga: readonly (GaQuantity & { capacity: number })[];
  segment: Segment;
  ttlMs: number;
}

export type TryCreateHoldResult =
  | { ok: true; hold: Hold }
  | { ok: false; takenSeatIds: string[]; shortAreas: { areaId: string; requested: number; available: number }[] };

/**
 * Creates holds, each all or nothing, in one call to the database function bo_create_holds (migration
 * 0011): advisory locks on every seat and area in hash order, set-based conflict checks against live holds
 * and confirmed sales on overlapping segments, inserts for the holds that passed — one transaction, one
 * commit for the lot. Results come back in the order of `holds`. The holds must not compete with each
 * other for a seat-leg or an area (hold-batch.ts makes sure).
 */
export async function tryCreateHolds(db: Executor, holds: readonly NewHold[]): Promise<TryCreateHoldResult[]> {
  const seatHolds: number[] = [];
  const seatIds: string[] = [];
  const gaHolds: number[] = [];
  const gaAreas: string[] = [];
  const gaQuantities: number[] = [];
  const gaCapacities: number[] = [];
  holds.forEach((hold, i) => {
    for (const seatId of hold.seatIds) {
      seatHolds.push(i + 1);
      seatIds.push(seatId);
    }
    for (const area of hold.ga) {
      gaHolds.push(i + 1);
      gaAreas.push(area.areaId);
      gaQuantities.push(area.quantity);
      gaCapacities.push(area.capacity);
    }
  });
  const { rows } = await sql<{
    idx: number;
    ok: boolean;
    taken_seats: string[];
    short_areas: { areaId: string; requested: number; available: number }[];
    created_at: Date;
    expires_at: Date;
  }>`
    SELECT * FROM bo_create_holds(
      ${holds.map((h) => h.token)}::text[], ${holds.map((h) => h.inventory.kind)}::text[],
      ${holds.map((h) => h.inventory.id)}::text[], ${holds.map((h) => h.owner)}::text[],
      ${holds.map((h) => h.segment.from)}::int[], ${holds.map((h) => h.segment.to)}::int[],
      ${holds.map((h) => h.ttlMs)}::int[],
      ${seatHolds}::int[], ${seatIds}::text[],
      ${gaHolds}::int[], ${gaAreas}::text[], ${gaQuantities}::int[], ${gaCapacities}::int[])`.execute(db);
  return rows.map((row): TryCreateHoldResult => {
    const hold = holds[row.idx - 1]!;
    if (!row.ok) return { ok: false, takenSeatIds: row.taken_seats, shortAreas: row.short_areas };
    return {
      ok: true,
      hold: {
        token: hold.token,
        inventory: hold.inventory,
        owner: hold.owner,
        seatIds: hold.seatIds,
        ga: hold.ga.map(({ areaId, quantity }) => ({ areaId, quantity })),
        segment: hold.segment,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        extended: false,
      },
    };
  });
}

export async function findLiveHold(db: Executor, token: string): Promise<Hold | null> {
  const { rows } = await sql<HoldDbRow>`
    SELECT * FROM holds WHERE token = ${token} AND NOT released AND expires_at > statement_timestamp()`.execute(db);
  return rows[0] ? toHold(rows[0]) : null;
}

/**
 * Extends a live, not yet extended hold of this owner, with its seat and area rows, in one statement;
 * null when none matched. Like creating a hold, it commits without waiting for the WAL flush.
 */
export async function extendHold(
  db: Executor,
  token: string,
  owner: string,
  byMs: number,
  maxLifetimeMs: number,
): Promise<Hold | null> {
  const { rows } = await sql<HoldDbRow>`
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)),
    extended AS (
      UPDATE holds
         SET extended = true,
             expires_at = greatest(expires_at, least(statement_timestamp() + make_interval(secs => ${byMs / 1000}),
                                    created_at + make_interval(secs => ${maxLifetimeMs / 1000})))
       WHERE token = ${token} AND owner = ${owner} AND NOT released AND NOT extended
         AND expires_at > statement_timestamp()
      RETURNING *
    ), seats AS (
      UPDATE hold_seats SET expires_at = extended.expires_at FROM extended WHERE hold_seats.hold_token = extended.token
    ), areas AS (
      UPDATE hold_ga SET expires_at = extended.expires_at FROM extended WHERE hold_ga.hold_token = extended.token
    )
    SELECT extended.* FROM extended, relaxed`.execute(db);
  return rows[0] ? toHold(rows[0]) : null;
}

/**
 * Marks a live hold of this owner released and frees its seats, in one statement; false when none
 * matched. A release lost in a crash only leaves the hold to expire, so it skips the WAL flush wait.
 */
export async function releaseHold(db: Executor, token: string, owner: string): Promise<boolean> {
  const { rows } = await sql<{ token: string }>`
    WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)),
    released AS (
      UPDATE holds SET released = true
       WHERE token = ${token} AND owner = ${owner} AND NOT released AND expires_at > statement_timestamp()
      RETURNING token
    ), seats AS (
      DELETE FROM hold_seats WHERE hold_token IN (SELECT token FROM released)
    ), areas AS (
      DELETE FROM hold_ga WHERE hold_token IN (SELECT token FROM released)
    )
    SELECT released.token FROM released, relaxed`.execute(db);
  return rows.length > 0;
}

/** Deletes holds that expired (and released ones); returns how many had expired. */
export async function deleteExpiredHolds(db: Executor): Promise<number> {
  const { rows } = await sql<{ expired: number }>`
    WITH gone AS (
      DELETE FROM holds WHERE released OR expires_at <= statement_timestamp() RETURNING released
    ) SELECT count(*) FILTER (WHERE NOT released)::int AS expired FROM gone`.execute(db);
  return rows[0]?.expired ?? 0;
}

/** Seat ids held by live holds and sold, on an inventory and segment, and when the first such hold expires. */
export async function readSeatOccupancy(
  db: Executor,
  inventoryId: string,
  segment: Segment,
): Promise<{ held: string[]; sold: string[]; nextExpiryAt: Date | null }> {
  const range = toRange(segment);
  const { rows } = await sql<{ seat_id: string; sold: boolean; expires_at: Date | null }>`
    SELECT seat_id, false AS sold, expires_at FROM hold_seats
     WHERE inventory_id = ${inventoryId} AND expires_at > statement_timestamp() AND legs && ${range}::int4range
    UNION ALL
    SELECT seat_id, true, NULL FROM seat_sales
     WHERE inventory_id = ${inventoryId} AND status = 'confirmed' AND legs && ${range}::int4range`.execute(db);
  const held: string[] = [];
  const sold: string[] = [];
  let nextExpiryAt: Date | null = null;
  for (const row of rows) {
    if (row.sold) {
      sold.push(row.seat_id);
    } else {
      held.push(row.seat_id);
      if (row.expires_at && (!nextExpiryAt || row.expires_at < nextExpiryAt)) nextExpiryAt = row.expires_at;
    }
  }
  return { held, sold, nextExpiryAt };
}

/** Live holds per inventory and how many of them expire within `withinMs`. */
export async function countLiveHolds(
  db: Executor,
  inventoryIds: readonly string[],
  withinMs: number,
): Promise<Map<string, { live: number; expiringSoon: number }>> {
  if (inventoryIds.length === 0) return new Map();
  const { rows } = await sql<{ inventory_id: string; live: number; expiring_soon: number }>`
    SELECT inventory_id, count(*)::int AS live,
           count(*) FILTER (WHERE expires_at <= statement_timestamp() + make_interval(secs => ${withinMs / 1000}))::int
             AS expiring_soon
      FROM holds
     WHERE inventory_id = ANY(${inventoryIds}::text[]) AND NOT released AND expires_at > statement_timestamp()
     GROUP BY inventory_id`.execute(db);
  return new Map(rows.map((row) => [row.inventory_id, { live: row.live, expiringSoon: row.expiring_soon }]));
}

/** Confirmed sold seat legs of an inventory (the Redis store reloads these after losing its memory). */
export async function readSoldSeatLegs(
  db: Executor,
  inventoryId: string,
): Promise<{ seatId: string; segment: Segment }[]> {
  const rows = await db
    .selectFrom('seat_sales')
    .select(['seat_id', 'legs'])
    .where('inventory_id', '=', inventoryId)
    .where('status', '=', 'confirmed')
    .execute();
  return rows.map((row) => ({ seatId: row.seat_id, segment: fromRange(row.legs) }));
}

/** Per inventory: how many distinct seats are held or sold on the given segment. */
export async function countTakenSeats(
  db: Executor,
  requests: readonly { inventoryId: string; segment: Segment }[],
  includeHolds: boolean,
): Promise<Map<string, number>> {
  if (requests.length === 0) return new Map();
  const ids = requests.map((r) => r.inventoryId);
  const froms = requests.map((r) => r.segment.from);
  const tos = requests.map((r) => r.segment.to);
  const holdsPart = includeHolds
    ? sql`SELECT hs.inventory_id, hs.seat_id FROM hold_seats hs JOIN wanted w ON hs.inventory_id = w.id
            AND hs.legs && int4range(w.f, w.t) WHERE hs.expires_at > statement_timestamp()
          UNION `
    : sql``;
  const { rows } = await sql<{ inventory_id: string; taken: number }>`
    WITH wanted AS (SELECT * FROM unnest(${ids}::text[], ${froms}::int[], ${tos}::int[]) AS w(id, f, t))
    SELECT inventory_id, count(*)::int AS taken FROM (
      ${holdsPart}
      SELECT ss.inventory_id, ss.seat_id FROM seat_sales ss JOIN wanted w ON ss.inventory_id = w.id
         AND ss.legs && int4range(w.f, w.t) WHERE ss.status = 'confirmed'
    ) AS taken GROUP BY inventory_id`.execute(db);
  return new Map(rows.map((row) => [row.inventory_id, row.taken]));
}

/**
 * Records a confirmed sale of seats on a segment. The partial unique index (events) and the exclusion
 * constraint (trips) refuse a second sale of an overlapping seat-leg whatever any hold store said.
 * Used by checkout; exposed here so the constraint can be tested today.
 */
export async function insertSeatSales(
  trx: Executor,
  sale: { inventory: InventoryRef; seatIds: readonly string[]; segment: Segment; holdToken?: string; orderId?: string },
): Promise<void> {
  if (sale.seatIds.length === 0) return;
  await trx
    .insertInto('seat_sales')
    .values(
      sale.seatIds.map((seatId) => ({
        inventory_kind: sale.inventory.kind,
        inventory_id: sale.inventory.id,
        seat_id: seatId,
        legs: toRange(sale.segment),
        hold_token: sale.holdToken ?? null,
        order_id: sale.orderId ?? null,
      })),
    )
    .execute();
}
