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

/**
 * PostgreSQL backends show their database in their title ("postgres: user db 127.0.0.1(port) idle"), so
 * the bench's own backends can be told apart from other databases' and from the shared background workers.
 */
function postgresGroup(pid: string, benchDatabase: string | undefined): string {
  let title = '';
  try {
    title = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return 'postgresql';
  }
  if (benchDatabase && title.includes(` ${benchDatabase} `)) return 'postgresql (bench database)';
  if (/\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(title)) return 'postgresql (other databases)';
  return 'postgresql (background)';
}

/** Group name for the CPU of every process on the machine together (from /proc/stat). */
export const MACHINE_TOTAL = 'machine total';

function machineBusySeconds(): number | undefined {
  try {
    const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: everything but idle and iowait is busy.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Seconds of CPU used so far, per group. */
export function sampleCpu(groupsByPid: Map<number, string>, benchDatabase?: string): CpuGroups {
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
    if (!group && stat.comm === 'postgres') group = postgresGroup(pid, benchDatabase);
    if (!group && stat.comm.startsWith('redis-server')) group = 'redis';
    if (!group) continue;
    totals.set(group, (totals.get(group) ?? 0) + stat.ticks / CLOCK_TICKS_PER_SECOND);
  }
  const machine = machineBusySeconds();
  if (machine !== undefined) totals.set(MACHINE_TOTAL, machine);
  return totals;
}

/** Cores used per group between two samples taken `seconds` apart (1.0 = one core fully busy). */
export function coresUsed(before: CpuGroups, after: CpuGroups, seconds: number): Map<string, number> {
  const used = new Map<string, number>();
  for (const [group, total] of after) used.set(group, Math.max(0, total - (before.get(group) ?? 0)) / seconds);
  return used;
}
