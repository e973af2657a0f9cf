/// <reference lib="dom" />
/**
 * `npm run bench:seatmap` — a benchmark, not a test. Opens the seat map of a 40,000-seat stadium in
 * Debian's Chromium (playwright-core) against a real server (`src/main.ts serve` on embedded PGlite, the
 * built web app) and measures, in the browser:
 *
 * - time to the first seat-map render: from navigation start until the map's first section (or seat) is
 *   in the DOM, and the seat map's download;
 * - responsiveness while panning and zooming inside the seats: long tasks (PerformanceObserver
 *   'longtask', > 50 ms) — the longest is the figure, target ≤ 200 ms — and frames per second (rAF);
 *
 * each without CPU throttling and with 4× throttling (a mid-range phone, Chrome DevTools' preset). The
 * figures and the machine (with its load average: the machine is shared) go into docs/benchmarks.md.
 *
 *   npm run bench:seatmap -- --runs 3 --seats 40000 [--no-docs]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { openDatabase } from '../src/db/client.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { chromiumPath, launchChromium, NO_CHROMIUM_MESSAGE } from '../test/browser/support/chromium.js';
import { createBenchEvent } from './lib/bench-event.js';
import { describeMachine } from './lib/machine.js';
import { REPO_ROOT, startServerProcess } from './lib/server-process.js';
import { execFileSync } from 'node:child_process';

const START = '<!-- bench:seatmap:start (written by `npm run bench:seatmap`; edits inside are replaced) -->';
const END = '<!-- bench:seatmap:end -->';
const TARGET_FIRST_RENDER_MS = 1500;
const TARGET_LONGEST_TASK_MS = 200;

interface RunResult {
  throttle: number;
  firstRenderMs: number;
  seatMapBytes: number;
  seatMapMs: number;
  panMs: number;
  frames: number;
  longTasks: number;
  longestTaskMs: number;
}

function parseOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      seats: { type: 'string', default: '40000' },
      'no-docs': { type: 'boolean', default: false },
    },
  });
  return { runs: Number(values.runs), seats: Number(values.seats), writeDocs: !values['no-docs'] };
}

/** Installed before any page script: records long tasks, the first seat-map paint and frames. */
function instrument() {
  const w = window as unknown as {
    bench: {
      longTasks: { start: number; duration: number }[];
      firstMapAt: number | null;
      frames: number;
      counting: boolean;
    };
  };
  w.bench = { longTasks: [], firstMapAt: null, frames: 0, counting: false };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  const seen = new MutationObserver(() => {
    if (w.bench.firstMapAt === null && document.querySelector('[data-section],[data-seat]')) {
      // The next frame is when it is on screen.
      requestAnimationFrame(() => (w.bench.firstMapAt ??= performance.now()));
      seen.disconnect();
    }
  });
  document.addEventListener('DOMContentLoaded', () => seen.observe(document.body, { childList: true, subtree: true }));
}

