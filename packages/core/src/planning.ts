import {
  stepInput,
  type CreateGenerationRequest,
  type Op,
  type Scenario,
  type StepInput,
} from '@refrain/contracts';
import { canonicalModel } from './model-aliases';
import { expandScenario } from './scenarios';

/** What planning needs to know of the chosen provider. */
export interface ProviderCapabilities {
  name: string;
  operations: readonly Op[];
  models: readonly string[];
  /** How messages name it (default `provider "<name>"`). */
  label?: string;
}

/** A pool (docs/providers.md, "Provider pools"): planning needs its members' capabilities. */
export interface PoolCapabilities {
  name: string;
  members: readonly ProviderCapabilities[];
}

export interface PlannedStep {
  index: number;
  op: Op;
  input: StepInput;
}

export interface Plan {
  scenario: Scenario | null;
  steps: PlannedStep[];
}

/** A request that cannot be planned; `status` is the HTTP status to answer with. */
export class PlanError extends Error {
  constructor(
    readonly status: 400 | 422,
    message: string,
    readonly step?: number,
    readonly issues: { path: (string | number)[]; message: string; code: string }[] = [],
  ) {
    super(message);
    this.name = 'PlanError';
  }
}

/** Operations that work on an existing clip. */
export const CLIP_OPS: ReadonlySet<Op> = new Set(['extend', 'concat', 'cover', 'replace_section', 'stems']);
/** Operations whose output is clips (everything but lyrics). */
export const producesClips = (op: Op): boolean => op !== 'lyrics';

/** The clip a step names itself, if any. */
export function namedClip(step: StepInput): string | undefined {
  if (step.op === 'extend') return step.continue_clip_id;
  if ('clip_id' in step) return step.clip_id;
  return undefined;
}

const isDescriptionMode = (s: StepInput): boolean => s.op === 'generate' && s.gpt_description_prompt !== undefined;
const hasCustomFields = (s: Extract<StepInput, { op: 'generate' }>): boolean =>
  s.prompt !== undefined || s.title !== undefined || s.tags !== undefined;

/**
 * Turn a validated request into the steps to run, or throw PlanError naming the step.
 * Pure: the same request and provider always give the same answer.
 */
export function planGeneration(req: CreateGenerationRequest, provider: ProviderCapabilities): Plan {
  const scenario = 'scenario' in req ? req.scenario : null;
  const raw: StepInput[] = 'scenario' in req ? expandScenario(req.scenario, req.input) : req.steps;

  const steps = raw.map((s, index) => {
    // Scenario steps are built from a flat input, so they are checked again here.
    const parsed = stepInput.safeParse(s);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      throw new PlanError(
        400,
        `step ${index} (${s.op}): ${first?.path.join('.') ?? ''} ${first?.message ?? 'is invalid'}`.trim(),
        index,
        parsed.error.issues.map((i) => ({ path: ['steps', index, ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message, code: i.code })),
      );
    }
    return { index, op: parsed.data.op, input: parsed.data };
  });

  steps.forEach((step, index) => checkStep(step.input, index, steps[index - 1]?.input, provider));
  return { scenario, steps };
}

/**
 * Why `provider` cannot run `step` (its operation, or the model it names: a codename such
 * as chirp-auk names the same model as its version name), or null when it can.
 */
export function lacking(provider: ProviderCapabilities, step: StepInput): string | null {
  const who = provider.label ?? `provider "${provider.name}"`;
  if (!provider.operations.includes(step.op)) return `${who} does not offer the operation "${step.op}"`;
  const mv = 'mv' in step ? step.mv : undefined;
  if (mv !== undefined && !provider.models.map(canonicalModel).includes(canonicalModel(mv))) {
    return `${who} has no model "${mv}" (models: ${provider.models.join(', ')})`;
  }
  return null;
}

/**
 * The step runs where the step before it ran: it works on that step's clip (continues,
 * covers, concatenates, splits it), which only that provider holds.
 */
export const followsPrevious = (step: StepInput, index: number): boolean => index > 0 && CLIP_OPS.has(step.op) && namedClip(step) === undefined;

/** Steps `index` and the ones after it that must run on the same provider as it (its chain). */
export function chainFrom<T extends StepInput>(steps: readonly T[], index: number): T[] {
  let end = index + 1;
  while (end < steps.length && followsPrevious(steps[end]!, end)) end++;
  return steps.slice(index, end);
}

/**
 * Plan for a pool: every step must be offered by some member, and each chain (a step and
 * the steps that work on its clips, which run where it ran) by one member as a whole.
 */
export function planForPool(req: CreateGenerationRequest, pool: PoolCapabilities): Plan {
  const union: ProviderCapabilities = {
    name: pool.name,
    label: `the pool "${pool.name}" (${pool.members.map((m) => m.name).join(', ')})`,
    operations: [...new Set(pool.members.flatMap((m) => m.operations))],
    models: [...new Set(pool.members.flatMap((m) => m.models))],
  };
  const plan = planGeneration(req, union);
  const inputs = plan.steps.map((s) => s.input);
  inputs.forEach((step, index) => {
    if (followsPrevious(step, index)) return;
    const chain = chainFrom(inputs, index);
    if (pool.members.some((m) => chain.every((s) => lacking(m, s) === null))) return;
    const why = pool.members.map((m) => chain.map((s) => lacking(m, s)).find((r) => r !== null)).join('; ');
    const ops = chain.map((s) => s.op).join(' → ');
    throw new PlanError(422, `step ${index} (${step.op}): no member of the pool "${pool.name}" can run ${ops} on its own (${why})`, index);
  });
  return plan;
}

function checkStep(step: StepInput, index: number, prev: StepInput | undefined, provider: ProviderCapabilities): void {
  const fail = (status: 400 | 422, msg: string): never => {
    throw new PlanError(status, `step ${index} (${step.op}): ${msg}`, index);
  };
  const lacks = lacking(provider, step);
  if (lacks) fail(422, lacks);
  if (CLIP_OPS.has(step.op) && namedClip(step) === undefined) {
    if (!prev) fail(400, `needs a clip: name ${step.op === 'extend' ? 'continue_clip_id' : 'clip_id'} or put a step before it`);
    else if (!producesClips(prev.op)) fail(400, `needs a clip, but step ${index - 1} (${prev.op}) makes none`);
  }
  if (step.op === 'generate') {
    if (isDescriptionMode(step) && step.prompt) {
      fail(400, 'use gpt_description_prompt (description mode) or prompt (custom mode), not both');
    }
    if (!isDescriptionMode(step) && !hasCustomFields(step) && prev?.op !== 'lyrics') {
      fail(400, 'needs gpt_description_prompt (description mode) or prompt, title or tags (custom mode)');
    }
  }
}
