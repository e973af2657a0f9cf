/**
 * `npm run bench:checkout` — a benchmark, not a test. For each configuration it starts a real Boxoffice
 * server as a child process (tsx, src/main.ts serve, PAYMENT_PROVIDER=fake) and measures two things:
 *
 * 1. **Confirmed orders per second, end to end.** Virtual buyers (one keep-alive connection each) loop:
 *    POST /api/holds (1–4 seats) → POST /api/bookings → POST /api/payments → press Pay on the fake
 *    gateway (POST /pay/{chargeId}; the gateway calls the signed webhook, which confirms the order) →
 *    GET /api/bookings/{id}/tickets (one ticket per seat). An order counts when its tickets came back.
 * 2. **Webhook callbacks processed per second.** Orders whose buyers have paid at the gateway but whose
 *    webhooks were not delivered yet are written into the database before the server starts; the bench
 *    then delivers their signed `payment.succeeded` events to POST /api/webhooks/fake as fast as the
 *    connections allow, plus a share of duplicate deliveries of the same events at the same time (as
 *    providers do). 503 answers (a lock held by a concurrent delivery) are redelivered, as a provider would.
 *
 *   npm run bench:checkout -- --duration 20 --warmup 3 --connections 64 --webhooks 10000 --stores sql-pg,redis,sql-pglite
 *
 * Afterwards the database is checked: every order of phase 2 confirmed exactly once, one ticket per seat,
 * no seat sold twice. Only 127.0.0.1 is contacted; every loop is bounded by time or count.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import type { Insertable } from 'kysely';
import pg from 'pg';
import { Pool } from 'undici';
import { openDatabase, type DatabaseHandle } from '../src/db/client.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { FakeGatewayChargesTable, OrderLinesTable, OrdersTable, PaymentsTable } from '../src/db/schema.js';
import { signFakeWebhook } from '../src/payments/payment-provider.fake.js';
import { RedisHoldStore } from '../src/inventory/hold-store.redis.js';
import { SqlHoldStore } from '../src/inventory/hold-store.sql.js';
import type { HoldStore } from '../src/inventory/hold-store.js';
import { newHoldToken, newId } from '../src/shared/ids.js';
import { connectRedis } from '../src/shared/redis.js';
import { createBenchEvent, type BenchEvent } from './lib/bench-event.js';
import {
  writeCheckoutSection,
  type CheckoutResult,
  type CheckoutRun,
  type PhaseOneResult,
  type PhaseTwoResult,
} from './lib/checkout-doc.js';
import { childPids, coresUsed, sampleCpu } from './lib/cpu-usage.js';
import { LatencyRecorder } from './lib/latency.js';
import { describeMachine } from './lib/machine.js';
import { REPO_ROOT, startServerProcess, type ServerProcess } from './lib/server-process.js';

const STORES = ['sql-pg', 'redis', 'sql-pglite'] as const;
type StoreName = (typeof STORES)[number];

const STORE_LABELS: Record<StoreName, { holdStore: string; database: string }> = {
  'sql-pg': { holdStore: 'SQL', database: 'PostgreSQL' },
  redis: { holdStore: 'Redis', database: 'PostgreSQL' },
  'sql-pglite': { holdStore: 'SQL', database: 'PGlite (embedded)' },
};

const GATEWAY_SECRET = `bench-gateway-${randomBytes(24).toString('hex')}`;
const JWT_SECRET = `bench-jwt-${randomBytes(24).toString('hex')}`;
const BUYERS = 256;
const PRICES = [50_000, 100_000, 150_000, 200_000]; // per tribune, as bench-event.ts prices them

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  webhooks: number;
  webhookConnections: number;
  duplicateShare: number;
  seats: number;
  stores: StoreName[];
  databaseUrl: string;
  redisUrl: string;
  writeDocs: boolean;
  profileDir: string | undefined;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '64' },
      webhooks: { type: 'string', default: '10000' },
      'webhook-connections': { type: 'string', default: '64' },
      duplicates: { type: 'string', default: '0.1' },
      seats: { type: 'string', default: '100000' },
      stores: { type: 'string', default: STORES.join(',') },
      'no-docs': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(
      'Usage: npm run bench:checkout -- [--duration 20] [--warmup 3] [--connections 64] [--seats 100000]\n' +
        '         [--webhooks 10000] [--webhook-connections 64] [--duplicates 0.1]\n' +
        '         [--stores sql-pg,redis,sql-pglite] [--no-docs] [--profile]\n\n' +
        'DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is where a fresh bo_bench_* database\n' +
        'is created and dropped; REDIS_URL (default redis://127.0.0.1:6379) serves the Redis hold store.',
    );
    process.exit(0);
  }
  const whole = (name: string, raw: string, min: number, max: number): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number between ${min} and ${max}, got "${raw}"`);
    }
    return value;
  };
  const duplicateShare = Number(values.duplicates);
  if (!(duplicateShare >= 0 && duplicateShare <= 5)) throw new Error('--duplicates must be between 0 and 5');
  const stores = values.stores.split(',').map((s) => s.trim()) as StoreName[];
  for (const store of stores) {
    if (!STORES.includes(store)) throw new Error(`--stores: unknown store "${store}" (known: ${STORES.join(', ')})`);
  }
  return {
    duration: whole('duration', values.duration, 1, 3600),
    warmup: whole('warmup', values.warmup, 0, 600),
    connections: whole('connections', values.connections, 1, 4096),
    webhooks: whole('webhooks', values.webhooks, 1, 1_000_000),
    webhookConnections: whole('webhook-connections', values['webhook-connections'], 1, 4096),
    duplicateShare,
    seats: whole('seats', values.seats, 1000, 400_000),
    stores,
    databaseUrl: process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379',
    writeDocs: !values['no-docs'],
    profileDir: values.profile ? path.join(REPO_ROOT, '.bench', 'profiles') : undefined,
  };
}

// ── Data ────────────────────────────────────────────────────────────────────────────────────────────────

interface Buyer {
  id: string;
  authorization: string;
}

/** An HS256 access token as the server signs them (same claims), with the JWT_SECRET the server gets. */
function accessToken(userId: string): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: userId, role: 'customer', org: null, iat: now, exp: now + 86400 })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}

