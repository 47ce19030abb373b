import fs from 'node:fs';
import type { Database } from '@refrain/db';

/** Linux clock ticks per second (USER_HZ); 100 on every mainstream kernel. */
const HZ = 100;

function procTicks(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function comm(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function pidsNamed(name: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => comm(pid).startsWith(name));
}

/** Busy and total ticks of the whole machine from /proc/stat (user … steal; guest time is inside user). */
function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface CpuSample {
  at: number;
  /** Ticks per process, by name; a group (postgres, redis) by pid, so processes that come and go are counted right. */
  procs: Record<string, Record<number, number>>;
  machine: { busy: number; total: number };
}

/**
 * CPU time of the benchmark's own processes; of Postgres (with `pg`: the backends of this
 * database and the server's own processes, not other databases' backends; without: every
 * postgres process); of every redis-server process (shared: other users of it count too);
 * and of the whole machine, so a phase can say where its CPU went and how busy the machine was.
 */
export async function cpuSample(named: Record<string, number | undefined>, pg?: Database['pool'] | null): Promise<CpuSample> {
  const procs: Record<string, Record<number, number>> = {};
  for (const [name, pid] of Object.entries(named)) if (pid) procs[name] = { [pid]: procTicks(pid) };
  let pgPids = pidsNamed('postgres');
  if (pg) {
    const { rows } = await pg
      .query<{ pid: number }>("select pid from pg_stat_activity where datname = current_database() or backend_type <> 'client backend'")
      .catch(() => ({ rows: pgPids.map((pid) => ({ pid })) }));
    pgPids = rows.map((r: { pid: number }) => r.pid);
  }
  procs.postgres = Object.fromEntries(pgPids.map((pid) => [pid, procTicks(pid)]));
  procs.redis = Object.fromEntries(pidsNamed('redis-server').map((pid) => [pid, procTicks(pid)]));
  return { at: Date.now(), procs, machine: machineTicks() };
}

/** CPU seconds per process between two samples, the machine's busy share, and what the rest of the machine used. */
export function cpuDelta(a: CpuSample, b: CpuSample): { seconds: number; cpu_s: Record<string, number>; machine_busy_share: number; others_cpu_s: number } {
  const cpu_s: Record<string, number> = {};
  let mine = 0;
  for (const [name, pids] of Object.entries(b.procs)) {
    let ticks = 0;
    // A process that started during the interval counts whole; one that ended is lost (never negative).
    for (const [pid, t] of Object.entries(pids)) ticks += Math.max(0, t - (a.procs[name]?.[Number(pid)] ?? 0));
    const s = ticks / HZ;
    cpu_s[name] = Number(s.toFixed(2));
    mine += s;
  }
  const busy = (b.machine.busy - a.machine.busy) / HZ;
  const total = (b.machine.total - a.machine.total) / HZ;
  return {
    seconds: (b.at - a.at) / 1000,
    cpu_s,
    machine_busy_share: Number((busy / Math.max(total, 1e-9)).toFixed(3)),
    others_cpu_s: Number(Math.max(0, busy - mine).toFixed(2)),
  };
}
