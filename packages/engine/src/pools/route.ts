import type { PoolConfig, StepInput } from '@refrain/contracts';
import { RefrainError, chainFrom, chooseMember, followsPrevious, lacking, namedClip, type MemberCondition, type MemberState } from '@refrain/core';
import { clipHolder, laterStepInputs, type StepContext } from '@refrain/db';
import { clock, type EngineDeps, type ProviderRuntime } from '../deps';
import { readCredits } from './credits';

export interface RouteCandidate {
  runtime: ProviderRuntime;
  condition: MemberCondition | 'pinned';
  reason: string;
}

/** Where a step's submission goes: its provider, or a pool's members in the order to try them. */
export type StepRouting =
  | { kind: 'direct'; runtime: ProviderRuntime }
  | { kind: 'pool'; pool: string; pinned: boolean; candidates: RouteCandidate[]; passed: { provider: string; reason: string }[] };

const unfit = (message: string) => new RefrainError({ code: 'provider_unfit', retry: false, message });

/** The members' states in a few parallel round trips; a store that cannot answer leaves a member "unknown", not excluded. */
export async function memberStates(deps: EngineDeps, pool: PoolConfig): Promise<MemberState[]> {
  const members = pool.members.filter((m) => deps.providers.has(m.provider));
  const credits = await readCredits(deps.guard, members.map((m) => m.provider)).catch(() => new Map());
  return Promise.all(
    members.map(async (m) => {
      const { adapter } = deps.providers.get(m.provider)!;
      const [breaker, budget] = await Promise.all([
        deps.guard.breaker.state(m.provider).catch(() => ({ state: 'closed' as const })),
        deps.guard.gate.state(m.provider).catch(() => null),
      ]);
      return {
        name: m.provider,
        operations: adapter.operations,
        models: adapter.models,
        priority: m.priority,
        weight: m.weight,
        breaker: breaker.state,
        pausedUntil: budget?.pausedUntil ?? null,
        bookedAheadMs: budget?.bookedAheadMs ?? null,
        credits: credits.get(m.provider)?.songs_left ?? null,
      };
    }),
  );
}

/** A step that works on a clip runs where the clip is, whatever the pool says. */
function pinned(deps: EngineDeps, pool: string, holder: string, step: StepContext['step'], why: string): StepRouting {
  const runtime = deps.providers.get(holder);
  const input = step.input as StepInput;
  if (!runtime) throw unfit(`step ${step.index} (${input.op}) ${why}, and "${holder}" is no longer configured`);
  const lacks = lacking({ name: holder, operations: runtime.adapter.operations, models: runtime.adapter.models }, input);
  if (lacks) throw unfit(`step ${step.index} (${input.op}) ${why}, and ${lacks}: a clip stays with the provider that made it`);
  return { kind: 'pool', pool, pinned: true, passed: [], candidates: [{ runtime, condition: 'pinned', reason: why }] };
}

/**
 * Route a step (docs/providers.md, "Provider pools"). Not in a pool: its provider. In a
 * pool: pinned to the member holding the clip it works on (the previous step's, or one it
 * names that Refrain recorded), else the members that can run it and the steps that will
 * follow on its clips, in the choice policy's order.
 */
export async function routeStep(deps: EngineDeps, ctx: StepContext, random: () => number = Math.random): Promise<StepRouting> {
  const { step } = ctx;
  if (!step.pool) {
    const runtime = deps.providers.get(step.provider);
    if (!runtime) throw unfit(`provider "${step.provider}" is not configured`);
    return { kind: 'direct', runtime };
  }
  const pool = deps.pools?.get(step.pool);
  if (!pool) throw unfit(`the pool "${step.pool}" is no longer configured`);
  const input = step.input as StepInput;
  if (followsPrevious(input, step.index) && ctx.previous) {
    return pinned(deps, pool.name, ctx.previous.provider, step, `works on a clip of step ${step.index - 1}, which "${ctx.previous.provider}" holds`);
  }
  const named = namedClip(input);
  const members = pool.members.map((m) => m.provider);
  const holder = named ? await clipHolder(deps.database.db, members, named) : null;
  if (holder) return pinned(deps, pool.name, holder.provider, step, `works on the clip ${named}, which "${holder.provider}" holds`);
  const later = (await laterStepInputs(deps.database.db, step.generationId, step.index)) as StepInput[];
  // The steps that will follow on its clips run where it runs: the member must offer them too.
  const needs = chainFrom([input, ...later], 0);
  const choice = chooseMember(await memberStates(deps, pool), needs, { now: clock(deps), random });
  if (choice.order.length === 0) {
    throw unfit(`no member of the pool "${pool.name}" can run step ${step.index} (${input.op}): ${choice.passed.map((p) => p.reason).join('; ')}`);
  }
  return {
    kind: 'pool',
    pool: pool.name,
    pinned: false,
    passed: choice.passed,
    candidates: choice.order.map((o) => ({ runtime: deps.providers.get(o.provider)!, condition: o.condition, reason: o.reason })),
  };
}
