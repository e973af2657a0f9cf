import fs from 'node:fs';
import type { MachineInfo } from './machine.js';

/** The figures of `npm run bench:checkout` and their section in docs/benchmarks.md. */
export interface PhaseOneResult {
  seconds: number;
  attempts: number;
  confirmed: number;
  seatsSold: number;
  ordersPerSecond: number;
  /** One webhook per confirmed order, delivered by the fake gateway inside the Pay step. */
  webhooksPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  steps: Record<string, { p50: number; p99: number }>;
  errors: Record<string, number>;
  cores: Record<string, number>;
}

export interface PhaseTwoResult {
  seconds: number;
  events: number;
  deliveries: number;
  /** Every answered request, 503s that were retried included. */
  answered: number;
  /** Deliveries answered 200. */
  processed: number;
  retries503: number;
  callbacksPerSecond: number;
  processedPerSecond: number;
  confirmationsPerSecond: number;
  outcomes: Record<string, number>;
  p50: number;
  p95: number;
  p99: number;
  errors: Record<string, number>;
  cores: Record<string, number>;
  checks: string[];
}

export type CheckoutResult =
  | { store: string; holdStore: string; database: string; flow: PhaseOneResult; webhooks: PhaseTwoResult }
  | { store: string; holdStore: string; database: string; failed: string };

export interface CheckoutRun {
  date: Date;
  command: string;
  options: {
    duration: number;
    warmup: number;
    connections: number;
    webhooks: number;
    webhookConnections: number;
    duplicateShare: number;
    seats: number;
  };
  loadAverageBefore: number;
  machine: MachineInfo;
  results: CheckoutResult[];
}

const START = '<!-- bench:checkout:start (written by `npm run bench:checkout`; edits inside are replaced) -->';
const END = '<!-- bench:checkout:end -->';
const TARGET_ORDERS = 500;
const TARGET_WEBHOOKS = 2500;

const HEADER = `# Benchmarks

Figures here are measured by the scripts in \`bench/\` on the machine they name; nothing is estimated.
Re-run a benchmark to replace its section.

`;

