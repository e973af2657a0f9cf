import type { Cluster, Redis } from 'ioredis';
import type { Db } from '../db/client.js';
import type {
  ExtendResult,
  Hold,
  HoldRequest,
  HoldResult,
  HoldStore,
  InventoryRef,
  SeatOccupancy,
} from './hold-store.js';
import type { Segment } from './segments.js';

export interface RedisHoldStoreOptions {
  keyPrefix: string;
}

/** Seat holds in Redis (being written). */
export class RedisHoldStore implements HoldStore {
  readonly name = 'redis' as const;
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly db: Db,
    private readonly options: RedisHoldStoreOptions,
  ) {}
  create(_request: HoldRequest): Promise<HoldResult> {
    throw new Error('not yet');
  }
  get(_token: string): Promise<Hold | null> {
    throw new Error('not yet');
  }
  extend(_token: string, _owner: string, _byMs: number, _max: number): Promise<ExtendResult> {
    throw new Error('not yet');
  }
  release(_token: string, _owner: string): Promise<boolean> {
    throw new Error('not yet');
  }
  occupancy(_inventory: InventoryRef, _segment: Segment): Promise<SeatOccupancy> {
    throw new Error('not yet');
  }
  countUnavailableSeats(_r: readonly { inventory: InventoryRef; segment: Segment }[]): Promise<Map<string, number>> {
    throw new Error('not yet');
  }
  async syncSold(): Promise<void> {}
  async sweepExpired(): Promise<number> {
    return 0;
  }
  async ping(): Promise<boolean> {
    return (await this.redis.ping()) === 'PONG';
  }
  async close(): Promise<void> {}
}