interface PaidOrder {
  paymentId: string;
  chargeId: string;
  amount: number;
  seats: number;
}

interface Prepared {
  flowEvent: BenchEvent;
  webhookEvent: BenchEvent;
  buyers: Buyer[];
  paidOrders: PaidOrder[];
}

/** A stadium's seats come tribune by tribune (bench-event.ts); category and price follow the tribune. */
function tribuneOfSeat(index: number, seatCount: number): { category: string; price: number } {
  const tribune = Math.min(3, Math.floor(index / Math.ceil(seatCount / 4)));
  return { category: `T${tribune + 1}`, price: PRICES[tribune]! };
}

/**
 * Everything the server needs before it starts: two events (one for the end-to-end flow, one for the
 * webhook phase), the buyers, and for phase 2 the orders paid at the gateway whose webhooks are pending,
 * each with its live hold made through the same hold-store adapter the server uses (as when a buyer has
 * just paid within the hold's time).
 */
async function prepare(database: DatabaseHandle, options: Options, redisUrl: string | undefined): Promise<Prepared> {
  const db = database.db;
  await migrateToLatest(db);
  const flowEvent = await createBenchEvent(db, options.seats, 900);
  const webhookSeats = Math.ceil(options.webhooks * 2.5) + 1000;
  const webhookEvent = await createBenchEvent(db, webhookSeats, 900);
  for (const event of [flowEvent, webhookEvent]) {
    // Many orders per buyer: lift the per-buyer cap (against scalpers) out of the way of the benchmark.
    const row = await db
      .selectFrom('events')
      .select('organizer_id')
      .where('id', '=', event.eventId)
      .executeTakeFirstOrThrow();
    await db.updateTable('organizers').set({ max_seats_per_buyer: 1000 }).where('id', '=', row.organizer_id).execute();
  }
  const buyers: Buyer[] = Array.from({ length: BUYERS }, () => {
    const id = newId('user');
    return { id, authorization: `Bearer ${accessToken(id)}` };
  });
  await db
    .insertInto('users')
    .values(
      buyers.map((buyer) => ({
        id: buyer.id,
        email: `${buyer.id}@bench.test`,
        email_normalized: `${buyer.id}@bench.test`,
        password_hash: 'unusable',
        name: 'Bench Buyer',
      })),
    )
    .execute();

  const organizer = await db
    .selectFrom('events')
    .select('organizer_id')
    .where('id', '=', webhookEvent.eventId)
    .executeTakeFirstOrThrow();
  const redis = redisUrl ? await connectRedis(redisUrl, false) : undefined;
  const holdStore: HoldStore = redis ? new RedisHoldStore(redis, db, { keyPrefix: 'bo:' }) : new SqlHoldStore(db);
  const paidOrders: PaidOrder[] = [];
  let cursor = 0;
  const expiresAt = new Date(Date.now() + 3 * 3600_000);
  for (let start = 0; start < options.webhooks; start += 500) {
    const orders: Insertable<OrdersTable>[] = [];
    const lines: Insertable<OrderLinesTable>[] = [];
    const payments: Insertable<PaymentsTable>[] = [];
    const charges: Insertable<FakeGatewayChargesTable>[] = [];
    for (let i = start; i < Math.min(options.webhooks, start + 500); i++) {
      const size = 1 + (i % 4);
      const orderId = newId('order');
      const holdToken = newHoldToken();
      const held = await holdStore.create({
        token: holdToken,
        inventory: { kind: 'event', id: webhookEvent.eventId },
        owner: `bench:${orderId}`,
        seatIds: webhookEvent.seatIds.slice(cursor, cursor + size).sort(),
        ga: [],
        segment: { from: 0, to: 1 },
        ttlMs: 3 * 3600_000,
      });
      if (!held.ok) throw new Error(`could not hold the seats of bench order ${i}`);
      let total = 0;
      for (let s = 0; s < size; s++) {
        const { category, price } = tribuneOfSeat(cursor, webhookEvent.seatIds.length);
        total += price;
        lines.push({
          id: newId('orderLine'),
          order_id: orderId,
          seat_id: webhookEvent.seatIds[cursor++]!,
          label: `Seat ${s + 1}`,
          category,
          price,
          total: price,
        });
      }
      orders.push({
        id: orderId,
        code: `BW${String(i).padStart(8, '0')}`,
        user_id: buyers[i % buyers.length]!.id,
        organizer_id: organizer.organizer_id,
        inventory_kind: 'event' as const,
        inventory_id: webhookEvent.eventId,
        from_index: 0,
        to_index: 1,
        hold_token: holdToken,
        currency: 'BDT',
        subtotal: total,
        total,
        expires_at: expiresAt,
      });
      const paymentId = newId('payment');
      const chargeId = `fpi_${randomBytes(16).toString('base64url')}`;
      payments.push({
        id: paymentId,
        order_id: orderId,
        provider: 'fake' as const,
        provider_payment_id: chargeId,
        amount: total,
        currency: 'BDT',
        checkout_url: `http://127.0.0.1/pay/${chargeId}`,
      });
      charges.push({
        id: chargeId,
        reference: paymentId,
        amount: total,
        currency: 'BDT',
        status: 'succeeded' as const,
      });
      paidOrders.push({ paymentId, chargeId, amount: total, seats: size });
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('orders').values(orders).execute();
      await trx.insertInto('order_lines').values(lines).execute();
      await trx.insertInto('payments').values(payments).execute();
      await trx.insertInto('fake_gateway_charges').values(charges).execute();
    });
  }
  await holdStore.close();
  redis?.disconnect();
  return { flowEvent, webhookEvent, buyers, paidOrders };
}

