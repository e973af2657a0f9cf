import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/shared/redis.js';
import type { SeatChangeBus } from '../../src/realtime/seat-change-bus.js';
import { MemorySeatChangeBus } from '../../src/realtime/seat-change-bus.memory.js';
import { LISTENER_APPLICATION_NAME, PostgresSeatChangeBus } from '../../src/realtime/seat-change-bus.postgres.js';
import { RedisSeatChangeBus } from '../../src/realtime/seat-change-bus.redis.js';
import { sleep } from '../support/booking-fixtures.js';
import { createTestApp, type TestApp } from '../support/test-app.js';

/**
 * The seat-change bus port's contract, against every adapter this run can reach: in-process always,
 * PostgreSQL LISTEN/NOTIFY with DATABASE_URL, Redis pub/sub with REDIS_URL. "Two processes" are two bus
 * instances on one backend (for the in-process bus: the same instance, which is all one process has).
 */
type BusKind = 'memory' | 'postgres' | 'redis';

function busKinds(): BusKind[] {
  return [
    'memory',
    ...(process.env.DATABASE_URL ? (['postgres'] as const) : []),
    ...(process.env.REDIS_URL ? (['redis'] as const) : []),
  ];
}

/** Calls received per inventory, with a way to wait for the next one. */
function recorder() {
  const calls: string[] = [];
  const waiters: { id: string; resolve: () => void }[] = [];
  return {
    calls,
    listener: (id: string) => () => {
      calls.push(id);
      for (const waiter of waiters.filter((w) => w.id === id)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    next(id: string, timeoutMs = 3000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message for ${id} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          id,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    count: (id: string) => calls.filter((call) => call === id).length,
  };
}

const newInventoryId = () => `evt_${randomBytes(6).toString('hex')}`;

describe.each(busKinds())('seat-change bus contract (%s)', (kind) => {
  let t: TestApp | undefined;
  let publisher: SeatChangeBus;
  let listener: SeatChangeBus;
  const extra: SeatChangeBus[] = [];
  const connections: { disconnect(): void }[] = [];
  const prefix = `bo-bus-test-${randomBytes(6).toString('hex')}:`;

  async function newBus(): Promise<SeatChangeBus> {
    let bus: SeatChangeBus;
    if (kind === 'memory') return publisher ?? new MemorySeatChangeBus();
    if (kind === 'postgres') {
      bus = new PostgresSeatChangeBus(t!.deps.database.db, { connectionString: t!.shared.databaseUrl! });
    } else {
      const redis = await connectRedis(process.env.REDIS_URL!, false);
      connections.push(redis);
      bus = new RedisSeatChangeBus(redis, { keyPrefix: prefix });
    }
    extra.push(bus);
    return bus;
  }

  beforeAll(async () => {
    if (kind === 'postgres') t = await createTestApp();
    publisher = await newBus();
    listener = await newBus();
  });
  afterAll(async () => {
    for (const bus of new Set([publisher, listener, ...extra])) await bus?.close();
    for (const connection of connections) connection.disconnect();
    await t?.close();
  });

  it('delivers a change published by one process to the listeners of another, for that inventory only', async () => {
    const watched = newInventoryId();
    const other = newInventoryId();
    const received = recorder();
    await listener.subscribe(watched, received.listener(watched));
    await listener.subscribe(other, received.listener(other));
    const arrived = received.next(watched);
    publisher.publish(watched);
    await arrived;
    await publisher.flush();
    await sleep(100);
    expect(received.count(other)).toBe(0);
  });

  it('coalesces a burst of publishes of one inventory into a few messages, none lost at the end', async () => {
    const id = newInventoryId();
    const received = recorder();
    await listener.subscribe(id, received.listener(id));
    for (let i = 0; i < 500; i++) publisher.publish(id);
    await publisher.flush();
    await expect.poll(() => received.count(id), { timeout: 3000 }).toBeGreaterThanOrEqual(1);
    await sleep(150);
    const afterBurst = received.count(id);
    expect(afterBurst).toBeGreaterThanOrEqual(1);
    expect(afterBurst).toBeLessThanOrEqual(5);
    // A publish after the burst is its own message.
    const again = received.next(id);
    publisher.publish(id);
    await again;
  });

  it('sends many inventories changed together, each to its own listeners', async () => {
    const ids = Array.from({ length: 400 }, newInventoryId);
    const received = recorder();
    for (const id of ids) await listener.subscribe(id, received.listener(id));
    const all = Promise.all(ids.map((id) => received.next(id)));
    for (const id of ids) publisher.publish(id);
    await all;
  });

  it('stops delivering to a listener that unsubscribed, and keeps delivering to the others', async () => {
    const id = newInventoryId();
    const gone = recorder();
    const staying = recorder();
    const unsubscribe = await listener.subscribe(id, gone.listener(id));
    await listener.subscribe(id, staying.listener(id));
    unsubscribe();
    const arrived = staying.next(id);
    publisher.publish(id);
    await arrived;
    await sleep(100);
    expect(gone.count(id)).toBe(0);

    // Subscribing again after the last listener left works (the channel is joined anew).
    const last = newInventoryId();
    const first = recorder();
    (await listener.subscribe(last, first.listener(last)))();
    const back = recorder();
    await listener.subscribe(last, back.listener(last));
    const delivered = back.next(last);
    publisher.publish(last);
    await delivered;
    expect(first.count(last)).toBe(0);
  });

  if (kind !== 'memory')
    it('tells every listener to look again after it lost its connection, then delivers again', async () => {
      const bus = await newBus();
      const id = newInventoryId();
      const received = recorder();
      await bus.subscribe(id, received.listener(id));
      const resync = received.next(id, 10_000);
      await cutConnection(bus);
      await resync; // the reconnect, with no publish at all
      const delivered = received.next(id);
      publisher.publish(id);
      await delivered;
    });

  /** Kills the bus's listening connection from the server side, only this bus's one. */
  async function cutConnection(bus: SeatChangeBus): Promise<void> {
    if (bus instanceof RedisSeatChangeBus) {
      const admin = await connectRedis(process.env.REDIS_URL!, false);
      const list = String(await admin.call('CLIENT', 'LIST', 'TYPE', 'pubsub'));
      const ids = list
        .split('\n')
        .filter((line) => line.includes(` name=${bus.connectionName} `))
        .map((line) => /id=(\d+)/.exec(line)![1]!);
      expect(ids.length).toBe(1);
      await admin.call('CLIENT', 'KILL', 'ID', ids[0]!);
      admin.disconnect();
    } else {
      // Every listening session of this test's own database: this bus's and the listener's.
      const { rows } = await sql<{ killed: boolean }>`
        SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = ${LISTENER_APPLICATION_NAME}`.execute(
        t!.deps.database.db,
      );
      expect(rows.length).toBeGreaterThan(0);
    }
  }
});
