import type { StepInput } from '@refrain/contracts';
import { lacking, type ProviderCapabilities } from './planning';

/**
 * How a pool picks the member that runs a step (docs/providers.md, "Provider pools").
 * Pure: the members' states, the clock and the random draw are handed in.
 */

/** Best first: a member is tried only when every member of a better condition was. */
export const CONDITIONS = ['ready', 'busy', 'resting', 'no_credits'] as const;
export type MemberCondition = (typeof CONDITIONS)[number];

export interface MemberState extends ProviderCapabilities {
  /** Higher first. */
  priority: number;
  /** Share of the draw among members of the same condition and priority. */
  weight: number;
  breaker: 'closed' | 'open' | 'half_open';
  /** Until when the provider asked us to slow down (HTTP 429), epoch ms. */
  pausedUntil: number | null;
  /** How far ahead its shared request slots are booked (0: a request would go at once); null when unknown. */
  bookedAheadMs: number | null;
  /** Songs left, where the dialect reports them; null when unknown. */
  credits: number | null;
}

export interface MemberPick {
  provider: string;
  condition: MemberCondition;
  priority: number;
  /** Its condition in words ("ready", "its circuit is open", …). */
  why: string;
  /** Why this member stands where it does, for the step's record and the logs. */
  reason: string;
}

export interface PoolChoice {
  /** The members to try, in order (the first is the choice; the rest are where a failover goes). */
  order: MemberPick[];
  /** Members left out, and why (they lack an operation or model, or already failed this step). */
  passed: { provider: string; reason: string }[];
}

/** Booked further ahead than this, a member is busy: its submission would wait at the gate. */
export const BUSY_AHEAD_MS = 1000;
/** Paused longer than this (a 429's Retry-After), a member is resting: a submission would be parked. */
export const RESTING_PAUSE_MS = 2000;

/** The condition the choice policy sees a member in now, and why (GET /v1/providers shows it too). */
export function memberCondition(m: MemberState, now: number): { condition: MemberCondition; why: string } {
  const pausedMs = m.pausedUntil === null ? 0 : m.pausedUntil - now;
  if (m.credits !== null && m.credits <= 0) return { condition: 'no_credits', why: 'its credits are exhausted' };
  if (m.breaker === 'open') return { condition: 'resting', why: 'its circuit is open' };
  if (pausedMs > RESTING_PAUSE_MS) return { condition: 'resting', why: `it asked us to slow down (HTTP 429) for ${Math.ceil(pausedMs / 1000)} s more` };
  if (m.breaker === 'half_open') return { condition: 'busy', why: 'its circuit is half-open (one probe at a time)' };
  if (pausedMs > 0) return { condition: 'busy', why: 'it asked us to slow down (HTTP 429)' };
  if (m.bookedAheadMs !== null && m.bookedAheadMs > BUSY_AHEAD_MS) return { condition: 'busy', why: `its request budget is booked ${Math.round(m.bookedAheadMs)} ms ahead` };
  return { condition: 'ready', why: 'ready' };
}

/**
 * Order the members that can run every step of `needs` (the step and the steps that will
 * work on its clips): by condition (ready, busy, resting, out of credits), then priority
 * (higher first), then a draw weighted by `weight` among equals. Members in `exclude`
 * (already failed this step) and members lacking an operation or model are passed.
 */
export function chooseMember(
  members: readonly MemberState[],
  needs: readonly StepInput[],
  opts: { now: number; random: () => number; exclude?: ReadonlyMap<string, string> },
): PoolChoice {
  const passed: PoolChoice['passed'] = [];
  const ranked: (Omit<MemberPick, 'reason'> & { weight: number; key: number })[] = [];
  for (const m of members) {
    const excluded = opts.exclude?.get(m.name);
    const lacks = needs.map((s) => lacking(m, s)).find((r) => r !== null);
    if (excluded !== undefined) passed.push({ provider: m.name, reason: excluded });
    else if (lacks) passed.push({ provider: m.name, reason: lacks });
    else {
      const { condition, why } = memberCondition(m, opts.now);
      // Efraimidis–Spirakis: sorting by u^(1/w) draws each member with odds proportional to its weight.
      const key = Math.pow(opts.random(), 1 / m.weight);
      ranked.push({ provider: m.name, condition, priority: m.priority, why, weight: m.weight, key });
    }
  }
  ranked.sort((a, b) => CONDITIONS.indexOf(a.condition) - CONDITIONS.indexOf(b.condition) || b.priority - a.priority || b.key - a.key);
  const order = ranked.map((r, i) => {
    const peers = ranked.filter((o) => o.condition === r.condition && o.priority === r.priority);
    const draw = peers.length > 1 ? `, drawn by weight (${r.weight} of ${peers.reduce((n, o) => n + o.weight, 0)})` : '';
    const place = i === 0 ? (r.condition === 'ready' ? '' : `; no member is ready`) : `; fallback ${i}`;
    return { provider: r.provider, condition: r.condition, priority: r.priority, why: r.why, reason: `${r.why}, priority ${r.priority}${draw}${place}` };
  });
  return { order, passed };
}
