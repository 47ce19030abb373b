import { followsPrevious } from '@refrain/core';
import type { Violations } from './checks';
import { INVARIANTS } from './invariants';
import type { GenerationRow, StepRow } from './observe';
import { POOL, POOL_MEMBERS } from './stack';
import type { OutageWindow, PoolReport, Submitted } from './types';

/** The pool's invariants: its steps stay in the pool and with their clips, an outage fails over, held tasks come back. */

/** The failover reasons an outage gives (failover.ts words): the connection refused, or the breaker it opened. */
const OUTAGE_REASON = /^(could not be reached|is resting)/;

/** Over the generations that named the pool: pushes what is broken onto `violations`, returns the report's pool part. */
export function checkPool(
  submitted: Submitted[],
  byId: Map<string, GenerationRow>,
  stepRows: StepRow[],
  outageWindows: OutageWindow[],
  t0: number,
  violations: Violations,
): PoolReport {
  // --- the pool: chains stay with their clips, the outage fails over ---------------------
  const poolGens = submitted.filter((g) => g.provider === POOL);
  const pool: PoolReport = {
    name: POOL,
    members: POOL_MEMBERS.map((m) => m.provider),
    generations: poolGens.length,
    byStatus: {},
    stepsByMember: {},
    failovers: {},
    chainsChecked: 0,
    falseTimeouts: 0,
    outages: outageWindows.map((w) => ({ at: w.from - t0, ms: w.to - w.from, poolPosts: 0, failovers: 0, heldTasks: {} })),
  };
  for (const g of poolGens) {
    const row = byId.get(g.id!);
    const status = row?.status ?? 'missing';
    pool.byStatus[status] = (pool.byStatus[status] ?? 0) + 1;
    if (status === 'failed' && row?.error?.code === 'upstream_timeout') pool.falseTimeouts++;
    const mySteps = stepRows.filter((x) => x.generation_id === g.id).sort((a, b) => a.index - b.index);
    for (const st of mySteps) {
      if (st.pool !== POOL) {
        violations.push({ invariant: INVARIANTS.poolChain, detail: `${g.id} (#${g.n} ${g.scenario}) named the pool, but its step ${st.index} has pool ${st.pool ?? 'null'}` });
      }
      if (st.upstream_task_id) pool.stepsByMember[st.provider] = (pool.stepsByMember[st.provider] ?? 0) + 1;
      for (const f of st.route?.failovers ?? []) {
        const k = `${f.provider}: ${f.reason.split(':')[0]}`;
        pool.failovers[k] = (pool.failovers[k] ?? 0) + 1;
        const at = Date.parse(f.at);
        pool.outages.forEach((o, i) => {
          const w = outageWindows[i]!;
          if (f.provider === 'pb' && OUTAGE_REASON.test(f.reason) && at >= w.from - 500 && at <= w.to + 12_000) o.failovers++;
        });
      }
    }
    pool.outages.forEach((o, i) => {
      const w = outageWindows[i]!;
      if (g.postedAt >= w.from && g.postedAt <= w.to) o.poolPosts++;
      for (const st of mySteps) {
        const held = st.provider === 'pb' && st.submitted_at && st.submitted_at.getTime() < w.from && (!st.finished_at || st.finished_at.getTime() > w.from);
        if (!held) continue;
        const k = st.status === 'failed' ? `failed ${st.error?.code ?? '?'}` : st.status;
        o.heldTasks[k] = (o.heldTasks[k] ?? 0) + 1;
        if (st.error?.code === 'upstream_timeout') {
          violations.push({
            invariant: INVARIANTS.outageHeld,
            detail: `step ${st.generation_id}#${st.index} (${st.op}, #${g.n} ${g.scenario}) submitted to pb at ${st.submitted_at!.toISOString()}, before pb went down at ${new Date(w.from).toISOString()}, failed with upstream_timeout`,
          });
        }
      }
    });
    if (status !== 'succeeded') continue;
    if (mySteps.length > 1) pool.chainsChecked++;
    for (const st of mySteps) {
      if (!POOL_MEMBERS.some((m) => m.provider === st.provider)) {
        violations.push({ invariant: INVARIANTS.poolChain, detail: `${g.id} (#${g.n} ${g.scenario}) step ${st.index} ran on ${st.provider}, not a member of the pool` });
      }
      const prev = mySteps.find((x) => x.index === st.index - 1);
      if (prev && followsPrevious(st.input, st.index) && st.provider !== prev.provider) {
        violations.push({
          invariant: INVARIANTS.poolChain,
          detail: `${g.id} (#${g.n} ${g.scenario}): step ${st.index} (${st.op}) ran on ${st.provider}, but the clip of step ${prev.index} (${prev.op}) is on ${prev.provider}; steps ${mySteps.map((x) => `${x.index}:${x.op}@${x.provider}`).join(' ')}`,
        });
      }
    }
  }
  pool.outages.forEach((o) => {
    if (o.failovers > 0) return;
    if (o.poolPosts > 0) {
      violations.push({
        invariant: INVARIANTS.poolFailover,
        detail: `${o.poolPosts} pool generation(s) were posted while pb was down (at ${(o.at / 1000).toFixed(1)} s for ${o.ms} ms), yet no step recorded a failover away from pb`,
      });
    } else {
      pool.note = `not asserted for the outage at ${(o.at / 1000).toFixed(1)} s: no pool generation was posted while pb was down`;
    }
  });
  return pool;
}
