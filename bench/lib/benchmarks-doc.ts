import fs from 'node:fs';
import { MACHINE_TOTAL } from './cpu-usage.js';
import type { MachineInfo } from './machine.js';

export interface StoreMeasurement {
  store: string;
  holdStore: string;
  database: string;
  seconds: number;
  requests: number;
  holds: number;
  holdsPerSecond: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Requests built to overlap a live hold, and how they were answered. */
  conflictRequests: number;
  expectedConflicts: number;
  conflictRequestsGranted: number;
  /** 409s on requests that should have been free (would mean seats were not recycled in time). */
  unexpectedConflicts: number;
  errors: Record<string, number>;
  laps: number;
  /** Cores used during the measured window, per process group. */
  cores: Record<string, number>;
}

export type StoreResult = StoreMeasurement | { store: string; holdStore: string; database: string; failed: string };

export interface BenchRun {
  date: Date;
  command: string;
  seats: number;
  connections: number;
  duration: number;
  warmup: number;
  holdTtlSeconds: number;
  loadAverageBefore: number;
  machine: MachineInfo;
  results: StoreResult[];
}

const START = '<!-- bench:holds:start (written by `npm run bench:holds`; edits inside are replaced) -->';
const END = '<!-- bench:holds:end -->';

const TARGETS: Record<string, { holdsPerSecond: number; p99: number } | undefined> = {
  redis: { holdsPerSecond: 10_000, p99: 20 },
  'sql-pg': { holdsPerSecond: 3_000, p99: 20 },
};

const HEADER = `# Benchmarks

Figures here are measured by the scripts in \`bench/\` on the machine they name; nothing is estimated.
Re-run a benchmark to replace its section.

`;

