import type { Cluster, Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type {
  ExtendResult,
  GaQuantity,
  Hold,
  HoldRequest,
  HoldResult,
  HoldStore,
  InventoryRef,
  SeatOccupancy,
  SoldSeats,
} from './hold-store.js';
import { readGaUsage, readSoldSeatLegs } from './hold.repository.js';
import { defineHoldScripts, type HoldScripts } from './redis-hold-scripts.js';
import type { Segment } from './segments.js';

export interface RedisHoldStoreOptions {
  /** Prefix of every key; must not contain braces (the inventory id is the hash tag). */
  keyPrefix: string;
}

/** The token index outlives the hold by this much, so a clock skew between API processes never hides it. */
const INDEX_GRACE_MS = 10 * 60_000;
const SWEEP_BATCH = 500;
const SWEEP_INVENTORIES_PER_RUN = 1000;
/** A NOT_LOADED answer is followed by a load and a retry; more than this means something keeps flushing. */
const LOAD_ATTEMPTS = 3;
/** Ids travel inside the scripts' compact encodings (",", ";", ":", "|"), so only these characters pass. */
const STORABLE_ID = /^[A-Za-z0-9_.-]+$/;

type InventoryKeys = [sold: string, held: string, ga: string, holds: string, expiry: string];

/**
 * Seat holds in Redis or Redis Cluster. Every inventory (event or trip) keeps its holds and its copy of
 * what is sold under one hash tag, so each operation is one Lua script on one node (redis-hold-scripts.ts)
 * and a multi-seat hold is all-or-nothing. The database stays the authority on sales: the copy is loaded
 * from it whenever Redis answers that it lost it (restart, flush, failover without persistence), and
 * after every sale (syncSold). See docs/decisions/0004-hold-stores-sql-and-redis.md.
 */
export class RedisHoldStore implements HoldStore {
  readonly name = 'redis' as const;
  readonly keyPrefix: string;
  private readonly scripts: HoldScripts;
  /** Loads after a NOT_LOADED answer, shared by concurrent requests for the same inventory. */
  private readonly recoveries = new Map<string, Promise<void>>();

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly db: Db,
    options: RedisHoldStoreOptions,
  ) {
    if (/[{}]/.test(options.keyPrefix)) throw new Error('The Redis key prefix must not contain { or }');
    this.keyPrefix = options.keyPrefix;
    this.scripts = defineHoldScripts(redis);
  }

  async create(request: HoldRequest): Promise<HoldResult> {
    assertStorable(request);
    const args = [
      request.token,
      request.owner,
      request.inventory.kind,
      request.segment.from,
      request.segment.to,
      request.ttlMs,
      request.seatIds.length,
      ...request.seatIds,
      request.ga.length,
      ...request.ga.flatMap((item) => [item.areaId, item.quantity, item.capacity]),
    ];
    const indexKey = this.indexKey(request.token);
    // The index (token → inventory, another slot) is written alongside the script, not after it: one round
    // trip. An index entry without a hold behind it is harmless and is removed below.
    const [indexed, created] = await Promise.allSettled([
      this.redis.set(indexKey, request.inventory.id, 'PX', request.ttlMs + INDEX_GRACE_MS),
      this.runLoaded(request.inventory.id, (keys) => this.scripts.boHoldCreate(...keys, ...args)),
    ]);
    if (created.status === 'rejected' || indexed.status === 'rejected') {
      if (created.status === 'fulfilled' && isOk(created.value)) {
        await this.release(request.token, request.owner).catch(() => false);
      }
      await this.redis.unlink(indexKey).catch(() => 0);
      throw created.status === 'rejected' ? created.reason : (indexed as PromiseRejectedResult).reason;
    }
    const reply = asArray(created.value, 'create');
    if (reply[0] === 'OK') {
      const createdAtMs = Number(reply[1]);
      const expiresAtMs = Number(reply[2]);
      if (Number(reply[3]) === 1) {
        await this.scripts.boHoldRegister(this.sweepKey(), request.inventory.id, expiresAtMs);
      }
      return {
        ok: true,
        hold: {
          token: request.token,
          inventory: request.inventory,
          owner: request.owner,
          seatIds: [...request.seatIds],
          ga: request.ga.map(({ areaId, quantity }) => ({ areaId, quantity })),
          segment: request.segment,
          createdAt: new Date(createdAtMs),
          expiresAt: new Date(expiresAtMs),
          extended: false,
        },
      };
    }
    await this.redis.unlink(indexKey);
    if (reply[0] === 'TAKEN') {
      const short = asArray(reply[2], 'create');
      const unavailableAreas: { areaId: string; requested: number; available: number }[] = [];
      for (let i = 0; i < short.length; i += 3) {
        unavailableAreas.push({
          areaId: String(short[i]),
          requested: Number(short[i + 1]),
          available: Number(short[i + 2]),
        });
      }
      return { ok: false, unavailableSeatIds: asArray(reply[1], 'create').map(String), unavailableAreas };
    }
    throw new Error(`Redis hold store: cannot create hold ${request.token} (${String(reply[0])})`);
  }

  async get(token: string): Promise<Hold | null> {
    const inventoryId = await this.redis.get(this.indexKey(token));
    if (!inventoryId) return null;
    const reply = await this.scripts.boHoldGet(...this.keysOf(inventoryId), token);
    return reply ? toHold(token, inventoryId, asArray(reply, 'get')) : null;
  }

  async extend(token: string, owner: string, byMs: number, maxLifetimeMs: number): Promise<ExtendResult> {
    const inventoryId = await this.redis.get(this.indexKey(token));
    if (!inventoryId) return { ok: false, reason: 'not_found' };
    const reply = asArray(
      await this.scripts.boHoldExtend(...this.keysOf(inventoryId), token, owner, byMs, maxLifetimeMs),
      'extend',
    );
    if (reply[0] === 'ALREADY_EXTENDED') return { ok: false, reason: 'already_extended' };
    if (reply[0] !== 'OK') return { ok: false, reason: 'not_found' };
    const hold = toHold(token, inventoryId, asArray(reply[1], 'extend'));
    await this.redis.pexpire(this.indexKey(token), hold.expiresAt.getTime() - Date.now() + INDEX_GRACE_MS);
    return { ok: true, hold };
  }

  async release(token: string, owner: string): Promise<boolean> {
    const inventoryId = await this.redis.get(this.indexKey(token));
    if (!inventoryId) return false;
    const released = Number(await this.scripts.boHoldRelease(...this.keysOf(inventoryId), token, owner)) === 1;
    if (released) await this.redis.unlink(this.indexKey(token));
    return released;
  }

  async occupancy(inventory: InventoryRef, segment: Segment): Promise<SeatOccupancy> {
    assertStorableInventory(inventory.id);
    const reply = asArray(
      await this.runLoaded(inventory.id, (keys) => this.scripts.boHoldOccupancy(...keys, segment.from, segment.to)),
      'occupancy',
    );
    const ga = new Map<string, { held: number; sold: number }>();
    const areas = asArray(reply[3], 'occupancy');
    for (let i = 0; i < areas.length; i += 3) {
      ga.set(String(areas[i]), { held: Number(areas[i + 1]), sold: Number(areas[i + 2]) });
    }
    const nextExpiryMs = Number(reply[4]);
    return {
      heldSeatIds: new Set(asArray(reply[1], 'occupancy').map(String)),
      soldSeatIds: new Set(asArray(reply[2], 'occupancy').map(String)),
      ga,
      nextExpiryAt: nextExpiryMs >= 0 ? new Date(nextExpiryMs) : null,
    };
  }

  async liveHoldCounts(
    inventoryIds: readonly string[],
    withinMs: number,
  ): Promise<Map<string, { live: number; expiringSoon: number }>> {
    const counts = await Promise.all(
      [...new Set(inventoryIds)].map(async (inventoryId) => {
        assertStorableInventory(inventoryId);
        const reply = asArray(await this.scripts.boHoldCountLive(this.keysOf(inventoryId)[4], withinMs), 'count live');
        return [inventoryId, { live: Number(reply[0]), expiringSoon: Number(reply[1]) }] as const;
      }),
    );
    return new Map(counts.filter(([, count]) => count.live > 0));
  }

  async countUnavailableSeats(
    requests: readonly { inventory: InventoryRef; segment: Segment }[],
  ): Promise<Map<string, number>> {
    const segmentsByInventory = new Map<string, Segment[]>();
    for (const { inventory, segment } of requests) {
      assertStorableInventory(inventory.id);
      const segments = segmentsByInventory.get(inventory.id) ?? [];
      segments.push(segment);
      segmentsByInventory.set(inventory.id, segments);
    }
    // Issued together without awaiting each other: the client pipelines them (per node on a cluster).
    const counts = await Promise.all(
      [...segmentsByInventory].map(async ([inventoryId, segments]) => {
        const args = [segments.length, ...segments.flatMap((s) => [s.from, s.to])];
        const reply = asArray(
          await this.runLoaded(inventoryId, (keys) => this.scripts.boHoldCountUnavailable(...keys, ...args)),
          'count',
        );
        return [inventoryId, Number(reply[1])] as const;
      }),
    );
    // Like the SQL store: only inventories with something taken.
    return new Map(counts.filter(([, count]) => count > 0));
  }

  async syncSold(inventory: InventoryRef, added?: SoldSeats): Promise<void> {
    assertStorableInventory(inventory.id);
    // Never joins a load already under way: that one may have read the database before this sale.
    if (!added) return this.loadSold(inventory.id);
    // One sale adds its own seat-legs: O(seats of the order), not O(seats sold so far).
    if (added.seatIds.length > 0) {
      const [sold, loadseq, recent] = this.syncKeys(inventory.id);
      const args = added.seatIds.flatMap((seatId) => [seatId, added.segment.from, added.segment.to]);
      if ((await this.scripts.boHoldAddSold(sold, loadseq, recent, ...args)) === 'NOT_LOADED') {
        return this.loadSold(inventory.id);
      }
    }
    if (added.gaAreaIds.length > 0) await this.loadGaSold(inventory.id);
  }

  async sweepExpired(): Promise<number> {
    const due = await this.redis.zrangebyscore(
      this.sweepKey(),
      '-inf',
      Date.now(),
      'WITHSCORES',
      'LIMIT',
      0,
      SWEEP_INVENTORIES_PER_RUN,
    );
    let removed = 0;
    for (let i = 0; i < due.length; i += 2) {
      const inventoryId = due[i]!;
      const keys = this.keysOf(inventoryId);
      let next: string;
      let batch: number;
      do {
        const reply = asArray(await this.scripts.boHoldSweep(...keys, SWEEP_BATCH), 'sweep');
        batch = Number(reply[0]);
        next = String(reply[1]);
        removed += batch;
      } while (batch === SWEEP_BATCH);
      await this.scripts.boHoldSettle(this.sweepKey(), inventoryId, due[i + 1]!, next);
    }
    return removed;
  }

  async ping(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === 'PONG';
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    // The connection belongs to the container, which closes it.
  }

  private keysOf(inventoryId: string): InventoryKeys {
    const base = `${this.keyPrefix}{${inventoryId}}:`;
    return [`${base}sold`, `${base}held`, `${base}ga`, `${base}holds`, `${base}expiry`];
  }

  private indexKey(token: string): string {
    return `${this.keyPrefix}holdidx:${token}`;
  }

  private sweepKey(): string {
    return `${this.keyPrefix}sweep`;
  }

  /** Runs a script that answers NOT_LOADED when Redis lost its copy of the sold seats; loads and retries. */
  private async runLoaded(inventoryId: string, run: (keys: InventoryKeys) => Promise<unknown>): Promise<unknown> {
    const keys = this.keysOf(inventoryId);
    for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
      const reply = await run(keys);
      if (!(Array.isArray(reply) && reply[0] === 'NOT_LOADED')) return reply;
      await this.recover(inventoryId);
    }
    throw new Error(`Redis hold store: the sold seats of ${inventoryId} keep disappearing from Redis`);
  }

  private recover(inventoryId: string): Promise<void> {
    let recovery = this.recoveries.get(inventoryId);
    if (!recovery) {
      recovery = this.loadSold(inventoryId).finally(() => this.recoveries.delete(inventoryId));
      this.recoveries.set(inventoryId, recovery);
    }
    return recovery;
  }

  /**
   * Copies what the database says is sold into Redis. The ticket is taken before the database read, and
   * the load script keeps whichever load has the latest ticket, so two loads racing (two API processes
   * syncing two sales) can never leave the older read in place.
   */
  private async loadSold(inventoryId: string): Promise<void> {
    for (let attempt = 0; attempt < LOAD_ATTEMPTS; attempt++) {
      // -1: the read took so long that sales logged meanwhile may be gone from the log; read again.
      if (Number(await this.loadSoldOnce(inventoryId)) !== -1) return;
    }
    throw new Error(`Redis hold store: loading the sold seats of ${inventoryId} keeps taking too long`);
  }

  private async loadSoldOnce(inventoryId: string): Promise<unknown> {
    const [sold, loadseq, recent] = this.syncKeys(inventoryId);
    const ticket = String(await this.scripts.boHoldLoadTicket(loadseq));
    const [legs, ga] = await Promise.all([readSoldSeatLegs(this.db, inventoryId), readGaUsage(this.db, inventoryId)]);
    const legsBySeat = new Map<string, string[]>();
    for (const { seatId, segment } of legs) {
      const seatLegs = legsBySeat.get(seatId) ?? [];
      seatLegs.push(`${segment.from},${segment.to}`);
      legsBySeat.set(seatId, seatLegs);
    }
    const fields: string[] = [];
    for (const [seatId, seatLegs] of legsBySeat) fields.push(seatId, seatLegs.join(';'));
    for (const [areaId, usage] of ga) fields.push(`ga:${areaId}`, String(usage.sold));
    return this.scripts.boHoldLoadSold(sold, recent, ticket, ...fields);
  }

  /** Copies the GA sold counts (a few rows) after a GA sale; the ticket orders racing reads. */
  private async loadGaSold(inventoryId: string): Promise<void> {
    const [sold, loadseq] = this.syncKeys(inventoryId);
    const ticket = String(await this.scripts.boHoldLoadTicket(loadseq));
    const ga = await readGaUsage(this.db, inventoryId);
    const fields: string[] = [];
    for (const [areaId, usage] of ga) fields.push(areaId, String(usage.sold));
    if ((await this.scripts.boHoldLoadGa(sold, ticket, ...fields)) === 'NOT_LOADED') await this.loadSold(inventoryId);
  }

  /** The sold copy, its ticket sequence and the log of recent sales: one hash tag with the holds. */
  private syncKeys(inventoryId: string): [sold: string, loadseq: string, recent: string] {
    const base = `${this.keyPrefix}{${inventoryId}}:`;
    return [`${base}sold`, `${base}loadseq`, `${base}recent`];
  }
}