function format(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function cores(used: Record<string, number>): string {
  return (
    Object.entries(used)
      .filter(([, value]) => value >= 0.01)
      .map(([group, value]) => `${group} ${value.toFixed(2)}`)
      .join(', ') || 'not measured (no /proc)'
  );
}

function errors(list: Record<string, number>): string {
  const entries = Object.entries(list);
  return entries.length === 0 ? 'none' : entries.map(([key, n]) => `\`${key}\` × ${format(n)}`).join(', ');
}

export function renderCheckoutSection(run: CheckoutRun): string {
  const m = run.machine;
  const o = run.options;
  const lines: string[] = [
    START,
    '## Checkout end to end and payment webhooks (`npm run bench:checkout`)',
    '',
    `- **Date:** ${run.date.toISOString().replace(/\.\d+Z$/, 'Z')}`,
    `- **Command:** \`${run.command}\``,
    `- **Machine:** ${m.cores} cores (\`nproc\`), ${m.cpuModel}, ${m.memoryGiB} GiB memory, ${m.os}; ` +
      `Node ${m.node}; PostgreSQL ${m.postgres ?? 'not used'}; Redis ${m.redis ?? 'not used'}; PGlite ${m.pglite}. ` +
      `Load average before the run: ${run.loadAverageBefore.toFixed(2)}.`,
    `- **Server:** a real Boxoffice process started like \`npm start\` (tsx, \`src/main.ts serve\`), ` +
      '`PAYMENT_PROVIDER=fake`, `LOG_LEVEL=warn`, hold rate limit raised out of the way (one client address).',
    `- **Phase 1 — orders end to end:** ${o.connections} virtual buyers, one keep-alive HTTP/1.1 connection each ` +
      '(undici), each looping `POST /api/holds` (1–4 seats of a ' +
      `${format(o.seats)}-seat event) → \`POST /api/bookings\` → \`POST /api/payments\` (both with an ` +
      '`Idempotency-Key`, as a client should send) → Pay on the fake ' +
      'gateway (`POST /pay/{chargeId}`: the gateway settles the charge and calls the signed webhook, which ' +
      're-fetches the charge and confirms the order) → `GET /api/bookings/{id}/tickets` (one ticket per seat). ' +
      `An order counts when its tickets came back; ${o.warmup} s warm-up, ${o.duration} s measured. ` +
      'Latency is per order, all five requests together.',
    `- **Phase 2 — webhook callbacks:** ${format(o.webhooks)} orders (1–4 seats) paid at the gateway, their ` +
      `webhooks not yet delivered, written before the server starts; the bench delivers their signed ` +
      `\`payment.succeeded\` events from ${o.webhookConnections} connections, plus ${Math.round(o.duplicateShare * 100)} % ` +
      'duplicate deliveries of the same events at the same time. Each first delivery verifies the signature, ' +
      're-fetches the charge, takes the payment and order locks (NOWAIT) and a confirmation lease, checks the ' +
      "order's live hold (made before the run with the same hold-store adapter the server uses), sells the seats, issues the tickets and records the event; a " +
      'duplicate is answered from the event record; a 503 (lock held by the concurrent duplicate) is ' +
      'redelivered after 5–25 ms (far sooner than real providers retry, to stress the path). Processed/s = ' +
      'deliveries answered 200 ÷ wall time; the 503 answers are shown apart.',
    '',
    '| hold store | database | confirmed orders/s | order p50 / p95 / p99 ms | flow errors | webhooks processed/s (200) | confirmations/s | all answers/s (with 503s) | callback p50 / p95 / p99 ms | 503 redelivered | target |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of run.results) {
    if ('failed' in r) {
      lines.push(`| ${r.holdStore} | ${r.database} | — | — | — | — | — | — | — | — | run failed: ${r.failed} |`);
      continue;
    }
    const f = r.flow;
    const w = r.webhooks;
    const flowErrors = Object.values(f.errors).reduce((a, b) => a + b, 0);
    const target =
      `≥ ${TARGET_ORDERS} orders/s: ${f.ordersPerSecond >= TARGET_ORDERS ? 'met' : 'missed'}; ` +
      `≥ ${format(TARGET_WEBHOOKS)} webhooks/s: ${w.processedPerSecond >= TARGET_WEBHOOKS ? 'met' : 'missed'}`;
    lines.push(
      `| ${r.holdStore} | ${r.database} | **${format(f.ordersPerSecond)}** | ${format(f.p50, 0)} / ${format(f.p95, 0)} / ${format(f.p99, 0)} | ` +
        `${format(flowErrors)} | **${format(w.processedPerSecond)}** | ${format(w.confirmationsPerSecond)} | ${format(w.callbacksPerSecond)} | ` +
        `${format(w.p50, 1)} / ${format(w.p95, 1)} / ${format(w.p99, 1)} | ${format(w.retries503)} | ${target} |`,
    );
  }
  lines.push('');
  const measured = run.results.filter((r): r is Extract<CheckoutResult, { flow: PhaseOneResult }> => !('failed' in r));
  if (measured.length > 0) {
    lines.push('Per configuration (step latencies are p50 / p99 ms; cores busy on average in each measured window):');
    lines.push('');
    for (const r of measured) {
      const steps = Object.entries(r.flow.steps)
        .map(([name, s]) => `${name} ${format(s.p50, 1)} / ${format(s.p99, 1)}`)
        .join(', ');
      lines.push(`- **${r.holdStore} on ${r.database}**`);
      lines.push(
        `  - phase 1: ${format(r.flow.confirmed)} orders (${format(r.flow.seatsSold)} seats) in ${format(r.flow.seconds, 1)} s; steps: ${steps}; ` +
          `errors: ${errors(r.flow.errors)}; cores: ${cores(r.flow.cores)}`,
      );
      lines.push(
        `  - phase 2: ${format(r.webhooks.answered)} callbacks for ${format(r.webhooks.events)} events ` +
          `(${format(r.webhooks.deliveries)} deliveries) in ${format(r.webhooks.seconds, 1)} s; outcomes: ` +
          `${Object.entries(r.webhooks.outcomes)
            .map(([k, n]) => `${k} ${format(n)}`)
            .join(', ')}; errors: ${errors(r.webhooks.errors)}; cores: ${cores(r.webhooks.cores)}`,
      );
      lines.push(`  - database check afterwards: ${r.webhooks.checks.join('; ')}`);
    }
    lines.push('');
  }
  lines.push(
    `**Read with care:** the load generator, the Boxoffice server and PostgreSQL or Redis all share the same ` +
      `${m.cores} cores (see the core counts above), so the generator's own CPU is taken from the server. The ` +
      'targets (≥ 500 confirmed orders/s, ≥ 2,500 webhook callbacks/s) are for a 2-core machine running the ' +
      'server; they are compared here as measured, on this machine, with nothing adjusted.',
  );
  lines.push(END);
  return lines.join('\n');
}

/** Writes (or replaces) the checkout section of docs/benchmarks.md; returns the file path. */
export function writeCheckoutSection(file: string, run: CheckoutRun): string {
  const section = renderCheckoutSection(run);
  let content = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : HEADER;
  const start = content.indexOf(START);
  const end = content.indexOf(END);
  if (start >= 0 && end > start) content = content.slice(0, start) + section + content.slice(end + END.length);
  else content = `${content.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, content);
  return file;
}
