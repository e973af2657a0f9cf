import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/**
 * The real CLI, started the way `npm start` starts it, in the embedded mode: one PGlite data folder per
 * test, a lock file that lets one process in, data that survives restarts and crashes, and a start that
 * refuses bad configuration with a message naming the variable.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// Generous: CI starts take seconds, but a busy 2-core machine has been seen taking 40 s and more.
const START_TIMEOUT_MS = 90_000;

interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal name) once the wrapper process has ended. */
  exited: Promise<number | string>;
}

const running = new Set<CliProcess>();
const tempDirs: string[] = [];

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-startup-'));
  tempDirs.push(dir);
  return dir;
}

/** PORT=0 would work but the printed URL must be known in advance: ask the OS for a free port. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function startCli(env: Record<string, string>): CliProcess {
  const baseEnv = { ...process.env };
  // Embedded mode only; an admin password from the outer environment would hide the generated one.
  const outer = [
    'DATABASE_URL',
    'REDIS_URL',
    'REDIS_CLUSTER',
    'ADMIN_EMAIL',
    'ADMIN_PASSWORD',
    'PORT',
    'DATA_DIR',
    'HOST',
  ];
  for (const name of outer) {
    delete baseEnv[name];
  }
  // The same command as `npm start`: one process, with tsx loaded as a module hook.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
    cwd: ROOT,
    env: { ...baseEnv, SEED_DEMO: 'false', LOG_LEVEL: 'warn', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => {
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  const cli: CliProcess = { child, output: () => output, exited };
  running.add(cli);
  void exited.then(() => running.delete(cli));
  return cli;
}

interface Serving {
  url: string;
  adminEmail: string;
  /** Printed only by the start that created the admin. */
  adminPassword: string | undefined;
}

