import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bo-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('lockDataDir', () => {
  it('refuses a folder locked by a live process, naming its pid', () => {
    const dir = tempDir();
    // The parent of this test process is alive for sure.
    fs.writeFileSync(path.join(dir, 'boxoffice.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(String(process.ppid));
  });

  it('takes over a stale lock left by a killed process', () => {
    const dir = tempDir();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dir, 'boxoffice.lock'), dead);
    const lock = lockDataDir(dir);
    expect(fs.readFileSync(path.join(dir, 'boxoffice.lock'), 'utf8')).toBe(String(process.pid));
    lock.release();
    expect(fs.existsSync(path.join(dir, 'boxoffice.lock'))).toBe(false);
  });

  it('takes over an unreadable lock file and releases only its own lock', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'boxoffice.lock'), 'garbage');
    const lock = lockDataDir(dir);
    fs.writeFileSync(path.join(dir, 'boxoffice.lock'), '999999');
    lock.release();
    expect(fs.readFileSync(path.join(dir, 'boxoffice.lock'), 'utf8')).toBe('999999');
  });
});
