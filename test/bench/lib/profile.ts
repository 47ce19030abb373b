import fs from 'node:fs';

interface CpuNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: CpuNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives: a Refrain package, a dependency, or Node itself. */
export function areaOf(url: string, fn: string): string {
  if (!url) return fn === '(garbage collector)' ? 'gc' : fn === '(idle)' || fn === '(program)' ? fn : 'native';
  const pkg = /packages\/([\w-]+)\//.exec(url);
  if (pkg && !url.includes('node_modules')) return `refrain/${pkg[1]}`;
  const mod = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[\w.-]+\/)?[\w.-]+)/.exec(url);
  if (mod) return mod[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return 'other';
}

export interface ProfileSummary {
  totalMs: number;
  /** Self time by area, in ms and share of the non-idle time. */
  areas: { area: string; ms: number; share: number }[];
  /** Functions with the most self time. */
  top: { fn: string; where: string; ms: number; share: number }[];
  /** Refrain functions by inclusive time (they or what they call on the stack). */
  inclusive: { fn: string; where: string; ms: number; share: number }[];
}

/** Summarizes a `.cpuprofile` written by `node --cpu-prof`. */
export function summarizeProfile(file: string, topN = 20): ProfileSummary {
  const p = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const key = (n: CpuNode) => `${n.callFrame.functionName || '(anonymous)'}\t${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const areas = new Map<string, number>();
  const fns = new Map<string, number>();
  const incl = new Map<string, number>();
  let busy = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    const area = areaOf(n.callFrame.url, n.callFrame.functionName);
    if (area === '(idle)') continue;
    busy += ms;
    areas.set(area, (areas.get(area) ?? 0) + ms);
    fns.set(key(n), (fns.get(key(n)) ?? 0) + ms);
    // inclusive: each Refrain frame on this stack once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!;
      if (!areaOf(f.callFrame.url, f.callFrame.functionName).startsWith('refrain/')) continue;
      const k = key(f);
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + ms);
    }
  }
  const share = (ms: number) => Number(((100 * ms) / busy).toFixed(1));
  const rows = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, topN)
      .map(([k, ms]) => {
        const [fn, where] = k.split('\t');
        return { fn: fn!, where: where!, ms: Math.round(ms), share: share(ms) };
      });
  return {
    totalMs: Math.round(busy),
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, ms]) => ({ area, ms: Math.round(ms), share: share(ms) })),
    top: rows(fns),
    inclusive: rows(incl),
  };
}

function shortUrl(url: string): string {
  const i = url.indexOf('node_modules/');
  if (i >= 0) return url.slice(url.lastIndexOf('node_modules/') + 13);
  const p = url.indexOf('/packages/');
  if (p >= 0) return url.slice(p + 1);
  return url.replace(/^file:\/\//, '');
}

export function formatProfile(name: string, s: ProfileSummary): string {
  const lines = [`${name}: ${s.totalMs} ms of CPU (idle excluded)`, '', 'self time by area:'];
  for (const a of s.areas.slice(0, 18)) lines.push(`  ${a.share.toFixed(1).padStart(5)}%  ${String(a.ms).padStart(7)} ms  ${a.area}`);
  lines.push('', 'top functions by self time:');
  for (const f of s.top) lines.push(`  ${f.share.toFixed(1).padStart(5)}%  ${String(f.ms).padStart(7)} ms  ${f.fn}  (${f.where})`);
  lines.push('', 'Refrain functions by inclusive time:');
  for (const f of s.inclusive) lines.push(`  ${f.share.toFixed(1).padStart(5)}%  ${String(f.ms).padStart(7)} ms  ${f.fn}  (${f.where})`);
  return lines.join('\n');
}