function format(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function targetCell(result: StoreMeasurement): string {
  const target = TARGETS[result.store];
  if (!target) return 'reference (no target)';
  const holdsOk = result.holdsPerSecond >= target.holdsPerSecond;
  const p99Ok = result.p99 <= target.p99;
  return (
    `≥ ${format(target.holdsPerSecond)} holds/s: ${holdsOk ? 'met' : 'missed'}; ` +
    `p99 ≤ ${target.p99} ms: ${p99Ok ? 'met' : 'missed'}`
  );
}

/** The Markdown section for one run. */
export function renderSection(run: BenchRun): string {
  const m = run.machine;
  const lines: string[] = [
    START,
    '## Seat holds over HTTP (`npm run bench:holds`)',
    '',
    `- **Date:** ${run.date.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- **Command:** \`${run.command}\``,
    `- **Machine:** ${m.cores} cores (\`nproc\`), ${m.cpuModel}, ${m.memoryGiB} GiB memory, ${m.os}; ` +
      `Node ${m.node}; PostgreSQL ${m.postgres ?? 'not used'}; Redis ${m.redis ?? 'not used'}; PGlite ${m.pglite}. ` +
      `Load average before the run: ${run.loadAverageBefore.toFixed(2)}.`,
    `- **Workload:** one on-sale event with ${format(run.seats)} seats (4 tribunes × 10 sectors × 40 rows × 25 seats); ` +
      `${run.connections} keep-alive HTTP/1.1 connections (undici Pool, no pipelining), each sending ` +
      `\`POST /api/holds\` for 1–4 seats and waiting for the answer before the next (all connections are ` +
      `opened before the warm-up); ` +
      `${run.warmup} s warm-up, then ${run.duration} s measured. Every 10th request overlaps a hold granted ` +
      `less than 400 ms earlier and must get 409. The event's hold TTL is ${run.holdTtlSeconds} s, so the ` +
      `walk through the seats finds them free again on the next lap.`,
    '- **Server:** a real Boxoffice process started like `npm start` (tsx, `src/main.ts serve`), `LOG_LEVEL=warn`, ' +
      'hold rate limit raised out of the way (all requests come from one address).',
    '',
    '| hold store | database | holds/s | requests/s | p50 ms | p95 ms | p99 ms | max ms | 409 as designed | unexpected 409 | other errors | target |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of run.results) {
    if ('failed' in r) {
      lines.push(`| ${r.holdStore} | ${r.database} | — | — | — | — | — | — | — | — | — | run failed: ${r.failed} |`);
      continue;
    }
    const otherErrors = Object.values(r.errors).reduce((a, b) => a + b, 0);
    lines.push(
      `| ${r.holdStore} | ${r.database} | **${format(r.holdsPerSecond)}** | ${format(r.requestsPerSecond)} | ` +
        `${format(r.p50, 1)} | ${format(r.p95, 1)} | **${format(r.p99, 1)}** | ${format(r.max, 1)} | ` +
        `${format(r.expectedConflicts)} of ${format(r.conflictRequests)} | ${format(r.unexpectedConflicts)} | ` +
        `${format(otherErrors)} | ${targetCell(r)} |`,
    );
  }
  lines.push('');
  const measured = run.results.filter((r): r is StoreMeasurement => !('failed' in r));
  if (measured.length > 0) {
    lines.push(
      'Where the CPU went during the measured window (cores busy on average; the machine has ' + m.cores + '):',
    );
    lines.push('');
    for (const r of measured) {
      const { [MACHINE_TOTAL]: machineTotal, ...groups } = r.cores;
      const ours = Object.values(groups).reduce((a, b) => a + b, 0);
      const parts = Object.entries(groups)
        .filter(([, used]) => used >= 0.01)
        .map(([group, used]) => `${group} ${used.toFixed(2)}`);
      if (machineTotal !== undefined) {
        parts.push(`other processes on the machine ${Math.max(0, machineTotal - ours).toFixed(2)}`);
        parts.push(`idle ${Math.max(0, m.cores - machineTotal).toFixed(2)}`);
      }
      lines.push(`- ${r.holdStore} on ${r.database}: ${parts.join(', ') || 'not measured (no /proc)'}`);
    }
    lines.push('');
    const errorLines = measured.filter((r) => Object.keys(r.errors).length > 0);
    if (errorLines.length > 0) {
      lines.push('Other errors by status and code:');
      lines.push('');
      for (const r of errorLines) {
        lines.push(
          `- ${r.holdStore} on ${r.database}: ` +
            Object.entries(r.errors)
              .map(([key, n]) => `\`${key}\` × ${format(n)}`)
              .join(', '),
        );
      }
      lines.push('');
    }
  }
  lines.push(
    `**Read with care:** the load generator, the Boxoffice server and PostgreSQL or Redis all share the same ` +
      `${m.cores} cores, so the generator's own CPU (shown above) is taken from the server. A separate load ` +
      'machine would show higher figures; these are what one small machine does on its own.',
  );
  lines.push(END);
  return lines.join('\n');
}

/** Writes (or replaces) the holds section of docs/benchmarks.md; returns the file path. */
export function writeBenchmarkSection(file: string, run: BenchRun): string {
  const section = renderSection(run);
  let content = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  const start = content.indexOf(START);
  const end = content.indexOf(END);
  if (start >= 0 && end > start) {
    content = content.slice(0, start) + section + content.slice(end + END.length);
  } else {
    content = `${content.trimEnd()}\n\n${section}\n`;
  }
  fs.writeFileSync(file, content);
  return file;
}

/**
 * Writes (or replaces) the section between `<!-- bench:NAME:start … -->` and `<!-- bench:NAME:end -->` of
 * docs/benchmarks.md, for benchmarks other than the holds one; answers the file path.
 */
export function writeMarkedSection(file: string, name: string, body: string): string {
  const start = `<!-- bench:${name}:start (written by \`npm run bench:${name}\`; edits inside are replaced) -->`;
  const end = `<!-- bench:${name}:end -->`;
  const section = `${start}\n${body.trim()}\n${end}`;
  let content = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  const from = content.indexOf(start);
  const to = content.indexOf(end);
  if (from >= 0 && to > from) content = content.slice(0, from) + section + content.slice(to + end.length);
  else content = `${content.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, content);
  return file;
}
