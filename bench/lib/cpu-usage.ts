import fs from 'node:fs';

/**
 * CPU time per process group, read from /proc (Linux), so a benchmark can say where the machine's cores
 * went: the load generator, the Boxoffice server, PostgreSQL, Redis. Elsewhere it reports nothing.
 */
const CLOCK_TICKS_PER_SECOND = 100;

export type CpuGroups = Map<string, number>;

function readStat(pid: string): { comm: string; ticks: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime field 14, stime field 15 → indexes 11 and 12 here.
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/** Direct children of a process (the app process under tsx's CLI wrapper). */
export function childPids(pid: number): number[] {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Seconds of CPU used so far, per group. */
export function sampleCpu(groupsByPid: Map<number, string>): CpuGroups {
  const totals: CpuGroups = new Map();
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return totals;
  }
  for (const pid of entries) {
    const stat = readStat(pid);
    if (!stat) continue;
    let group = groupsByPid.get(Number(pid));
    if (!group && stat.comm === 'postgres') group = 'postgresql';
    if (!group && stat.comm.startsWith('redis-server')) group = 'redis';
    if (!group) continue;
    totals.set(group, (totals.get(group) ?? 0) + stat.ticks / CLOCK_TICKS_PER_SECOND);
  }
  return totals;
}

/** Cores used per group between two samples taken `seconds` apart (1.0 = one core fully busy). */
export function coresUsed(before: CpuGroups, after: CpuGroups, seconds: number): Map<string, number> {
  const used = new Map<string, number>();
  for (const [group, total] of after) used.set(group, Math.max(0, total - (before.get(group) ?? 0)) / seconds);
  return used;
}