// ── Phase 1: hold → book → pay → webhook → tickets ─────────────────────────────────────────────────────

const STEPS = ['hold', 'booking', 'payment', 'pay + webhook', 'tickets'] as const;

async function readJson(response: { statusCode: number; body: { text(): Promise<string> } }) {
  const text = await response.body.text();
  try {
    return JSON.parse(text) as Record<string, unknown> & { error?: { code?: string } };
  } catch {
    return { error: { code: 'non-json body' } };
  }
}

async function runFlow(
  server: ServerProcess,
  prepared: Prepared,
  options: Options,
  cpuGroups: Map<number, string>,
  benchDatabase: string | undefined,
): Promise<PhaseOneResult> {
  const pool = new Pool(server.url, { connections: options.connections, pipelining: 1, keepAliveTimeout: 60_000 });
  await Promise.all(
    Array.from({ length: options.connections }, async () =>
      (await pool.request({ method: 'GET', path: '/healthz' })).body.dump(),
    ),
  );
  const seatIds = prepared.flowEvent.seatIds;
  let cursor = 0;
  let sequence = 0;
  let ranOut = false;
  const runStart = performance.now();
  const measureFrom = runStart + options.warmup * 1000;
  const measureUntil = measureFrom + options.duration * 1000;
  const orderLatency = new LatencyRecorder();
  const stepLatency = new Map(STEPS.map((step) => [step, new LatencyRecorder()]));
  const errors = new Map<string, number>();
  let confirmed = 0;
  let seatsSold = 0;
  let attempts = 0;
  let cpuBefore = new Map<string, number>();
  let cpuAfter = new Map<string, number>();
  const timers = [
    setTimeout(() => (cpuBefore = sampleCpu(cpuGroups, benchDatabase)), options.warmup * 1000),
    setTimeout(() => (cpuAfter = sampleCpu(cpuGroups, benchDatabase)), (options.warmup + options.duration) * 1000),
  ];

  const worker = async (index: number) => {
    const session = `bench-buyer-session-${String(index).padStart(6, '0')}`;
    while (performance.now() < measureUntil && !ranOut) {
      const n = sequence++;
      const size = 1 + (n % 4);
      if (cursor + size > seatIds.length) {
        ranOut = true;
        break;
      }
      const seats = seatIds.slice(cursor, cursor + size);
      cursor += size;
      const buyer = prepared.buyers[n % prepared.buyers.length]!;
      const headers = {
        'content-type': 'application/json',
        authorization: buyer.authorization,
        'x-session-id': session,
      };
      const started = performance.now();
      let failed: string | null = null;
      const step = async (name: (typeof STEPS)[number], request: Parameters<Pool['request']>[0], expect: number) => {
        const stepStarted = performance.now();
        const response = await pool.request(request);
        const body = await readJson(response);
        stepLatency.get(name)!.record(performance.now() - stepStarted);
        if (response.statusCode !== expect) {
          failed = `${name}: ${response.statusCode} ${body.error?.code ?? ''}`;
          return null;
        }
        return body;
      };
      try {
        const hold = await step(
          'hold',
          {
            method: 'POST',
            path: '/api/holds',
            headers,
            body: JSON.stringify({ eventId: prepared.flowEvent.eventId, seatIds: seats }),
          },
          201,
        );
        const order =
          hold &&
          (await step(
            'booking',
            {
              method: 'POST',
              path: '/api/bookings',
              // A real client sends a retry-safe key with every POST that creates money or seats.
              headers: { ...headers, 'idempotency-key': `book-${session}-${n}` },
              body: JSON.stringify({ holdToken: hold.token }),
            },
            201,
          ));
        const payment =
          order &&
          (await step(
            'payment',
            {
              method: 'POST',
              path: '/api/payments',
              headers: { ...headers, 'idempotency-key': `pay-${session}-${n}` },
              body: JSON.stringify({ orderId: order.id }),
            },
            201,
          ));
        const chargeId = payment ? String(payment.checkoutUrl).split('/pay/')[1]! : '';
        const paid =
          payment &&
          (await step(
            'pay + webhook',
            {
              method: 'POST',
              path: `/pay/${chargeId}`,
              headers: { 'content-type': 'application/json', accept: 'application/json' },
              body: '{"action":"pay"}',
            },
            200,
          ));
        if (paid && paid.delivered !== true) failed = `pay + webhook: webhook answered ${String(paid.webhookStatus)}`;
        const tickets =
          paid &&
          !failed &&
          (await step(
            'tickets',
            {
              method: 'GET',
              path: `/api/bookings/${String(order!.id)}/tickets`,
              headers: { authorization: buyer.authorization },
            },
            200,
          ));
        if (tickets && (tickets.items as unknown[]).length !== size)
          failed = `tickets: ${(tickets.items as unknown[]).length} of ${size}`;
      } catch (error) {
        failed = `network ${(error as { code?: string }).code ?? (error as Error).name}`;
      }
      const finished = performance.now();
      if (finished < measureFrom || finished > measureUntil) continue;
      attempts++;
      if (failed) {
        errors.set(failed, (errors.get(failed) ?? 0) + 1);
        continue;
      }
      confirmed++;
      seatsSold += size;
      orderLatency.record(finished - started);
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  const measuredSeconds = Math.min(options.duration, Math.max(0.001, (performance.now() - measureFrom) / 1000));
  if (ranOut) {
    cpuAfter = sampleCpu(cpuGroups, benchDatabase);
    console.log(`[flow] ran out of seats after ${measuredSeconds.toFixed(1)} s measured; raise --seats`);
  }
  for (const timer of timers) clearTimeout(timer);
  await pool.close();
  const [p50, p95, p99] = orderLatency.percentiles([50, 95, 99]);
  return {
    seconds: measuredSeconds,
    attempts,
    confirmed,
    seatsSold,
    ordersPerSecond: confirmed / measuredSeconds,
    webhooksPerSecond: confirmed / measuredSeconds,
    p50: p50!,
    p95: p95!,
    p99: p99!,
    steps: Object.fromEntries(
      STEPS.map((name) => {
        const [s50, s99] = stepLatency.get(name)!.percentiles([50, 99]);
        return [name, { p50: s50!, p99: s99! }];
      }),
    ),
    errors: Object.fromEntries([...errors].sort((a, b) => b[1] - a[1])),
    cores: Object.fromEntries([...coresUsed(cpuBefore, cpuAfter, measuredSeconds)].sort((a, b) => b[1] - a[1])),
  };
}

// ── Phase 2: webhook callbacks ─────────────────────────────────────────────────────────────────────────

async function runWebhooks(
  server: ServerProcess,
  prepared: Prepared,
  options: Options,
  cpuGroups: Map<number, string>,
  benchDatabase: string | undefined,
): Promise<PhaseTwoResult> {
  const pool = new Pool(server.url, {
    connections: options.webhookConnections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  await Promise.all(
    Array.from({ length: options.webhookConnections }, async () =>
      (await pool.request({ method: 'GET', path: '/healthz' })).body.dump(),
    ),
  );
  // One event per paid order; duplicates re-send an event shortly after its first delivery, concurrently.
  const events = prepared.paidOrders.map((order, i) =>
    JSON.stringify({
      id: `fevt_bench_${i}_${randomBytes(6).toString('hex')}`,
      type: 'payment.succeeded',
      created: Math.floor(Date.now() / 1000),
      data: {
        chargeId: order.chargeId,
        reference: order.paymentId,
        amount: order.amount,
        currency: 'BDT',
        status: 'succeeded',
        failureReason: null,
      },
    }),
  );
  const queue: string[] = [];
  const duplicateEvery = options.duplicateShare > 0 ? 1 / options.duplicateShare : Infinity;
  let nextDuplicate = duplicateEvery;
  events.forEach((event, i) => {
    queue.push(event);
    while (i + 1 >= nextDuplicate) {
      queue.push(events[Math.max(0, i - 3)]!);
      nextDuplicate += duplicateEvery;
    }
  });
  const latency = new LatencyRecorder();
  const outcomes = new Map<string, number>();
  const errors = new Map<string, number>();
  let answered = 0;
  let retries = 0;
  let next = 0;
  const cpuBefore = sampleCpu(cpuGroups, benchDatabase);
  const started = performance.now();
  const worker = async () => {
    for (;;) {
      const index = next++;
      if (index >= queue.length) return;
      const body = queue[index]!;
      for (let attempt = 0; attempt < 100; attempt++) {
        const sent = performance.now();
        let status = 0;
        let outcome = '';
        try {
          const response = await pool.request({
            method: 'POST',
            path: '/api/webhooks/fake',
            headers: {
              'content-type': 'application/json',
              'boxoffice-signature': signFakeWebhook(GATEWAY_SECRET, body, Math.floor(Date.now() / 1000)),
            },
            body,
          });
          status = response.statusCode;
          const answer = await readJson(response);
          outcome = status === 200 ? String(answer.outcome) : `${status} ${answer.error?.code ?? ''}`;
        } catch (error) {
          outcome = `network ${(error as { code?: string }).code ?? (error as Error).name}`;
        }
        latency.record(performance.now() - sent);
        answered++;
        if (status === 200) {
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          break;
        }
        if (status === 503) {
          retries++;
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
          continue;
        }
        errors.set(outcome, (errors.get(outcome) ?? 0) + 1);
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: options.webhookConnections }, () => worker()));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = sampleCpu(cpuGroups, benchDatabase);
  await pool.close();
  const processed = [...outcomes.values()].reduce((a, b) => a + b, 0);
  const [p50, p95, p99] = latency.percentiles([50, 95, 99]);
  return {
    seconds,
    events: events.length,
    deliveries: queue.length,
    answered,
    processed,
    retries503: retries,
    callbacksPerSecond: answered / seconds,
    processedPerSecond: processed / seconds,
    confirmationsPerSecond: (outcomes.get('confirmed') ?? 0) / seconds,
    outcomes: Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])),
    p50: p50!,
    p95: p95!,
    p99: p99!,
    errors: Object.fromEntries([...errors].sort((a, b) => b[1] - a[1])),
    cores: Object.fromEntries([...coresUsed(cpuBefore, cpuAfter, seconds)].sort((a, b) => b[1] - a[1])),
    checks: [],
  };
}

/** After the run: every phase-2 order confirmed once with one ticket per seat; no seat sold twice. */
async function checkDatabase(database: DatabaseHandle, prepared: Prepared): Promise<string[]> {
  const db = database.db;
  try {
    const problems: string[] = [];
    const expectedSeats = prepared.paidOrders.reduce((sum, order) => sum + order.seats, 0);
    const confirmed = await db
      .selectFrom('orders')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('inventory_id', '=', prepared.webhookEvent.eventId)
      .where('status', '=', 'confirmed')
      .executeTakeFirstOrThrow();
    const tickets = await db
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('inventory_id', '=', prepared.webhookEvent.eventId)
      .executeTakeFirstOrThrow();
    const doubleSold = await db
      .selectFrom('seat_sales')
      .select(['inventory_id', 'seat_id'])
      .where('status', '=', 'confirmed')
      .groupBy(['inventory_id', 'seat_id'])
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    const refunds = await db
      .selectFrom('refunds')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    if (Number(confirmed.n) !== prepared.paidOrders.length)
      problems.push(`${confirmed.n} of ${prepared.paidOrders.length} webhook-phase orders confirmed`);
    if (Number(tickets.n) !== expectedSeats)
      problems.push(`${tickets.n} tickets for ${expectedSeats} seats in the webhook phase`);
    if (doubleSold.length > 0) problems.push(`${doubleSold.length} seats sold twice`);
    if (Number(refunds.n) !== 0) problems.push(`${refunds.n} refunds (none expected)`);
    return problems.length > 0
      ? problems
      : [
          `all ${prepared.paidOrders.length} webhook-phase orders confirmed once, ${expectedSeats} tickets, no seat sold twice, no refund`,
        ];
  } finally {
    await database.close();
  }
}

// ── Per configuration ──────────────────────────────────────────────────────────────────────────────────

async function createPostgresDatabase(baseUrl: string): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `bo_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: baseUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function deleteRedisKeys(redisUrl: string, eventIds: string[]): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    for (const eventId of eventIds) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `*${eventId}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}

