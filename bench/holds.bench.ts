/**
 * `npm run bench:holds` — a benchmark, not a test. For each hold store it starts a real Boxoffice server
 * as a child process (tsx, src/main.ts serve), creates a 40,000-seat stadium event straight in the
 * database, then drives POST /api/holds over HTTP from 256 keep-alive connections for a fixed time and
 * reports holds/s, requests/s, latency percentiles and errors. The figures and the machine go into
 * docs/benchmarks.md.
 *
 *   npm run bench:holds -- --duration 20 --warmup 3 --connections 256 --stores sql-pg,redis,sql-pglite
 *
 * Holds on the bench event live 1 s (its per-event TTL), so the 40,000 seats are walked round again and
 * again: each request takes the next 1–4 seats, a full lap takes longer than the TTL, so those requests
 * succeed. Every 10th request deliberately overlaps a hold granted a moment ago and must get 409.
 * Only 127.0.0.1 is contacted; every loop is bounded by time.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Pool } from 'undici';
import { openDatabase, type DatabaseHandle } from '../src/db/client.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createBenchEvent, type BenchEvent } from './lib/bench-event.js';
import { writeBenchmarkSection, type BenchRun, type StoreResult } from './lib/benchmarks-doc.js';
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

interface Options {
  duration: number;
  warmup: number;
  connections: number;
  stores: StoreName[];
  seats: number;
  holdTtlSeconds: number;
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
      connections: { type: 'string', default: '256' },
      stores: { type: 'string', default: STORES.join(',') },
      seats: { type: 'string', default: '40000' },
      'no-docs': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(
      'Usage: npm run bench:holds -- [--duration 20] [--warmup 3] [--connections 256] [--seats 40000]\n' +
        '                            [--stores sql-pg,redis,sql-pglite] [--no-docs] [--profile]\n\n' +
        'DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is where a fresh bo_bench_* database\n' +
        'is created and dropped; REDIS_URL (default redis://127.0.0.1:6379) serves the Redis hold store.\n' +
        '--profile writes V8 CPU profiles of the server to .bench/profiles/ (see bench/cpuprofile-summary.ts).',
    );
    process.exit(0);
  }
  const positive = (name: string, raw: string, max: number): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1 || value > max) {
      throw new Error(`--${name} must be a whole number between 1 and ${max}, got "${raw}"`);
    }
    return value;
  };
  const stores = values.stores.split(',').map((s) => s.trim()) as StoreName[];
  for (const store of stores) {
    if (!STORES.includes(store)) throw new Error(`--stores: unknown store "${store}" (known: ${STORES.join(', ')})`);
  }
  return {
    duration: positive('duration', values.duration, 3600),
    warmup: Number(values.warmup) === 0 ? 0 : positive('warmup', values.warmup, 600),
    connections: positive('connections', values.connections, 4096),
    stores,
    seats: positive('seats', values.seats, 200_000),
    holdTtlSeconds: 1,
    databaseUrl: process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: process.env.REDIS_URL?.trim() || 'redis://127.0.0.1:6379',
    writeDocs: !values['no-docs'],
    profileDir: values.profile ? path.join(REPO_ROOT, '.bench', 'profiles') : undefined,
  };
}

// ── Load ────────────────────────────────────────────────────────────────────────────────────────────────

interface Measurement {
  seconds: number;
  requests: number;
  holds: number;
  latency: LatencyRecorder;
  conflictRequests: number;
  expectedConflicts: number;
  unexpectedConflicts: number;
  conflictRequestsGranted: number;
  errors: Map<string, number>;
  laps: number;
  cores: Map<string, number>;
}

/** A small fast PRNG (xorshift32) so runs are repeatable and cheap. */
function xorshift(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
}

