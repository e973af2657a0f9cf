/**
 * The seat-change bus: how every API process learns that the seats of an inventory (event or trip)
 * changed — held, released, sold, cancelled — so that its live seat maps look again. A message says only
 * "inventory X changed", never what changed: each process reads the current state itself, so a lost or
 * late message costs a delay, never a wrong seat map (see docs/decisions/0019-live-seat-maps.md).
 *
 * Adapters: in-process (seat-change-bus.memory.ts, embedded PGlite), Redis pub/sub
 * (seat-change-bus.redis.ts) and PostgreSQL LISTEN/NOTIFY (seat-change-bus.postgres.ts). Every adapter
 * passes test/contract/seat-change-bus.contract.test.ts.
 */
export type SeatChangeListener = () => void;

/** The seat-change bus port. */
export interface SeatChangeBus {
  readonly name: 'memory' | 'redis' | 'postgres';
  /**
   * Announces, after the change committed, that seats of this inventory changed. Publishes of a few
   * milliseconds are sent together, each inventory once. Never throws: a lost message only delays a seat
   * map until the next change or resync.
   */
  publish(inventoryId: string): void;
  /**
   * Calls `listener` after every change of the inventory published by any process, and after the bus
   * reconnected to its backend (messages may have been lost meanwhile). Resolves once messages published
   * from now on are certain to arrive; the returned function unsubscribes.
   */
  subscribe(inventoryId: string, listener: SeatChangeListener): Promise<() => void>;
  /** Sends what is still waiting to be published. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** How long publishes are collected before they are sent (one message per inventory per window). */
export const PUBLISH_WINDOW_MS = 10;

/**
 * Collects inventory ids for a short window and hands them to `send` once each. At an on-sale, thousands
 * of holds per second on one event then cost a hundred messages per second per process, not thousands.
 */
export class PublishBatcher {
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly send: (inventoryIds: string[]) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly windowMs = PUBLISH_WINDOW_MS,
  ) {}

  add(inventoryId: string): void {
    this.pending.add(inventoryId);
    if (!this.timer) this.timer = setTimeout(() => void this.sendPending(), this.windowMs);
  }

  /** Sends what is pending now and waits for every send started so far. */
  async flush(): Promise<void> {
    if (this.timer) await this.sendPending();
    await this.sending;
  }

  private sendPending(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const inventoryIds = [...this.pending];
    this.pending = new Set();
    const sent = this.send(inventoryIds).catch(this.onError);
    this.sending = Promise.all([this.sending, sent]).then(() => undefined);
    return sent;
  }
}

/** Listeners per inventory id, shared by the adapters. */
export class ListenerRegistry {
  private readonly byInventory = new Map<string, Set<SeatChangeListener>>();

  /** Adds a listener; true when it is the inventory's first. */
  add(inventoryId: string, listener: SeatChangeListener): boolean {
    let listeners = this.byInventory.get(inventoryId);
    const first = !listeners;
    if (!listeners) {
      listeners = new Set();
      this.byInventory.set(inventoryId, listeners);
    }
    listeners.add(listener);
    return first;
  }

  /** Removes a listener; true when the inventory has none left. */
  remove(inventoryId: string, listener: SeatChangeListener): boolean {
    const listeners = this.byInventory.get(inventoryId);
    if (!listeners?.delete(listener)) return false;
    if (listeners.size > 0) return false;
    this.byInventory.delete(inventoryId);
    return true;
  }

  has(inventoryId: string): boolean {
    return this.byInventory.has(inventoryId);
  }

  inventoryIds(): string[] {
    return [...this.byInventory.keys()];
  }

  notify(inventoryId: string): void {
    for (const listener of [...(this.byInventory.get(inventoryId) ?? [])]) listener();
  }

  notifyAll(): void {
    for (const inventoryId of this.inventoryIds()) this.notify(inventoryId);
  }

  clear(): void {
    this.byInventory.clear();
  }
}