function assertStorableInventory(inventoryId: string): void {
  if (!STORABLE_ID.test(inventoryId)) throw new Error(`Redis hold store: unusable inventory id ${inventoryId}`);
}

function assertStorable(request: HoldRequest): void {
  assertStorableInventory(request.inventory.id);
  for (const id of [request.token, ...request.seatIds, ...request.ga.map((item) => item.areaId)]) {
    if (!STORABLE_ID.test(id)) throw new Error(`Redis hold store: unusable id ${id}`);
  }
}

function isOk(reply: unknown): boolean {
  return Array.isArray(reply) && reply[0] === 'OK';
}

function asArray(reply: unknown, operation: string): unknown[] {
  if (!Array.isArray(reply)) throw new Error(`Redis hold store: unexpected reply to ${operation}`);
  return reply;
}

/** A hold from the script's fields: kind, from, to, createdAtMs, expiresAtMs, extended, seats, ga, owner. */
function toHold(token: string, inventoryId: string, fields: unknown[]): Hold {
  const [kind, from, to, createdAt, expiresAt, extended, seats, ga, owner] = fields.map(String);
  if (kind !== 'event' && kind !== 'trip') throw new Error(`Redis hold store: hold ${token} has no kind`);
  return {
    token,
    inventory: { kind, id: inventoryId },
    owner: owner ?? '',
    seatIds: seats ? seats.split(',') : [],
    ga: ga ? ga.split(',').map(toGaQuantity) : [],
    segment: { from: Number(from), to: Number(to) },
    createdAt: new Date(Number(createdAt)),
    expiresAt: new Date(Number(expiresAt)),
    extended: extended === '1',
  };
}

function toGaQuantity(item: string): GaQuantity {
  const [areaId, quantity] = item.split(':');
  return { areaId: areaId!, quantity: Number(quantity) };
}
