import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { Principal } from '../../auth/principal.js';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { migrateToLatest } from '../../db/migrate.js';
import { AppError } from '../../shared/errors.js';
import { readFeedPath } from './gtfs-archive.js';
import type { LayoutChoice } from './gtfs-import.service.js';
import { GtfsImportRuns } from './gtfs-import-runs.service.js';
import { formatProblem } from './gtfs-problems.js';

export const IMPORT_GTFS_USAGE = `Usage: boxoffice import-gtfs <feed.zip|folder> --operator <organizer id> [options]

  --from YYYY-MM-DD     first service date to import (default: today in the agency time zone)
  --to YYYY-MM-DD       last service date (default: 6 days after --from; at most 62 days in all)
  --feed KEY            which earlier import this one updates (default: from the agency name)
  --layout ID           vehicle layout for every route (default: a template per mode, created once)
  --layout-map FILE     JSON {"default": ID, "routeTypes": {"2": ID}, "routes": {"<route_id>": ID}}
  --dry-run             validate and count what would change; write nothing
  --all-problems        print every problem kept, not only the first 50

Validates the whole feed first: a feed with any error imports nothing. Writes in one transaction.
With the embedded database, stop the server first (one process per data folder).`;

/** `boxoffice import-gtfs …`: answers the process exit code (0 imported, 1 rejected or failed, 2 usage). */
export async function runImportGtfsCommand(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        operator: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        feed: { type: 'string' },
        layout: { type: 'string' },
        'layout-map': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'all-problems': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${IMPORT_GTFS_USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(IMPORT_GTFS_USAGE);
    return 0;
  }
  if (positionals.length !== 1 || !values.operator) {
    console.error(`Give one feed and --operator.\n\n${IMPORT_GTFS_USAGE}`);
    return 2;
  }
  let layouts: LayoutChoice | undefined;
  if (values['layout-map']) {
    try {
      layouts = JSON.parse(fs.readFileSync(values['layout-map'], 'utf8')) as LayoutChoice;
    } catch (error) {
      console.error(
        `--layout-map: cannot read ${values['layout-map']}: ${error instanceof Error ? error.message : error}`,
      );
      return 2;
    }
  }
  if (values.layout) layouts = { ...layouts, default: values.layout };

  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    // The operator running the CLI has the machine: it acts as a platform admin.
    const principal: Principal = { userId: 'cli', role: 'admin', organizerId: null };
    const runs = new GtfsImportRuns(database.db);
    const started = Date.now();
    let lastLine = 0;
    const run = await runs.run(
      principal,
      (log) => readFeedPath(positionals[0]!, log),
      {
        organizerId: values.operator,
        from: values.from,
        to: values.to,
        feedKey: values.feed,
        layouts,
        dryRun: values['dry-run'],
      },
      'cli',
      (progress) => {
        const now = Date.now();
        if (
          progress.phase === 'writing' &&
          now - lastLine < 1000 &&
          progress.stopTimesWritten !== progress.stopTimesTotal
        )
          return;
        lastLine = now;
        const seconds = ((now - started) / 1000).toFixed(1);
        const counts =
          progress.stopTimesTotal !== undefined
            ? ` ${progress.stopTimesWritten ?? 0}/${progress.stopTimesTotal} stop times`
            : '';
        console.error(`[${seconds} s] ${progress.phase}${counts}`);
      },
    );
    const result = run.result;
    if (!result) {
      console.error(`boxoffice: import failed: ${run.error ?? 'unknown error'}`);
      return 1;
    }
    const shown = values['all-problems'] ? result.problems : result.problems.slice(0, 50);
    for (const problem of shown) console.log(formatProblem(problem));
    if (shown.length < result.errors + result.warnings) {
      console.log(`… ${result.errors + result.warnings - shown.length} more; by code:`);
      for (const count of result.problemCounts) console.log(`  ${count.severity} ${count.code}: ${count.count}`);
    }
    if (result.status === 'rejected') {
      console.log(`Rejected: ${result.errors} errors, ${result.warnings} warnings. Nothing was imported.`);
      return 1;
    }
    const t = result.trips;
    console.log(
      [
        `${result.dryRun ? 'Dry run (nothing written)' : 'Imported'} feed "${result.feedKey}" for ${result.from} … ${result.to} (${result.timezone}) in ${((Date.now() - started) / 1000).toFixed(1)} s (import ${run.id}):`,
        `  stops  ${result.stops.created} new, ${result.stops.updated} changed, ${result.stops.unchanged} unchanged`,
        `  routes ${result.routes.created} new, ${result.routes.updated} changed, ${result.routes.unchanged} unchanged`,
        `  trips  ${t.created} new, ${t.updated} changed, ${t.unchanged} unchanged, ${t.deleted} deleted, ${t.kept} kept (sold seats), ${t.skipped} skipped`,
        `  stop times written: ${result.stopTimesWritten}`,
        `  ${result.warnings} warnings`,
        ...result.keptTrips.map(
          (kept) =>
            `  kept ${kept.tripId} (GTFS ${kept.gtfsTripId} on ${kept.serviceDate}): ${kept.reason.replaceAll('_', ' ')}, it has sales`,
        ),
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      console.error(`boxoffice: ${error.message}${error.details ? ` ${JSON.stringify(error.details)}` : ''}`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
}
