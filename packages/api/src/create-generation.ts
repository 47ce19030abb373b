import { DEFAULT_WEBHOOK_EVENTS, parseCreateGeneration, type GenerationView } from '@refrain/contracts';
import { PlanError, lacking, namedClip, planForPool, planGeneration, type PlannedStep } from '@refrain/core';
import { clipHolder, createGeneration, type NewDoorId } from '@refrain/db';
import type { PoolConfig } from '@refrain/contracts';
import type { Logger } from '@refrain/observability';
import { enqueueGeneration } from '@refrain/queue';
import { outboundGuardOptions, refuseOutboundUrls } from './http/outbound-url-guard';
import { problem, validationProblem } from './http/problem';
import type { ApiDeps } from './deps';
import { configuredNames, providerTarget } from './provider-target';

/**
 * Validate, check the URLs it would fetch or call (the URL guard), plan, write to Postgres,
 * then add one flow (SPEC section 2). Shared by POST /v1/generations, the chat door and the
 * front doors, so every song is the same durable generation under the same checks. A front
 * door's ids are written with it (`doorIds`). Throws HttpProblem for anything the client must fix.
 */
export async function submitGeneration(
  deps: ApiDeps,
  tenantId: string,
  request: unknown,
  log: Logger = deps.logger,
  extra: { doorIds?: NewDoorId[] } = {},
): Promise<GenerationView> {
  const parsed = parseCreateGeneration(request);
  if (!parsed.success) throw validationProblem(parsed.error, 'request body');
  const body = parsed.data;
  const refused = await refuseOutboundUrls(body, outboundGuardOptions(deps));
  if (refused) throw refused;
  const providerName = body.provider ?? deps.defaultProvider;
  const target = providerTarget(deps, providerName);
  if (!target) throw problem(422, `unknown provider "${providerName}" (${configuredNames(deps)})`);
  let plan;
  try {
    plan = target.kind === 'pool' ? planForPool(body, target.capabilities) : planGeneration(body, target.capabilities);
    if (target.kind === 'pool') await checkNamedClips(deps, target.pool, plan.steps);
  } catch (e) {
    if (e instanceof PlanError) {
      throw problem(e.status, e.message, { ...(e.step !== undefined ? { step: e.step } : {}), ...(e.issues.length ? { issues: e.issues } : {}) });
    }
    throw e;
  }
  const view = await createGeneration(deps.database.db, {
    tenantId,
    provider: providerName,
    pool: target.kind === 'pool' ? target.name : null,
    scenario: plan.scenario,
    metadata: body.metadata ?? {},
    callbackUrl: body.callback_url ?? null,
    webhookEvents: body.webhook_events ?? DEFAULT_WEBHOOK_EVENTS,
    steps: plan.steps,
    ...(extra.doorIds ? { doorIds: extra.doorIds } : {}),
  });
  try {
    await enqueueGeneration(deps.kit, view.id, plan.steps);
  } catch (err) {
    // Postgres has it; the reconciler adds the flow once the queue is back.
    log.error({ generationId: view.id, err: (err as Error).message }, 'enqueue failed; left to the reconciler');
  }
  return view;
}

/**
 * A step of a pool that names a clip Refrain made runs where that clip is: refuse now,
 * rather than at run time, when that member cannot run it.
 */
async function checkNamedClips(deps: ApiDeps, pool: PoolConfig, steps: PlannedStep[]): Promise<void> {
  for (const step of steps) {
    const clip = namedClip(step.input);
    if (!clip) continue;
    const holder = await clipHolder(deps.database.db, pool.members.map((m) => m.provider), clip);
    const runtime = holder && deps.providers.get(holder.provider);
    if (!runtime) continue;
    const lacks = lacking({ name: holder.provider, operations: runtime.adapter.operations, models: runtime.adapter.models }, step.input);
    if (lacks) throw new PlanError(422, `step ${step.index} (${step.op}): the clip ${clip} is held by provider "${holder.provider}", and ${lacks}: a clip stays with the provider that made it`, step.index);
  }
}
