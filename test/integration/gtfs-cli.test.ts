import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { addDays, localDateOf } from '../../src/shared/time.js';
import { padmaRailFeed, type FeedText } from '../support/gtfs-fixtures.js';

/**
 * `boxoffice import-gtfs` as an operator runs it: the real CLI process on an embedded data folder (the
 * PostgreSQL path is the same service, tested over the API in both passes).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

describe.skipIf(Boolean(process.env.DATABASE_URL))(
  'boxoffice import-gtfs (embedded database)',
  { timeout: 180_000 },
  () => {
    let dataDir: string;
    let feedsDir: string;
    let organizerId: string;
    const from = addDays(localDateOf(new Date(), 'Asia/Dhaka'), 10);

    const writeFeed = (name: string, feed: FeedText) => {
      const dir = path.join(feedsDir, name);
      fs.mkdirSync(dir);
      for (const [file, text] of Object.entries(feed)) fs.writeFileSync(path.join(dir, file), text);
      return dir;
    };

    async function cli(...args: string[]) {
      const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, NO_COLOR: '1' };
      for (const name of ['DATABASE_URL', 'REDIS_URL']) delete env[name];
      try {
        const { stdout, stderr } = await run(
          process.execPath,
          ['--import', 'tsx', 'src/main.ts', 'import-gtfs', ...args],
          {
            cwd: ROOT,
            env,
          },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    }

    const countTrips = async () => {
      const database = await openDatabase({ dataDir });
      try {
        const row = await database.db
          .selectFrom('trips')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organizer_id', '=', organizerId)
          .executeTakeFirstOrThrow();
        return Number(row.n);
      } finally {
        await database.close();
      }
    };

    beforeAll(async () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-gtfs-cli-'));
      feedsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-gtfs-feeds-'));
      const database = await openDatabase({ dataDir });
      await migrateToLatest(database.db);
      organizerId = 'org_cli0000test';
      await database.db
        .insertInto('organizers')
        .values({
          id: organizerId,
          name: 'Padma Rail',
          slug: 'padma-rail-cli',
          currency: 'BDT',
          timezone: 'Asia/Dhaka',
        })
        .execute();
      await database.close();
    });
    afterAll(() => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(feedsDir, { recursive: true, force: true });
    });

    it('imports a feed folder and prints what it wrote', async () => {
      const folder = writeFeed('good', padmaRailFeed());
      const result = await cli(folder, '--operator', organizerId, '--from', from, '--to', from);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/Imported feed "padma-rail" for \d{4}-\d\d-\d\d … \d{4}-\d\d-\d\d \(Asia\/Dhaka\)/);
      expect(result.stdout).toMatch(/stops {2}4 new/);
      expect(result.stderr).toMatch(/writing/);
      expect(await countTrips()).toBeGreaterThan(0);
    });

    it('rejects a bad feed with each problem placed, exits 1 and imports nothing more', async () => {
      const before = await countTrips();
      const broken = padmaRailFeed();
      broken['stop_times.txt'] = broken['stop_times.txt']!.replace(
        'BUS,12:00:00,12:00:00,SYL',
        'BUS,12:00:00,12:00:00,NOWHERE',
      );
      const result = await cli(
        writeFeed('broken', broken),
        '--operator',
        organizerId,
        '--from',
        addDays(from, 1),
        '--to',
        addDays(from, 1),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'error   stop_times.txt:8 stop_id: stop_id "NOWHERE" is not in stops.txt [reference_unknown]',
      );
      expect(result.stdout).toMatch(/Rejected: 1 errors, \d+ warnings\. Nothing was imported\./);
      expect(await countTrips()).toBe(before);
    });

    it('answers usage errors with exit code 2 and an unknown organizer with a message', async () => {
      expect((await cli()).code).toBe(2);
      const unknown = await cli(path.join(feedsDir, 'good'), '--operator', 'org_nobody');
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toMatch(/Organizer org_nobody was not found/);
    });
  },
);
