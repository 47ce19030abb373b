import fs from 'node:fs';

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

/** Busy and total ticks of the whole machine from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

export interface CpuSample {
  at: number;
  procs: Record<string, number>;
  machine: { busy: number; total: number };
}

/**
 * CPU time of the benchmark's own processes, of every postgres and redis-server process
 * (the servers are shared: other users of the machine count there too), and of the
 * whole machine, so a phase can say where its CPU went and how busy the machine was.
 */
export function cpuSample(named: Record<string, number | undefined>): CpuSample {
  const procs: Record<string, number> = {};
  for (const [name, pid] of Object.entries(named)) if (pid) procs[name] = procTicks(pid);
  procs.postgres = pidsNamed('postgres').reduce((a, pid) => a + procTicks(pid), 0);
  procs.redis = pidsNamed('redis-server').reduce((a, pid) => a + procTicks(pid), 0);
  return { at: Date.now(), procs, machine: machineTicks() };
}

/** CPU seconds per process between two samples, the machine's busy share, and what the rest of the machine used. */
export function cpuDelta(a: CpuSample, b: CpuSample): { seconds: number; cpu_s: Record<string, number>; machine_busy_share: number; others_cpu_s: number } {
  const cpu_s: Record<string, number> = {};
  let mine = 0;
  for (const k of Object.keys(b.procs)) {
    const s = ((b.procs[k] ?? 0) - (a.procs[k] ?? 0)) / HZ;
    cpu_s[k] = Number(s.toFixed(2));
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
