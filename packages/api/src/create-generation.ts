import { DEFAULT_WEBHOOK_EVENTS, parseCreateGeneration, type GenerationView } from '@refrain/contracts';
import { PlanError, planGeneration } from '@refrain/core';
import { createGeneration, type NewDoorId } from '@refrain/db';
import type { Logger } from '@refrain/observability';
import { enqueueGeneration } from '@refrain/queue';
import { outboundGuardOptions, refuseOutboundUrls } from './http/outbound-url-guard';
import { problem, validationProblem } from './http/problem';
import type { ApiDeps } from './deps';

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
  const provider = deps.providers.get(providerName);
  if (!provider) {
    throw problem(422, `unknown provider "${providerName}" (configured: ${[...deps.providers.keys()].join(', ')})`);
  }
  let plan;
  try {
    plan = planGeneration(body, {
      name: providerName,
      operations: provider.adapter.operations,
      models: provider.adapter.models,
    });
  } catch (e) {
    if (e instanceof PlanError) {
      throw problem(e.status, e.message, { ...(e.step !== undefined ? { step: e.step } : {}), ...(e.issues.length ? { issues: e.issues } : {}) });
    }
    throw e;
  }
  const view = await createGeneration(deps.database.db, {
    tenantId,
    provider: providerName,
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