async function measure(page: Page, url: string, eventId: string, throttle: number): Promise<RunResult> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  let seatMapBytes = 0;
  let seatMapMs = 0;
  const requestStarts = new Map<string, number>();
  page.on('request', (request) => {
    if (request.url().endsWith('/seats')) requestStarts.set(request.url(), Date.now());
  });
  page.on('response', async (response) => {
    if (!response.url().endsWith(`/api/events/${eventId}/seats`)) return;
    const body = await response.body().catch(() => Buffer.alloc(0));
    seatMapBytes = Number(response.headers()['content-length'] ?? 0) || body.length;
    seatMapMs = Date.now() - (requestStarts.get(response.url()) ?? Date.now());
  });
  await page.goto(`${url}/events/${eventId}/seats`);
  await page.waitForFunction(
    () => (window as unknown as { bench: { firstMapAt: number | null } }).bench.firstMapAt !== null,
    null,
    {
      timeout: 60_000,
    },
  );
  const firstRenderMs = await page.evaluate(
    () => (window as unknown as { bench: { firstMapAt: number } }).bench.firstMapAt,
  );

  // Into the seats of one section, then pan across the stadium and zoom in and out.
  await page.locator('[data-section]').nth(5).click();
  await page.locator('[data-seat]').first().waitFor();
  await page.waitForTimeout(500);
  const box = (await page.locator('.seat-map svg').boundingBox())!;
  // A string, not a function: tsx (esbuild) would wrap named inner functions in a helper the page lacks.
  await page.evaluate(`(() => {
    const bench = window.bench;
    bench.longTasks.length = 0;
    bench.frames = 0;
    bench.counting = true;
    // Frames actually drawn while panning: one rAF callback per frame.
    const tick = () => {
      if (!bench.counting) return;
      bench.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const started = Date.now();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  for (let sweep = 0; sweep < 4; sweep++) {
    await page.mouse.down();
    const dx = (sweep % 2 === 0 ? -1 : 1) * box.width * 0.8;
    const dy = (sweep < 2 ? -1 : 1) * box.height * 0.3;
    await page.mouse.move(cx + dx, cy + dy, { steps: 40 });
    await page.mouse.up();
    await page.mouse.move(cx, cy);
    for (let i = 0; i < 4; i++) await page.mouse.wheel(0, sweep % 2 === 0 ? 120 : -120);
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(300);
  const panMs = Date.now() - started;
  const stats = await page.evaluate(() => {
    const bench = (
      window as unknown as { bench: { longTasks: { duration: number }[]; frames: number; counting: boolean } }
    ).bench;
    bench.counting = false;
    return { frames: bench.frames, longTasks: bench.longTasks.map((task) => task.duration) };
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  return {
    throttle,
    firstRenderMs: Math.round(firstRenderMs),
    seatMapBytes,
    seatMapMs,
    panMs,
    frames: stats.frames,
    longTasks: stats.longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...stats.longTasks)),
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function render(
  results: RunResult[],
  seats: number,
  machine: Awaited<ReturnType<typeof describeMachine>>,
  load: number[],
  chromium: string,
): string {
  const rows = [1, 4].flatMap((throttle) => {
    const runs = results.filter((result) => result.throttle === throttle);
    if (runs.length === 0) return [];
    const fps = runs.map((run) => (run.frames * 1000) / run.panMs);
    const first = median(runs.map((run) => run.firstRenderMs));
    const longest = Math.max(...runs.map((run) => run.longestTaskMs));
    return [
      `| ${throttle === 1 ? 'none' : `${throttle}× (mid-range phone)`} | ${runs.length} | ${first} ms ${first <= TARGET_FIRST_RENDER_MS ? '✓' : '✗'} | ` +
        `${median(runs.map((run) => run.seatMapMs))} ms, ${(median(runs.map((run) => run.seatMapBytes)) / 1024).toFixed(0)} KiB | ` +
        `${longest} ms ${longest <= TARGET_LONGEST_TASK_MS ? '✓' : '✗'} | ${median(runs.map((run) => run.longTasks))} | ${median(fps).toFixed(0)} |`,
    ];
  });
  return [
    START,
    '## Seat map in the browser (`npm run bench:seatmap`)',
    '',
    `A ${seats.toLocaleString('en')}-seat stadium (40 sectors of 1,000 seats) opened in ${chromium}, headless, against \`src/main.ts serve\` ` +
      'on embedded PGlite serving the built web app. *First render*: navigation start → the map’s first section on screen ' +
      `(target ≤ ${TARGET_FIRST_RENDER_MS} ms). *Panning*: after zooming into a section, four drags across the stadium with ` +
      'wheel zooms between them; long tasks from `PerformanceObserver` (type `longtask`, > 50 ms), frames counted with ' +
      `\`requestAnimationFrame\` (target: no long task over ${TARGET_LONGEST_TASK_MS} ms). Medians over the runs; the longest task is the maximum.`,
    '',
    '| CPU throttling | runs | first render | seat map download | longest task while panning | long tasks while panning | frames/s while panning |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine.cores} cores (${machine.cpuModel}), ` +
      `${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; load average before the run ${load.map((value) => value.toFixed(2)).join(' / ')} ` +
      '(the machine is shared: compare figures of one run with each other, not across runs). Headless Chromium draws without a GPU, ' +
      'so frame rates are lower than on a phone with one.',
    END,
  ].join('\n');
}

async function main(): Promise<void> {
  const options = parseOptions();
  if (!chromiumPath) {
    console.error(NO_CHROMIUM_MESSAGE);
    process.exit(1);
  }
  execFileSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'build-web.mjs'), '--quiet'], { stdio: 'inherit' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-bench-seatmap-'));
  console.log(`Creating a ${options.seats}-seat stadium event in ${dataDir}…`);
  const database = await openDatabase({ databaseUrl: undefined, dataDir, poolSize: 2 });
  await migrateToLatest(database.db);
  const event = await createBenchEvent(database.db, options.seats, 600);
  await database.close();
  const load = os.loadavg();
  const server = await startServerProcess({ DATA_DIR: dataDir, SEED_DEMO: 'false', LOG_LEVEL: 'warn' });
  const { browser, close } = await launchChromium();
  const results: RunResult[] = [];
  try {
    for (const throttle of [1, 4]) {
      for (let run = 0; run < options.runs; run++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
        await context.addInitScript(instrument);
        const page = await context.newPage();
        const result = await measure(page, server.url, event.eventId, throttle);
        console.log(
          `throttle ${throttle}×, run ${run + 1}: first render ${result.firstRenderMs} ms (map ${result.seatMapMs} ms, ${result.seatMapBytes} B); ` +
            `panning ${result.panMs} ms: ${result.frames} frames, ${result.longTasks} long tasks, longest ${result.longestTaskMs} ms`,
        );
        results.push(result);
        await context.close();
      }
    }
  } finally {
    await close();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const version = execFileSync(chromiumPath, ['--version'], { encoding: 'utf8' }).trim().split('\n')[0]!;
  const section = render(results, options.seats, await describeMachine(), load, version.replace(/ built on.*/, ''));
  console.log(`\n${section}`);
  if (options.writeDocs) {
    const file = path.join(REPO_ROOT, 'docs', 'benchmarks.md');
    let content = fs.readFileSync(file, 'utf8');
    const start = content.indexOf(START);
    const end = content.indexOf(END);
    content =
      start >= 0 && end > start
        ? content.slice(0, start) + section + content.slice(end + END.length)
        : `${content.trimEnd()}\n\n${section}\n`;
    fs.writeFileSync(file, content);
    console.log(`Written to ${path.relative(process.cwd(), file)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