/** Waits until the CLI printed its admin login (it listens by then), or fails with what it printed. */
async function waitUntilServing(cli: CliProcess): Promise<Serving> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exitedWith: number | string | undefined;
  void cli.exited.then((code) => (exitedWith = code));
  while (Date.now() < deadline) {
    const url = /Boxoffice is running at (http:\/\/\S+)/.exec(cli.output())?.[1];
    const admin = /Admin:\s+(\S+)(.*)\n/.exec(cli.output());
    const adminPassword = /Password:\s+(\S+).*\n/.exec(cli.output())?.[1];
    const passwordShownEarlier = admin?.[2]?.includes('(password') ?? false;
    if (url && admin && (adminPassword || passwordShownEarlier)) return { url, adminEmail: admin[1]!, adminPassword };
    if (exitedWith !== undefined) throw new Error(`boxoffice exited with ${exitedWith}:\n${cli.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`boxoffice did not start within ${START_TIMEOUT_MS} ms:\n${cli.output()}`);
}

/** Logs in over HTTP and answers the account, or fails with the status. */
async function logIn(port: number, email: string, password: string): Promise<{ email: string; role: string }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { user: { email: string; role: string } }).user;
}

async function exitWithin(cli: CliProcess, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`boxoffice did not exit within ${ms} ms:\n${cli.output()}`)), ms);
  });
  try {
    return await Promise.race([cli.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The pid that owns the data folder, read from the lock file the server wrote. */
function lockOwnerPid(dataDir: string): number {
  return Number.parseInt(fs.readFileSync(path.join(dataDir, 'boxoffice.lock'), 'utf8').trim(), 10);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops gracefully (SIGTERM) and expects a clean exit. */
async function stopGracefully(cli: CliProcess): Promise<void> {
  cli.child.kill('SIGTERM');
  expect(await exitWithin(cli, 45_000)).toBe(0);
}

/** A crash: the server process dies at once, without any cleanup. */
async function killHard(cli: CliProcess, dataDir: string): Promise<number> {
  const serverPid = lockOwnerPid(dataDir);
  process.kill(serverPid, 'SIGKILL');
  cli.child.kill('SIGKILL');
  await exitWithin(cli, 10_000);
  for (let i = 0; i < 100 && isAlive(serverPid); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(isAlive(serverPid)).toBe(false);
  return serverPid;
}

afterEach(async () => {
  for (const cli of [...running]) {
    cli.child.kill('SIGKILL');
    await cli.exited;
  }
});

afterAll(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(Boolean(process.env.DATABASE_URL))(
  'embedded start-up of the real CLI (skipped when DATABASE_URL is set: these tests are about the PGlite data folder)',
  // Each test starts the CLI up to three times; on two busy cores one start can take 15 s.
  { timeout: 300_000 },
  () => {
    it('stops cleanly when told to stop while it is still starting, and leaves its data folder usable', async () => {
      const dataDir = tempDataDir();
      const cli = startCli({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!cli.output().includes('Starting Boxoffice') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      cli.child.kill('SIGTERM');
      expect(await exitWithin(cli, START_TIMEOUT_MS)).toBe(0);
      expect(cli.output()).toContain('SIGTERM received while starting');
      expect(fs.existsSync(path.join(dataDir, 'boxoffice.lock'))).toBe(false);
      const again = startCli({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      await waitUntilServing(again);
      await stopGracefully(again);
    });

    it('prints the URL and the first admin, serves /healthz and /readyz, and refuses a second process on its data folder', async () => {
      const dataDir = tempDataDir();
      const port = await freePort();
      const cli = startCli({ DATA_DIR: dataDir, PORT: String(port) });
      const { url, adminEmail, adminPassword } = await waitUntilServing(cli);

      expect(url).toBe(`http://localhost:${port}`);
      expect(adminEmail).toBe('admin@boxoffice.local');
      expect(adminPassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
      expect(await logIn(port, adminEmail, adminPassword!)).toMatchObject({ role: 'admin' });
      expect(cli.output()).toContain(`${url}/api/docs`);
      expect(cli.output()).toContain(dataDir);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ready',
        database: true,
        holdStore: { name: 'sql', ok: true },
      });

      // A second process on the same data folder exits at once, naming the process that owns it.
      const ownerPid = lockOwnerPid(dataDir);
      const second = startCli({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      const code = await exitWithin(second, 45_000);
      expect(code).not.toBe(0);
      expect(second.output()).toMatch(/in use by another Boxoffice process/);
      expect(second.output()).toContain(`pid ${ownerPid}`);
      expect(second.output()).not.toContain('Boxoffice is running');
      // The first process was not disturbed and still owns the folder.
      expect(lockOwnerPid(dataDir)).toBe(ownerPid);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

      await stopGracefully(cli);
      expect(fs.existsSync(path.join(dataDir, 'boxoffice.lock'))).toBe(false);
    });

    it('takes over the stale lock of a process killed with SIGKILL, and keeps its data across restarts', async () => {
      const dataDir = tempDataDir();
      const first = startCli({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      const { adminEmail, adminPassword } = await waitUntilServing(first);
      const killedPid = await killHard(first, dataDir);
      // The crash left its lock file behind.
      expect(lockOwnerPid(dataDir)).toBe(killedPid);

      const port = await freePort();
      const next = startCli({ DATA_DIR: dataDir, PORT: String(port) });
      const restarted = await waitUntilServing(next);
      expect(lockOwnerPid(dataDir)).not.toBe(killedPid);
      // The admin created at the first start lives in the database: same login after the crash, and its
      // password is not printed again.
      expect(restarted).toMatchObject({ adminEmail, adminPassword: undefined });
      expect(await logIn(port, adminEmail, adminPassword!)).toMatchObject({ email: adminEmail });
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      await stopGracefully(next);

      // Write an organizer while no server runs (the lock lets one process in at a time).
      const organizerId = `org_startup${Date.now().toString(36)}`;
      const writer = await openDatabase({ dataDir });
      await migrateToLatest(writer.db);
      await writer.db
        .insertInto('organizers')
        .values({ id: organizerId, name: 'Restart Test', slug: organizerId, currency: 'BDT', timezone: 'Asia/Dhaka' })
        .execute();
      await writer.close();

      const second = startCli({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(await waitUntilServing(second)).toMatchObject({ adminEmail, adminPassword: undefined });
      await stopGracefully(second);

      const reader = await openDatabase({ dataDir });
      const organizer = await reader.db
        .selectFrom('organizers')
        .select(['id', 'name'])
        .where('id', '=', organizerId)
        .executeTakeFirst();
      await reader.close();
      expect(organizer).toEqual({ id: organizerId, name: 'Restart Test' });
    });

    it.each([
      ['PORT', 'abc'],
      ['HOLD_TTL_SECONDS', '0'],
      ['LOG_LEVEL', 'loud'],
    ])('stops the start when %s=%s, with a message naming the variable', async (variable, value) => {
      const dataDir = tempDataDir();
      const cli = startCli({ DATA_DIR: dataDir, PORT: String(await freePort()), [variable]: value });
      const code = await exitWithin(cli, 45_000);
      expect(code).not.toBe(0);
      expect(cli.output()).toContain(`Invalid configuration: ${variable}`);
      expect(cli.output()).not.toContain('Boxoffice is running');
      // Configuration is checked before the data folder is touched.
      expect(fs.existsSync(path.join(dataDir, 'boxoffice.lock'))).toBe(false);
    });
  },
);
