import { randomBytes } from 'node:crypto';
import { Cluster, type Redis } from 'ioredis';
import { ListenerRegistry, PublishBatcher, type SeatChangeBus, type SeatChangeListener } from './seat-change-bus.js';

export interface RedisSeatChangeBusOptions {
  /** Prefix of the channel names (the deployment's Redis key prefix). */
  keyPrefix: string;
  onError?: (error: unknown) => void;
}

/**
 * Redis pub/sub: one channel per inventory (`<prefix>seats:<inventoryId>`), so Redis forwards a message only
 * to the API processes that have a live seat map of that inventory open. Subscriptions use a connection of
 * their own (a subscribed connection can do nothing else); ioredis re-subscribes after a reconnect, and
 * then every listener is told to look again, since messages published meanwhile were lost.
 */
export class RedisSeatChangeBus implements SeatChangeBus {
  readonly name = 'redis' as const;
  /** The subscriber connection's CLIENT SETNAME, so operators (and tests) can find it. */
  readonly connectionName: string;
  private readonly subscriber: Redis | Cluster;
  private readonly listeners = new ListenerRegistry();
  private readonly batcher: PublishBatcher;
  private readonly channelPrefix: string;
  private connectedOnce = false;
  private closed = false;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly options: RedisSeatChangeBusOptions,
  ) {
    this.channelPrefix = `${options.keyPrefix}seats:`;
    // Per process: CLIENT LIST then tells which process each subscriber connection belongs to.
    this.connectionName = `${options.keyPrefix.replace(/[^A-Za-z0-9_-]/g, '_')}seat-bus-${process.pid}-${randomBytes(3).toString('hex')}`;
    this.subscriber =
      redis instanceof Cluster
        ? redis.duplicate([], { redisOptions: { ...redis.options.redisOptions, connectionName: this.connectionName } })
        : redis.duplicate({ connectionName: this.connectionName });
    this.subscriber.on('error', () => undefined); // it reconnects by itself; see 'ready' below
    this.subscriber.on('message', (channel: string) => {
      if (channel.startsWith(this.channelPrefix)) this.listeners.notify(channel.slice(this.channelPrefix.length));
    });
    this.subscriber.on('ready', () => {
      if (!this.connectedOnce) {
        this.connectedOnce = true;
        return;
      }
      void this.resubscribe();
    });
    this.batcher = new PublishBatcher(
      async (inventoryIds) => {
        await Promise.all(inventoryIds.map((id) => this.redis.publish(this.channelOf(id), '1')));
      },
      (error) => this.options.onError?.(error),
    );
  }

  publish(inventoryId: string): void {
    if (!this.closed) this.batcher.add(inventoryId);
  }

  async subscribe(inventoryId: string, listener: SeatChangeListener): Promise<() => void> {
    const first = this.listeners.add(inventoryId, listener);
    try {
      // SUBSCRIBE is idempotent, and answered only once the subscription is active.
      await this.subscriber.subscribe(this.channelOf(inventoryId));
    } catch (error) {
      if (this.listeners.remove(inventoryId, listener) && first) {
        await this.subscriber.unsubscribe(this.channelOf(inventoryId)).catch(() => undefined);
      }
      throw error;
    }
    return () => {
      if (this.listeners.remove(inventoryId, listener) && !this.closed) {
        this.subscriber.unsubscribe(this.channelOf(inventoryId)).catch(() => undefined);
      }
    };
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  async close(): Promise<void> {
    await this.batcher.flush();
    this.closed = true;
    this.listeners.clear();
    this.subscriber.disconnect();
  }

  private channelOf(inventoryId: string): string {
    return `${this.channelPrefix}${inventoryId}`;
  }

  /** After a reconnect: make sure every channel is subscribed again, then tell everyone to look again. */
  private async resubscribe(): Promise<void> {
    const inventoryIds = this.listeners.inventoryIds();
    try {
      if (inventoryIds.length > 0) await this.subscriber.subscribe(...inventoryIds.map((id) => this.channelOf(id)));
    } catch (error) {
      this.options.onError?.(error);
    }
    this.listeners.notifyAll();
  }
}