async function runStore(store: StoreName, options: Options): Promise<CheckoutResult> {
  const label = STORE_LABELS[store];
  const cleanups: (() => Promise<void>)[] = [];
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    HOLD_RATE_LIMIT_PER_MINUTE: '10000000',
    PAYMENT_PROVIDER: 'fake',
    FAKE_GATEWAY_SECRET: GATEWAY_SECRET,
    JWT_SECRET,
  };
  let benchDatabase: string | undefined;
  let reopen: () => Promise<DatabaseHandle>;
  try {
    const setupStarted = performance.now();
    let prepared: Prepared;
    if (store === 'sql-pglite') {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-bench-checkout-'));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      const database = await openDatabase({ dataDir });
      try {
        prepared = await prepare(database, options, undefined);
      } finally {
        await database.close();
      }
      env.DATA_DIR = dataDir;
      reopen = () => openDatabase({ dataDir });
    } else {
      const created = await createPostgresDatabase(options.databaseUrl);
      cleanups.push(created.drop);
      benchDatabase = created.name;
      const database = await openDatabase({ databaseUrl: created.url, poolSize: 2 });
      try {
        prepared = await prepare(database, options, store === 'redis' ? options.redisUrl : undefined);
      } finally {
        await database.close();
      }
      env.DATABASE_URL = created.url;
      if (store === 'redis') {
        env.REDIS_URL = options.redisUrl;
        cleanups.push(() =>
          deleteRedisKeys(options.redisUrl, [prepared.flowEvent.eventId, prepared.webhookEvent.eventId]),
        );
      }
      reopen = () => openDatabase({ databaseUrl: created.url, poolSize: 2 });
    }
    console.log(
      `[${store}] data prepared in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; starting the server`,
    );
    const nodeFlags: string[] = [];
    if (options.profileDir) {
      fs.mkdirSync(options.profileDir, { recursive: true });
      nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
    }
    const server = await startServerProcess(env, { nodeFlags });
    let serverStopped = false;
    cleanups.push(async () => {
      if (!serverStopped) await server.stop();
    });
    const serverPid = server.child.pid ?? 0;
    const cpuGroups = new Map<number, string>([
      [process.pid, 'load generator'],
      [serverPid, 'boxoffice (tsx wrapper)'],
      ...childPids(serverPid).map((pid) => [pid, 'boxoffice server'] as [number, string]),
    ]);

    console.log(
      `[${store}] phase 1: ${options.connections} buyers, ${options.warmup} s warm-up + ${options.duration} s measured`,
    );
    const flow = await runFlow(server, prepared, options, cpuGroups, benchDatabase);
    console.log(
      `[${store}] ${flow.confirmed} orders confirmed end to end (${flow.ordersPerSecond.toFixed(0)}/s), p99 ${flow.p99.toFixed(0)} ms`,
    );
    console.log(
      `[${store}] phase 2: ${options.webhooks} paid orders, webhooks from ${options.webhookConnections} connections`,
    );
    const webhooks = await runWebhooks(server, prepared, options, cpuGroups, benchDatabase);
    console.log(
      `[${store}] ${webhooks.processed} callbacks processed in ${webhooks.seconds.toFixed(1)} s ` +
        `(${webhooks.processedPerSecond.toFixed(0)}/s; ${webhooks.retries503} answered 503 and redelivered)`,
    );
    console.log(`[${store}] cores, phase 1: ${JSON.stringify(flow.cores)}; phase 2: ${JSON.stringify(webhooks.cores)}`);
    console.log(`[${store}] steps p50/p99: ${JSON.stringify(flow.steps)}`);
    const warnings = server
      .output()
      .split('\n')
      .filter((line) => /"level":(5|6)0/.test(line));
    if (warnings.length > 0)
      console.log(`[${store}] the server logged ${warnings.length} errors; first: ${warnings[0]}`);
    await server.stop();
    serverStopped = true;
    webhooks.checks = await checkDatabase(await reopen(), prepared);
    console.log(`[${store}] check: ${webhooks.checks.join('; ')}`);
    return { store, ...label, flow, webhooks };
  } catch (error) {
    console.error(`[${store}] failed:`, error instanceof Error ? error.message : error);
    return { store, ...label, failed: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => console.error(`[${store}] cleanup failed:`, error));
    }
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const machine = await describeMachine(
    options.stores.some((s) => s !== 'sql-pglite') ? options.databaseUrl : undefined,
    options.stores.includes('redis') ? options.redisUrl : undefined,
  );
  const loadBefore = os.loadavg()[0]!;
  console.log(
    `Machine: ${machine.cores} cores (${machine.cpuModel}), ${machine.memoryGiB} GiB, node ${machine.node}, ` +
      `PostgreSQL ${machine.postgres ?? 'n/a'}, Redis ${machine.redis ?? 'n/a'}; load average ${loadBefore.toFixed(2)}`,
  );
  const startedAt = new Date();
  const results: CheckoutResult[] = [];
  for (const store of options.stores) results.push(await runStore(store, options));
  console.table(
    results.map((r) =>
      'failed' in r
        ? { store: r.store, result: `FAILED: ${r.failed}` }
        : {
            store: r.store,
            'orders/s': Math.round(r.flow.ordersPerSecond),
            'order p50/p95/p99 ms': `${r.flow.p50.toFixed(0)}/${r.flow.p95.toFixed(0)}/${r.flow.p99.toFixed(0)}`,
            'flow errors': Object.values(r.flow.errors).reduce((a, b) => a + b, 0),
            'webhooks processed/s': Math.round(r.webhooks.processedPerSecond),
            'webhook p50/p95/p99 ms': `${r.webhooks.p50.toFixed(0)}/${r.webhooks.p95.toFixed(0)}/${r.webhooks.p99.toFixed(0)}`,
            '503 retried': r.webhooks.retries503,
          },
    ),
  );
  const run: CheckoutRun = {
    date: startedAt,
    command:
      `npm run bench:checkout -- --duration ${options.duration} --warmup ${options.warmup} --connections ${options.connections} ` +
      `--webhooks ${options.webhooks} --webhook-connections ${options.webhookConnections} --duplicates ${options.duplicateShare} ` +
      `--stores ${options.stores.join(',')}`,
    options: {
      duration: options.duration,
      warmup: options.warmup,
      connections: options.connections,
      webhooks: options.webhooks,
      webhookConnections: options.webhookConnections,
      duplicateShare: options.duplicateShare,
      seats: options.seats,
    },
    loadAverageBefore: loadBefore,
    machine,
    results,
  };
  if (options.writeDocs) {
    const file = writeCheckoutSection(path.join(REPO_ROOT, 'docs', 'benchmarks.md'), run);
    console.log(`Wrote the figures to ${path.relative(REPO_ROOT, file)}`);
  }
  if (results.every((r) => 'failed' in r)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
