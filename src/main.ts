import { ConfigError, loadConfig } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { startServer } from './server.js';
import { runImportGtfsCommand } from './transport/gtfs/gtfs-cli.js';

const USAGE = `Usage: boxoffice [serve | import-gtfs <feed> --operator <organizer id> …]

  serve         run the HTTP API (default)
  import-gtfs   import a GTFS timetable (zip or folder) for an organizer; --help for its options

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0] ?? 'serve';
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === 'import-gtfs') return runImportGtfsCommand(argv.slice(1));
  if (command !== 'serve') {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfig();
  const server = await startServer(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal} received, shutting down…`);
    server
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  return -1; // keep running
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
