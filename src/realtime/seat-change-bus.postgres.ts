import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from '../db/client.js';
import { ListenerRegistry, PublishBatcher, type SeatChangeBus, type SeatChangeListener } from './seat-change-bus.js';

/** One channel per database: NOTIFY reaches only sessions of the same database anyway. */
export const SEAT_CHANGE_CHANNEL = 'boxoffice_seat_changes';
/** NOTIFY payloads must stay under 8000 bytes; inventory ids are joined with commas up to this. */
const MAX_PAYLOAD = 7000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5000;
export const LISTENER_APPLICATION_NAME = 'boxoffice-seat-bus';

export interface PostgresSeatChangeBusOptions {
  connectionString: string;
  onError?: (error: unknown) => void;
}

/**
 * PostgreSQL LISTEN/NOTIFY, for deployments on PostgreSQL without Redis. Publishing is one
 * `pg_notify` through the pool per window, with every inventory that changed in it; listening is one
 * connection of its own per process (LISTEN needs a session that stays), which reconnects with backoff
 * after losing the server and then tells every listener to look again.
 */
export class PostgresSeatChangeBus implements SeatChangeBus {
  readonly name = 'postgres' as const;
  private readonly listeners = new ListenerRegistry();
  private readonly batcher: PublishBatcher;
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay = RECONNECT_MIN_MS;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly options: PostgresSeatChangeBusOptions,
  ) {
    this.batcher = new PublishBatcher(
      async (inventoryIds) => {
        for (const payload of joinPayloads(inventoryIds)) {
          await sql`SELECT pg_notify(${SEAT_CHANGE_CHANNEL}, ${payload})`.execute(this.db);
        }
      },
      (error) => this.options.onError?.(error),
    );
  }

  publish(inventoryId: string): void {
    if (!this.closed) this.batcher.add(inventoryId);
  }

  async subscribe(inventoryId: string, listener: SeatChangeListener): Promise<() => void> {
    this.listeners.add(inventoryId, listener);
    try {
      await this.listen();
    } catch (error) {
      this.listeners.remove(inventoryId, listener);
      throw error;
    }
    return () => void this.listeners.remove(inventoryId, listener);
  }

  flush(): Promise<void> {
    return this.batcher.flush();
  }

  async close(): Promise<void> {
    await this.batcher.flush();
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.listeners.clear();
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  /** Resolves once this process LISTENs (connecting the first time it is needed). */
  private listen(): Promise<void> {
    if (this.client) return Promise.resolve();
    if (this.closed) return Promise.reject(new Error('The seat-change bus is closed'));
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: LISTENER_APPLICATION_NAME,
      keepAlive: true,
    });
    client.on('notification', (message) => {
      if (message.channel !== SEAT_CHANGE_CHANNEL || !message.payload) return;
      for (const inventoryId of message.payload.split(',')) this.listeners.notify(inventoryId);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, undefined));
    try {
      await client.connect();
      await client.query(`LISTEN ${SEAT_CHANGE_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
  }

  /** The listening session died: reconnect with backoff, then have everyone look again. */
  private lost(client: pg.Client, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (error) this.options.onError?.(error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    const delay = this.reconnectDelay;
    this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.closed || this.listeners.inventoryIds().length === 0) return;
      this.listen().then(
        () => this.listeners.notifyAll(),
        (error: unknown) => {
          this.options.onError?.(error);
          this.scheduleReconnect();
        },
      );
    }, delay);
    this.reconnectTimer.unref();
  }
}

/** Comma-joined inventory ids, each payload short enough for NOTIFY. */
function joinPayloads(inventoryIds: readonly string[]): string[] {
  const payloads: string[] = [];
  let current = '';
  for (const id of inventoryIds) {
    if (current && current.length + 1 + id.length > MAX_PAYLOAD) {
      payloads.push(current);
      current = '';
    }
    current = current ? `${current},${id}` : id;
  }
  if (current) payloads.push(current);
  return payloads;
}
