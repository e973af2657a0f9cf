import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { Redis } from 'ioredis';

/** What a benchmark ran on, so a figure can be read next to its machine. */
export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string | undefined;
  redis: string | undefined;
  pglite: string;
}

function cpuModel(): string {
  try {
    const line = fs
      .readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function cores(): number {
  try {
    return Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    return os.availableParallelism();
  }
}

async function postgresVersion(url: string | undefined): Promise<string | undefined> {
  if (!url) return undefined;
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisVersion(url: string | undefined): Promise<string | undefined> {
  if (!url) return undefined;
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const info = await redis.info('server');
    return /redis_version:(\S+)/.exec(info)?.[1];
  } catch {
    return undefined;
  } finally {
    redis.disconnect();
  }
}

function pgliteVersion(): string {
  try {
    const manifest = JSON.parse(
      fs.readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    return manifest.version;
  } catch {
    return 'unknown';
  }
}

export async function describeMachine(postgresUrl?: string, redisUrl?: string): Promise<MachineInfo> {
  return {
    cores: cores(),
    cpuModel: cpuModel(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    postgres: await postgresVersion(postgresUrl),
    redis: await redisVersion(redisUrl),
    pglite: pgliteVersion(),
  };
}
