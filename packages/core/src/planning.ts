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

function checkStep(step: StepInput, index: number, prev: StepInput | undefined, provider: ProviderCapabilities): void {
  const fail = (status: 400 | 422, msg: string): never => {
    throw new PlanError(status, `step ${index} (${step.op}): ${msg}`, index);
  };
  if (!provider.operations.includes(step.op)) {
    fail(422, `provider "${provider.name}" does not offer the operation "${step.op}"`);
  }
  // A codename (chirp-auk) names the same model as its version name (chirp-v4-5).
  if ('mv' in step && step.mv !== undefined && !provider.models.map(canonicalModel).includes(canonicalModel(step.mv))) {
    fail(422, `provider "${provider.name}" has no model "${step.mv}" (models: ${provider.models.join(', ')})`);
  }
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
