import { INVARIANTS, KNOWN_BUGS, type Invariant } from './invariants';
import type { ChaosReport } from './types';

/** The summary table, plain text. */
export function formatReport(r: ChaosReport): string {
  const rows: [string, string][] = [];
  const kv = (o: Record<string, number>) =>
    Object.entries(o)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  rows.push(['run', `${r.label}: ${r.generations} generations, ${r.options.workers} workers, ${(r.elapsedMs / 1000).toFixed(1)} s`]);
  rows.push(['final status', kv(r.byStatus)]);
  for (const [s, c] of Object.entries(r.byScenario).sort(([a], [b]) => (a < b ? -1 : 1))) rows.push([`  ${s}`, kv(c)]);
  rows.push(['failures by code', kv(r.failuresByCode)]);
  rows.push(['never-finishing', `${r.never.total} (timed out ${r.never.timedOut}, never submitted ${r.never.notSubmitted})`]);
  rows.push(['other upstream_timeout', String(r.falseTimeouts)]);
  rows.push(['faults injected', kv(r.faultsInjected)]);
  rows.push([
    'upstream requests',
    `${Object.values(r.sim.requests).reduce((a, b) => a + b, 0)} (status queries ${r.sim.statusQueries}, callbacks sent ${r.sim.callbacks.sent}, failed ${r.sim.callbacks.failed}; simulator b ${Object.values(r.sims.b?.requests ?? {}).reduce((a, b) => a + b, 0)})`,
  ]);
  rows.push(['kills / flushes / pg restarts / pool outages', `${r.kills} / ${r.flushes} / ${r.pgRestarts} / ${r.poolOutages}`]);
  const p = r.pool;
  rows.push(['pool generations', `${p.generations} (${kv(p.byStatus)}); chains checked ${p.chainsChecked}; upstream_timeout ${p.falseTimeouts}`]);
  rows.push(['pool steps by member', kv(p.stepsByMember)]);
  rows.push(['pool failovers', kv(p.failovers)]);
  rows.push([
    'pool outages',
    p.outages.map((o) => `at ${(o.at / 1000).toFixed(1)} s for ${o.ms} ms: ${o.poolPosts} pool generation(s) posted, ${o.failovers} failover(s) away from pb, tasks held by pb ${kv(o.heldTasks)}`).join('; ') +
      (p.note ? ` (${p.note})` : '') || '-',
  ]);
  rows.push(['processes that died on their own', r.crashes.length ? r.crashes.map((c) => c.name).join(', ') : 'none']);
  rows.push(['POST retries', `${r.postRetries} (${kv(r.postFailureKinds)})`]);
  rows.push(['steps', `${r.steps.total}, with a task ${r.steps.withTask}, intents ${r.steps.intents}, steps with >1 intent ${r.steps.retriedIntents}`]);
  rows.push(['accepted submissions', String(r.submissions.accepted)]);
  rows.push(['duplicates (simulators)', `${r.sim.duplicates} (${Object.entries(r.sims).map(([k, v]) => `${k} ${v.duplicates}`).join(', ')})`]);
  rows.push(['duplicates (recorder)', `${r.submissions.duplicates}; orphaned tasks ${r.submissions.orphaned}; after record ${r.submissions.afterRecord}`]);
  rows.push(['lingering jobs', r.violations.some((v) => v.invariant === INVARIANTS.noLingering) ? JSON.stringify(r.lingeringJobs) : 'none']);
  rows.push(['violations', String(r.violations.length)]);
  const w = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `${k.padEnd(w)} | ${v}`);
  const events = r.events.map(
    (e) => `  ${(e.at / 1000).toFixed(1).padStart(6)} s  ${e.what} (${e.ms} ms, ${e.inFlight} in flight${e.orphaned ? `, ${e.orphaned} orphaned task(s)` : ''})`,
  );
  const counts = new Map<string, number>();
  for (const v of r.violations) counts.set(v.invariant, (counts.get(v.invariant) ?? 0) + 1);
  const bad = [...counts].map(([inv, n]) => {
    const first = r.violations.filter((v) => v.invariant === inv).slice(0, 3).map((v) => `      ${v.detail}`);
    const known = KNOWN_BUGS[inv as Invariant];
    return [`  ✗ ${inv}: ${n}${known ? ' — KNOWN BUG, reported: ' + known : ''}`, ...first].join('\n');
  });
  return [...lines, 'events:', ...events, ...(bad.length ? ['violations:', ...bad] : [])].join('\n');
}