async function driveHolds(
  server: ServerProcess,
  event: BenchEvent,
  options: Options,
  benchDatabase: string | undefined,
): Promise<Measurement> {
  const pool = new Pool(server.url, {
    connections: options.connections,
    pipelining: 1,
    keepAliveTimeout: 60_000,
    headersTimeout: 30_000,
    bodyTimeout: 30_000,
  });
  // One request first, alone: it loads the event and its 40,000-seat index into the server's caches,
  // as on a server that has been selling for a while. (It names an unknown seat, so it holds nothing.)
  const prime = await pool.request({
    method: 'POST',
    path: '/api/holds',
    headers: { 'content-type': 'application/json', 'x-session-id': 'bench-session-prime' },
    body: JSON.stringify({ eventId: event.eventId, seatIds: ['st_not_a_seat'] }),
  });
  const primeAnswer = await prime.body.text();
  if (prime.statusCode !== 400 || !primeAnswer.includes('inventory.seat_unknown')) {
    throw new Error(`The priming request answered ${prime.statusCode}: ${primeAnswer.slice(0, 300)}`);
  }

  // Open every keep-alive connection before the clock starts, as on a server that has been serving a
  // while: the figures are about holds, not about 256 TCP handshakes at once.
  const connectStarted = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      const response = await pool.request({ method: 'GET', path: '/healthz' });
      await response.body.dump();
    }),
  );
  console.log(`[connections] ${options.connections} opened in ${(performance.now() - connectStarted).toFixed(0)} ms`);

  const random = xorshift(0x5eed);
  const seatIds = event.seatIds;
  const body = (ids: readonly string[]) => JSON.stringify({ eventId: event.eventId, seatIds: ids });

  // Recently granted holds, for the deliberate conflicts: a ring of (first seat, time granted).
  const RING = 1024;
  const grantedSeat: string[] = new Array<string>(RING).fill('');
  const grantedAt = new Float64Array(RING);
  let grantedNext = 0;
  let cursor = 0;
  let laps = 0;
  let sequence = 0;

  const runStart = performance.now();
  let slowest = { ms: 0, startedAt: 0, status: 0, code: '' };
  const measureFrom = runStart + options.warmup * 1000;
  const measureUntil = measureFrom + options.duration * 1000;
  const latency = new LatencyRecorder();
  const errors = new Map<string, number>();
  let requests = 0;
  let holds = 0;
  let conflictRequests = 0;
  let expectedConflicts = 0;
  let unexpectedConflicts = 0;
  let conflictRequestsGranted = 0;
  const count = (key: string) => errors.set(key, (errors.get(key) ?? 0) + 1);

  const takeFreshSeats = (n: number): string[] => {
    if (cursor + n > seatIds.length) {
      cursor = 0;
      laps++;
    }
    const ids = seatIds.slice(cursor, cursor + n);
    cursor += n;
    return ids;
  };

  /** A hold granted in the last 400 ms (well within its 1 s life), or undefined. */
  const recentGrant = (now: number): string | undefined => {
    for (let back = 1; back <= 32; back++) {
      const slot = (grantedNext - back + RING) % RING;
      if (grantedSeat[slot] && now - grantedAt[slot]! < 400) return grantedSeat[slot];
    }
    return undefined;
  };

  // CPU per process group, sampled by timers exactly at the start and the end of the measured window.
  const serverPid = server.child.pid ?? 0;
  const cpuGroups = new Map<number, string>([
    [process.pid, 'load generator'],
    [serverPid, 'boxoffice (tsx wrapper)'],
    ...childPids(serverPid).map((pid) => [pid, 'boxoffice server'] as [number, string]),
  ]);
  let cpuBefore = new Map<string, number>();
  let cpuAfter = new Map<string, number>();
  const cpuTimers = [
    setTimeout(() => (cpuBefore = sampleCpu(cpuGroups, benchDatabase)), Math.max(0, measureFrom - performance.now())),
    setTimeout(() => (cpuAfter = sampleCpu(cpuGroups, benchDatabase)), Math.max(0, measureUntil - performance.now())),
  ];

  const worker = async (index: number) => {
    const session = `bench-session-${String(index).padStart(5, '0')}`;
    const headers = { 'content-type': 'application/json', 'x-session-id': session };
    while (performance.now() < measureUntil) {
      const n = sequence++;
      const size = 1 + (random() % 4);
      let ids: string[];
      let deliberate = false;
      const taken = n % 10 === 9 ? recentGrant(performance.now()) : undefined;
      if (taken) {
        // Overlap one seat of a live hold with fresh seats: all or nothing, so none of them may be held.
        deliberate = true;
        ids = [taken, ...takeFreshSeats(size - 1)];
      } else {
        ids = takeFreshSeats(size);
      }
      const started = performance.now();
      let status = 0;
      let code = '';
      try {
        const response = await pool.request({ method: 'POST', path: '/api/holds', headers, body: body(ids) });
        status = response.statusCode;
        if (status === 201) {
          await response.body.dump();
        } else {
          const text = await response.body.text();
          try {
            code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
          } catch {
            code = 'non-json body';
          }
        }
      } catch (error) {
        code = (error as { code?: string }).code ?? (error as Error).name;
      }
      const finished = performance.now();
      if (status === 201) {
        const slot = grantedNext;
        grantedSeat[slot] = ids[0]!;
        grantedAt[slot] = finished;
        grantedNext = (slot + 1) % RING;
      }
      if (finished < measureFrom || finished > measureUntil) continue;

      requests++;
      latency.record(finished - started);
      if (finished - started > slowest.ms) {
        slowest = { ms: finished - started, startedAt: (started - runStart) / 1000, status, code };
      }
      if (deliberate) conflictRequests++;
      if (status === 201) {
        holds++;
        if (deliberate) conflictRequestsGranted++;
      } else if (status === 409 && code === 'inventory.seat_unavailable') {
        if (deliberate) expectedConflicts++;
        else unexpectedConflicts++;
      } else {
        count(status ? `${status} ${code}` : `network ${code}`);
      }
    }
  };

  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  for (const timer of cpuTimers) clearTimeout(timer);
  console.log(
    `[slowest request] ${slowest.ms.toFixed(0)} ms, sent ${slowest.startedAt.toFixed(2)} s after the load began, ` +
      `answered ${slowest.status} ${slowest.code}`,
  );
  await pool.close();
  return {
    seconds: options.duration,
    requests,
    holds,
    latency,
    conflictRequests,
    expectedConflicts,
    unexpectedConflicts,
    conflictRequestsGranted,
    errors,
    laps,
    cores: coresUsed(cpuBefore, cpuAfter, options.duration),
  };
}

