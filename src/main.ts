import pino from 'pino';
import { ConfigError, loadConfig } from './config.js';
import { closeContainer, createContainer } from './container.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { startJobRunner } from './jobs/job-runner.js';
import { startServer } from './server.js';
import { runImportGtfsCommand } from './transport/gtfs/gtfs-cli.js';

const USAGE = `Usage: boxoffice [serve | worker | import-gtfs <feed> --operator <organizer id> …]

  serve         run the HTTP API (default); it also runs the background jobs unless JOBS_IN_PROCESS=false
  worker        run only the background jobs (notifications, webhooks, scheduled work); needs DATABASE_URL.
                Start as many as you like next to API processes started with JOBS_IN_PROCESS=false.
  import-gtfs   import a GTFS timetable (zip or folder) for an organizer; --help for its options

Configuration comes from the environment; see README.md.`;

/** Calls `stop` once on SIGINT or SIGTERM, then exits. */
function exitOnSignals(stop: () => Promise<void>): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, shutting down…`);
    stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

async function serve(): Promise<number> {
  const config = loadConfig();
  // Starting opens the database, migrates and may seed: a Ctrl-C or SIGTERM meanwhile must not kill the
  // process half-way through a write. It is remembered, and the server stops as soon as it has started.
  let stopRequested: string | undefined;
  const early = (signal: string) => {
    if (stopRequested) process.exit(130); // a second signal: the operator insists
    stopRequested = signal;
    console.log(`\n${signal} received while starting; stopping once started…`);
  };
  const onSigint = () => early('SIGINT');
  const onSigterm = () => early('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  console.log('Starting Boxoffice…');
  let server;
  try {
    server = await startServer(config);
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
  if (stopRequested) {
    await server.stop();
    return 0;
  }
  exitOnSignals(() => server.stop());
  return -1; // keep running
}

async function worker(): Promise<number> {
  const config = loadConfig();
  if (!config.databaseUrl) {
    // PGlite is one session in one process: the API process runs the jobs itself.
    throw new ConfigError(
      'DATABASE_URL',
      'is required for boxoffice worker (the embedded database belongs to one process: `serve` runs the jobs)',
    );
  }
  const log = pino({ level: config.logLevel, name: 'worker' });
  const deps = await createContainer(config);
  let runner;
  try {
    runner = await startJobRunner(deps, log);
  } catch (error) {
    await closeContainer(deps);
    throw error;
  }
  log.info({ pid: process.pid }, 'boxoffice worker is running jobs');
  // A job already running is finished (or, past the timeout, failed back to its queue) before exiting.
  exitOnSignals(async () => {
    await runner.stop(25_000);
    await closeContainer(deps);
    log.info('boxoffice worker stopped');
  });
  return -1;
}

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'serve') return serve();
  if (command === 'worker') return worker();
  if (command === 'import-gtfs') return runImportGtfsCommand(argv.slice(1));
  console.error(`Unknown command "${command}".\n\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof DataDirLockedError) {
      console.error(`boxoffice: ${error.message}`);
    } else {
      console.error('boxoffice: could not start:', error instanceof Error ? error.message : error);
    }
    process.exit(1);
  },
);
