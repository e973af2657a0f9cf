/**
 * `npm run bench:gtfs` — a benchmark, not a test. Imports the whole Indian Railways GTFS feed
 * (../shared/data/gtfs-indian-railways: 10,503 trains, 8,527 stations, 204,586 stop times) for a 7-day
 * range into a fresh database, on PostgreSQL and on embedded PGlite, timing each phase; re-imports it
 * unchanged; then starts a real Boxoffice server on that database and measures GET /api/trips?from=&to=&date=
 * over HTTP for station pairs drawn from the timetable. Figures and machine go into docs/benchmarks.md.
 *
 *   npm run bench:gtfs -- --stores pg,pglite --duration 20 --connections 4
 *
 * The feed's calendar is valid 2025-12-21 … 2026-01-21. So that the searched trips lie in the future (search
 * shows only trips yet to leave), a copy of the feed is used whose calendar.txt dates are moved forward by
 * whole weeks (weekdays unchanged); every other file is byte for byte the published one.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { Pool } from 'undici';
import type { Principal } from '../src/auth/principal.js';
import { openDatabase, type DatabaseHandle } from '../src/db/client.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { addDays, localDateOf } from '../src/shared/time.js';
import { readFeedPath, readFeedZip } from '../src/transport/gtfs/gtfs-archive.js';
import { importGtfsFeed, type GtfsImportResult } from '../src/transport/gtfs/gtfs-import.service.js';
import { ProblemLog } from '../src/transport/gtfs/gtfs-problems.js';
import { writeMarkedSection } from './lib/benchmarks-doc.js';
import { LatencyRecorder } from './lib/latency.js';
import { describeMachine, type MachineInfo } from './lib/machine.js';
import { REPO_ROOT, startServerProcess } from './lib/server-process.js';

const STORES = ['pg', 'pglite'] as const;
type Store = (typeof STORES)[number];
const LABEL: Record<Store, string> = { pg: 'PostgreSQL', pglite: 'PGlite (embedded)' };
const FEED_ZIP = path.resolve(REPO_ROOT, '../shared/data/gtfs-indian-railways/indianrailways-gtfs-2025-12-21.zip');
const IMPORT_TARGET_SECONDS = 60;
const SEARCH_TARGET_P95_MS = 50;

interface Options {
  stores: Store[];
  duration: number;
  connections: number;
  days: number;
  databaseUrl: string;
  writeDocs: boolean;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      stores: { type: 'string', default: STORES.join(',') },
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '4' },
      days: { type: 'string', default: '7' },
      'no-docs': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm run bench:gtfs -- [--stores pg,pglite] [--duration 20] [--connections 4] [--days 7] [--no-docs]\n\n' +
        'DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) is where a fresh bo_bench_gtfs_* database\n' +
        'is created and dropped; PGlite uses a temporary data folder.',
    );
    process.exit(0);
  }
  const stores = values.stores.split(',').map((s) => s.trim()) as Store[];
  for (const store of stores) if (!STORES.includes(store)) throw new Error(`--stores: unknown store "${store}"`);
  const whole = (name: string, raw: string, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be 1–${max}, got "${raw}"`);
    return n;
  };
  return {
    stores,
    duration: whole('duration', values.duration, 3600),
    connections: whole('connections', values.connections, 256),
    days: whole('days', values.days, 31),
    databaseUrl: process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/postgres',
    writeDocs: !values['no-docs'],
  };
}

/** The published feed with calendar.txt moved forward by whole weeks so that `from` falls in its range. */
function redatedFeed(from: string, dir: string): { folder: string; weeks: number } {
  const log = new ProblemLog();
  const files = readFeedZip(fs.readFileSync(FEED_ZIP), log)!;
  const calendar = new TextDecoder().decode(files.get('calendar.txt'));
  const start = '2025-12-21';
  // Whole weeks keep every weekday; the moved calendar starts at most 6 days before `from` and runs 31 days.
  const weeks = Math.max(
    0,
    Math.floor((Date.parse(`${from}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / (7 * 86_400_000)),
  );
  const shift = (yyyymmdd: string) =>
    addDays(`${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`, weeks * 7).replaceAll('-', '');
  const moved = calendar.replace(
    /,(\d{8}),(\d{8})(\r?\n|$)/g,
    (_, a: string, b: string, end: string) => `,${shift(a)},${shift(b)}${end}`,
  );
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) fs.writeFileSync(path.join(dir, name), name === 'calendar.txt' ? moved : bytes);
  return { folder: dir, weeks };
}

interface ImportFigures {
  seconds: number;
  phases: Record<string, number>;
  result: GtfsImportResult;
}

async function timedImport(
  database: DatabaseHandle,
  organizerId: string,
  folder: string,
  from: string,
  to: string,
): Promise<ImportFigures> {
  const principal: Principal = { userId: 'bench', role: 'admin', organizerId: null };
  const started = performance.now();
  const phases: Record<string, number> = {};
  let phase = 'reading';
  let phaseStart = started;
  const log = new ProblemLog();
  const files = readFeedPath(folder, log);
  const result = await importGtfsFeed(database.db, principal, files, log, { organizerId, from, to }, (progress) => {
    if (progress.phase === phase) return;
    const now = performance.now();
    phases[phase] = (now - phaseStart) / 1000;
    phase = progress.phase;
    phaseStart = now;
  });
  phases[phase] = (performance.now() - phaseStart) / 1000;
  return { seconds: (performance.now() - started) / 1000, phases, result };
}

interface SearchQuery {
  from: string;
  to: string;
  date: string;
}

/** Station pairs of real trips in range: a random boarding call and a later alighting call of a random trip. */
async function sampleQueries(database: DatabaseHandle, organizerId: string, count: number): Promise<SearchQuery[]> {
  const { rows } = await sql<{ from_id: string; to_id: string; date: string }>`
    SELECT f.stop_id AS from_id, t.stop_id AS to_id,
           to_char(f.departs_at AT TIME ZONE s.timezone, 'YYYY-MM-DD') AS date
      FROM (SELECT id FROM trips WHERE organizer_id = ${organizerId} AND departs_at > now() ORDER BY md5(id) LIMIT ${count}) tr
      JOIN LATERAL (SELECT * FROM trip_stops WHERE trip_id = tr.id ORDER BY md5(stop_index::text || tr.id) LIMIT 1) f ON true
      JOIN LATERAL (SELECT * FROM trip_stops WHERE trip_id = tr.id AND stop_index > f.stop_index ORDER BY md5(stop_index::text || tr.id) LIMIT 1) t ON true
      JOIN stops s ON s.id = f.stop_id`.execute(database.db);
  return rows.map((row) => ({ from: row.from_id, to: row.to_id, date: row.date }));
}

/** The busiest boarding station and its most frequent destination: the worst case of one search. */
async function busiestPair(
  database: DatabaseHandle,
  organizerId: string,
  date: string,
): Promise<SearchQuery & { names: string }> {
  const { rows } = await sql<{ from_id: string; to_id: string; names: string }>`
    WITH busiest AS (
      SELECT ts.stop_id, count(*) FROM trip_stops ts JOIN trips tr ON tr.id = ts.trip_id
       WHERE tr.organizer_id = ${organizerId} GROUP BY 1 ORDER BY 2 DESC LIMIT 1)
    SELECT b.stop_id AS from_id, t.stop_id AS to_id, fs.code || ' → ' || tos.code AS names
      FROM busiest b JOIN trip_stops f ON f.stop_id = b.stop_id
      JOIN trip_stops t ON t.trip_id = f.trip_id AND t.stop_index > f.stop_index
      JOIN stops fs ON fs.id = b.stop_id JOIN stops tos ON tos.id = t.stop_id
     GROUP BY 1, 2, 3 ORDER BY count(*) DESC LIMIT 1`.execute(database.db);
  return { from: rows[0]!.from_id, to: rows[0]!.to_id, date, names: rows[0]!.names };
}

/** EXPLAIN ANALYZE of the search's candidate query (as trip-search.repository.ts builds it) for one pair. */
async function explainSearch(database: DatabaseHandle, query: SearchQuery): Promise<{ ms: number; plan: string[] }> {
  const { rows } = await sql<{ 'QUERY PLAN': string }>`
    EXPLAIN (ANALYZE, COSTS OFF)
    WITH calls AS MATERIALIZED (
      SELECT f.trip_id, f.stop_index AS from_index, t.stop_index AS to_index, f.departs_at, t.arrives_at
        FROM trip_stops f JOIN trip_stops t ON t.trip_id = f.trip_id AND t.stop_index > f.stop_index
       WHERE f.stop_id = ${query.from} AND t.stop_id = ${query.to}
         AND f.departs_at >= (${query.date}::date::timestamp AT TIME ZONE 'Asia/Kolkata')
         AND f.departs_at < ((${query.date}::date + 1)::timestamp AT TIME ZONE 'Asia/Kolkata')
         AND f.departs_at > now())
    SELECT * FROM (
      SELECT DISTINCT ON (c.trip_id) c.trip_id, tr.route_id, r.name, r.mode, l.vehicle_type, tr.layout_id, o.currency,
             c.from_index, c.to_index, c.departs_at, c.arrives_at
        FROM calls c JOIN trips tr ON tr.id = c.trip_id JOIN routes r ON r.id = tr.route_id
        JOIN seat_layouts l ON l.id = tr.layout_id JOIN organizers o ON o.id = tr.organizer_id
       WHERE tr.status = 'scheduled'
       ORDER BY c.trip_id, c.from_index, c.to_index) c
    ORDER BY c.departs_at, c.trip_id LIMIT 200`.execute(database.db);
  const plan = rows.map((row) => row['QUERY PLAN']);
  const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1] ?? Number.NaN);
  const scans = plan
    .map((line) =>
      /(Index Scan|Index Only Scan|Bitmap Index Scan|Seq Scan|CTE Scan) (?:using (\S+) )?on (\S+)/.exec(line),
    )
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `${m[1]}${m[2] ? ` ${m[2]}` : ''} on ${m[3]}`);
  return { ms, plan: [...new Set(scans)] };
}

interface SearchFigures {
  requests: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  averageResults: number;
  busiest: { names: string; ms: number; results: number };
  explain: { ms: number; plan: string[] };
}

async function driveSearch(
  url: string,
  queries: SearchQuery[],
  busiest: SearchQuery,
  options: Options,
): Promise<Omit<SearchFigures, 'busiest' | 'explain'> & { busiestMs: number; busiestResults: number }> {
  const pool = new Pool(url, { connections: options.connections, pipelining: 1 });
  const get = async (query: SearchQuery) => {
    const started = performance.now();
    const response = await pool.request({
      method: 'GET',
      path: `/api/trips?from=${query.from}&to=${query.to}&date=${query.date}`,
    });
    const body = (await response.body.json()) as { items?: unknown[] };
    return { ms: performance.now() - started, status: response.statusCode, results: body.items?.length ?? 0 };
  };
  // Warm-up: every query once (caches of seat maps, plans), not measured.
  for (let i = 0; i < queries.length; i += options.connections) {
    await Promise.all(queries.slice(i, i + options.connections).map(get));
  }
  const latency = new LatencyRecorder();
  let errors = 0;
  let results = 0;
  let cursor = 0;
  const deadline = performance.now() + options.duration * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.connections }, async () => {
      while (performance.now() < deadline) {
        const answer = await get(queries[cursor++ % queries.length]!);
        if (answer.status !== 200) errors++;
        latency.record(answer.ms);
        results += answer.results;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const busiestRuns: number[] = [];
  let busiestResults = 0;
  for (let i = 0; i < 20; i++) {
    const answer = await get(busiest);
    busiestRuns.push(answer.ms);
    busiestResults = answer.results;
  }
  await pool.close();
  const [p50, p95, p99] = latency.percentiles([50, 95, 99]);
  busiestRuns.sort((a, b) => a - b);
  return {
    requests: latency.count,
    seconds,
    p50: p50!,
    p95: p95!,
    p99: p99!,
    max: latency.max(),
    errors,
    averageResults: results / Math.max(1, latency.count),
    busiestMs: busiestRuns[Math.floor(busiestRuns.length / 2)]!,
    busiestResults,
  };
}

interface StoreRun {
  store: Store;
  import?: ImportFigures;
  reimport?: ImportFigures;
  search?: SearchFigures;
  failed?: string;
}

async function runStore(
  store: Store,
  options: Options,
  feedFolder: string,
  from: string,
  to: string,
): Promise<StoreRun> {
  const benchDb = `bo_bench_gtfs_${randomBytes(4).toString('hex')}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-bench-gtfs-'));
  let databaseUrl: string | undefined;
  if (store === 'pg') {
    const admin = new pg.Client({ connectionString: options.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${benchDb}`);
    await admin.end();
    const url = new URL(options.databaseUrl);
    url.pathname = `/${benchDb}`;
    databaseUrl = url.toString();
  }
  const run: StoreRun = { store };
  try {
    let database = await openDatabase({ databaseUrl, dataDir: databaseUrl ? undefined : dataDir });
    await migrateToLatest(database.db);
    const organizerId = 'org_benchgtfs01';
    await database.db
      .insertInto('organizers')
      .values({
        id: organizerId,
        name: 'Indian Railways (bench)',
        slug: 'ir-bench',
        currency: 'INR',
        timezone: 'Asia/Kolkata',
      })
      .execute();
    console.log(`[${store}] importing ${from} … ${to}`);
    run.import = await timedImport(database, organizerId, feedFolder, from, to);
    console.log(`[${store}] import ${run.import.seconds.toFixed(1)} s`, run.import.phases, run.import.result.trips);
    run.reimport = await timedImport(database, organizerId, feedFolder, from, to);
    console.log(`[${store}] re-import ${run.reimport.seconds.toFixed(1)} s`, run.reimport.result.trips);
    const queries = await sampleQueries(database, organizerId, 500);
    const busiest = await busiestPair(database, organizerId, addDays(from, 1));
    const explain = await explainSearch(database, busiest);
    console.log(`[${store}] EXPLAIN busiest ${busiest.names}: ${explain.ms} ms`, explain.plan);
    if (!databaseUrl) {
      await database.close(); // one process per data folder: the server takes it over
    }
    const server = await startServerProcess({
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir }),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
    });
    try {
      const figures = await driveSearch(server.url, queries, busiest, options);
      run.search = {
        ...figures,
        busiest: { names: busiest.names, ms: figures.busiestMs, results: figures.busiestResults },
        explain,
      };
      console.log(
        `[${store}] search p50 ${figures.p50.toFixed(1)} p95 ${figures.p95.toFixed(1)} ms, ${figures.requests} requests`,
      );
    } finally {
      await server.stop();
    }
    if (databaseUrl) await database.close();
    else database = undefined as never;
  } catch (error) {
    run.failed = error instanceof Error ? error.message : String(error);
    console.error(`[${store}] failed:`, error);
  } finally {
    if (store === 'pg') {
      const admin = new pg.Client({ connectionString: options.databaseUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
      await admin.end();
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return run;
}

const f = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function render(
  runs: StoreRun[],
  machine: MachineInfo,
  meta: { date: Date; command: string; load: number[]; from: string; to: string; weeks: number },
): string {
  const lines = [
    '## GTFS import and trip search (`npm run bench:gtfs`)',
    '',
    `- **Date:** ${meta.date.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- **Command:** \`${meta.command}\``,
    `- **Machine:** ${machine.cores} cores (\`nproc\`), ${machine.cpuModel}, ${machine.memoryGiB} GiB memory, ${machine.os}; ` +
      `Node ${machine.node}; PostgreSQL ${machine.postgres ?? 'not used'}; PGlite ${machine.pglite}. ` +
      `Load average before the run: ${meta.load.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min) — the machine is shared, read figures as ratios within this run.`,
    `- **Feed:** the whole Indian Railways GTFS (10,503 trains, 8,527 stations, 204,586 stop times), service dates ` +
      `${meta.from} … ${meta.to} (Asia/Kolkata). Its calendar.txt was moved forward by ${meta.weeks} whole weeks so the trips lie ` +
      'in the future (search shows only trips yet to leave); all other files are the published ones.',
    '- **Import:** in-process `importGtfsFeed` (what the CLI and the upload run, ANALYZE of the tables at its end included) into a fresh, migrated database; ' +
      'then the same feed again (nothing changes). Phases: reading + validating the zip, planning, writing (one transaction).',
    '- **Search:** a real Boxoffice server (`src/main.ts serve`) on that database; `GET /api/trips?from=&to=&date=` for 500 ' +
      'station pairs of real trips (a random call and a later call of a random trip), each query once as warm-up, then ' +
      'round-robin from keep-alive connections for the measured time.',
    '',
    '| database | import s | validate s | plan s | write s | trips | stop times | re-import s | target import < 60 s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const run of runs) {
    if (!run.import || !run.reimport) {
      lines.push(`| ${LABEL[run.store]} | — | — | — | — | — | — | — | run failed: ${run.failed ?? 'unknown'} |`);
      continue;
    }
    const p = run.import.phases;
    lines.push(
      `| ${LABEL[run.store]} | **${f(run.import.seconds)}** | ${f((p.reading ?? 0) + (p.validating ?? 0))} | ${f(p.planning ?? 0)} | ${f(p.writing ?? 0)} | ` +
        `${run.import.result.trips.created.toLocaleString('en-US')} | ${run.import.result.stopTimesWritten.toLocaleString('en-US')} | ` +
        `${f(run.reimport.seconds)} | ${run.import.seconds < IMPORT_TARGET_SECONDS ? 'met' : 'missed'} |`,
    );
  }
  lines.push(
    '',
    '| database | searches | connections | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | trips per answer | busiest pair (median of 20) | target p95 ≤ 50 ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
  );
  for (const run of runs) {
    const s = run.search;
    if (!s) {
      lines.push(
        `| ${LABEL[run.store]} | — | — | — | — | — | — | — | — | — | — | run failed: ${run.failed ?? 'unknown'} |`,
      );
      continue;
    }
    lines.push(
      `| ${LABEL[run.store]} | ${s.requests.toLocaleString('en-US')} | ${optionsConnections} | ${f(s.requests / s.seconds, 0)} | ` +
        `${f(s.p50)} | **${f(s.p95)}** | ${f(s.p99)} | ${f(s.max)} | ${s.errors} | ${f(s.averageResults)} | ` +
        `${s.busiest.names}: ${f(s.busiest.ms)} ms, ${s.busiest.results} trips | ${s.p95 <= SEARCH_TARGET_P95_MS ? 'met' : 'missed'} |`,
    );
  }
  lines.push(
    '',
    'EXPLAIN ANALYZE of the search query for the busiest pair (the day after the first imported date):',
    '',
  );
  for (const run of runs) {
    if (!run.search) continue;
    lines.push(`- ${LABEL[run.store]}: ${f(run.search.explain.ms, 2)} ms; ${run.search.explain.plan.join(', ')}`);
  }
  return lines.join('\n');
}

let optionsConnections = 0;

async function main(): Promise<void> {
  const options = parseOptions();
  optionsConnections = options.connections;
  if (!fs.existsSync(FEED_ZIP)) {
    console.error(`bench:gtfs: ${FEED_ZIP} is absent (the shared data folder is not here); nothing to measure`);
    process.exit(1);
  }
  const load = os.loadavg();
  const from = addDays(localDateOf(new Date(), 'Asia/Kolkata'), 1);
  const to = addDays(from, options.days - 1);
  const feedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-bench-gtfs-feed-'));
  const { folder, weeks } = redatedFeed(from, feedDir);
  const runs: StoreRun[] = [];
  try {
    for (const store of options.stores) runs.push(await runStore(store, options, folder, from, to));
  } finally {
    fs.rmSync(feedDir, { recursive: true, force: true });
  }
  const machine = await describeMachine(options.stores.includes('pg') ? options.databaseUrl : undefined);
  const body = render(runs, machine, {
    date: new Date(),
    command: `npm run bench:gtfs -- --stores ${options.stores.join(',')} --duration ${options.duration} --connections ${options.connections} --days ${options.days}`,
    load,
    from,
    to,
    weeks,
  });
  console.log(`\n${body}\n`);
  if (options.writeDocs)
    console.log(`Wrote ${writeMarkedSection(path.join(REPO_ROOT, 'docs', 'benchmarks.md'), 'gtfs', body)}`);
  if (runs.some((run) => run.failed)) process.exitCode = 1;
}

await main();