// ── Setup per store ─────────────────────────────────────────────────────────────────────────────────────

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

async function prepareEvent(database: DatabaseHandle, options: Options): Promise<BenchEvent> {
  try {
    await migrateToLatest(database.db);
    return await createBenchEvent(database.db, options.seats, options.holdTtlSeconds);
  } finally {
    await database.close();
  }
}

/** Deletes the Redis keys of the bench event (holds expire by themselves; this tidies the rest). */
async function deleteRedisKeys(redisUrl: string, eventId: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `*${eventId}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

async function runStore(store: StoreName, options: Options): Promise<StoreResult> {
  const label = STORE_LABELS[store];
  const cleanups: (() => Promise<void>)[] = [];
  const env: Record<string, string> = {
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    // The bench is one client from one address; the per-client limit would stop it after 120 holds.
    HOLD_RATE_LIMIT_PER_MINUTE: '10000000',
  };
  const nodeFlags: string[] = [];
  if (options.profileDir) {
    fs.mkdirSync(options.profileDir, { recursive: true });
    nodeFlags.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  let benchDatabase: string | undefined;
  try {
    let event: BenchEvent;
    const setupStarted = performance.now();
    if (store === 'sql-pglite') {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-bench-pglite-'));
      cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
      // The data folder admits one process at a time: fill it, close it, then start the server on it.
      event = await prepareEvent(await openDatabase({ dataDir }), options);
      env.DATA_DIR = dataDir;
    } else {
      const database = await createPostgresDatabase(options.databaseUrl);
      cleanups.push(database.drop);
      benchDatabase = database.name;
      event = await prepareEvent(await openDatabase({ databaseUrl: database.url, poolSize: 2 }), options);
      env.DATABASE_URL = database.url;
      if (store === 'redis') {
        env.REDIS_URL = options.redisUrl;
        cleanups.push(() => deleteRedisKeys(options.redisUrl, event.eventId));
      }
    }
    console.log(
      `[${store}] ${event.seatIds.length} seats created in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s; starting the server`,
    );
    const server = await startServerProcess(env, { nodeFlags });
    cleanups.push(() => server.stop());
    console.log(
      `[${store}] ${server.url} ready; ${options.warmup} s warm-up + ${options.duration} s measured, ${options.connections} connections`,
    );
    const m = await driveHolds(server, event, options, benchDatabase);
    const [p50, p95, p99] = m.latency.percentiles([50, 95, 99]);
    const serverLog = server
      .output()
      .split('\n')
      .filter((line) => /"level":(4|5|6)0/.test(line));
    if (serverLog.length > 0) {
      console.log(`[${store}] the server logged ${serverLog.length} warnings/errors; first: ${serverLog[0]}`);
    }
    return {
      store,
      ...label,
      seconds: m.seconds,
      requests: m.requests,
      holds: m.holds,
      holdsPerSecond: m.holds / m.seconds,
      requestsPerSecond: m.requests / m.seconds,
      p50: p50!,
      p95: p95!,
      p99: p99!,
      max: m.latency.max(),
      conflictRequests: m.conflictRequests,
      expectedConflicts: m.expectedConflicts,
      unexpectedConflicts: m.unexpectedConflicts,
      conflictRequestsGranted: m.conflictRequestsGranted,
      errors: Object.fromEntries([...m.errors].sort((a, b) => b[1] - a[1])),
      laps: m.laps,
      cores: Object.fromEntries([...m.cores].sort((a, b) => b[1] - a[1])),
    };
  } catch (error) {
    console.error(`[${store}] failed:`, error instanceof Error ? error.message : error);
    return { store, ...label, failed: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => console.error(`[${store}] cleanup failed:`, error));
    }
  }
}

// ── Report ──────────────────────────────────────────────────────────────────────────────────────────────

function printTable(results: StoreResult[]): void {
  const rows = results.map((r) =>
    'failed' in r
      ? { store: r.store, result: `FAILED: ${r.failed}` }
      : {
          store: r.store,
          'holds/s': Math.round(r.holdsPerSecond),
          'req/s': Math.round(r.requestsPerSecond),
          'p50 ms': r.p50.toFixed(1),
          'p95 ms': r.p95.toFixed(1),
          'p99 ms': r.p99.toFixed(1),
          'max ms': r.max.toFixed(1),
          '409 expected': r.expectedConflicts,
          '409 unexpected': r.unexpectedConflicts,
          'other errors': Object.values(r.errors).reduce((a, b) => a + b, 0),
        },
  );
  console.table(rows);
  for (const r of results) {
    if ('failed' in r) continue;
    if (Object.keys(r.errors).length > 0) console.log(`[${r.store}] errors:`, r.errors);
    console.log(
      `[${r.store}] cores used:`,
      Object.entries(r.cores)
        .map(([group, cores]) => `${group} ${cores.toFixed(2)}`)
        .join(', '),
    );
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
      `PostgreSQL ${machine.postgres ?? 'n/a'}, Redis ${machine.redis ?? 'n/a'}, PGlite ${machine.pglite}; ` +
      `load average ${loadBefore.toFixed(2)}`,
  );
  const startedAt = new Date();
  const results: StoreResult[] = [];
  for (const store of options.stores) results.push(await runStore(store, options));
  printTable(results);

  const run: BenchRun = {
    date: startedAt,
    command: `npm run bench:holds -- --duration ${options.duration} --warmup ${options.warmup} --connections ${options.connections} --stores ${options.stores.join(',')}`,
    seats: options.seats,
    connections: options.connections,
    duration: options.duration,
    warmup: options.warmup,
    holdTtlSeconds: options.holdTtlSeconds,
    loadAverageBefore: loadBefore,
    machine,
    results,
  };
  if (options.writeDocs) {
    const file = writeBenchmarkSection(path.join(REPO_ROOT, 'docs', 'benchmarks.md'), run);
    console.log(`Wrote the figures to ${path.relative(REPO_ROOT, file)}`);
  }
  if (options.profileDir) {
    console.log(
      `CPU profiles in ${path.relative(REPO_ROOT, options.profileDir)}/ — summarise the server's with ` +
        `\`npx tsx bench/cpuprofile-summary.ts <file>\` or open it in Chrome DevTools.`,
    );
  }
  if (results.every((r) => 'failed' in r)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
