import type { FlowJob } from 'bullmq';
import { JOBS, QUEUES, stepJobId, type Op } from '@refrain/contracts';
import type { QueueKit } from './backend';

export interface FlowStep {
  index: number;
  op: Op;
}

/** Job name shown in Bull Board: generation id, step index and operation. */
export const stepJobName = (generationId: string, s: FlowStep): string => `${generationId} #${s.index} ${s.op}`;

const KEEP = { removeOnComplete: { age: 3600, count: 10000 }, removeOnFail: { age: 7 * 86400, count: 10000 } };

/**
 * One flow per generation: step i+1 is the parent of step i, so the first step runs
 * first and each parent reads its child's value. A failed child fails its parent, so
 * nothing is left in waiting-children. Job ids are deterministic: adding twice is harmless.
 */
export function buildStepFlow(generationId: string, steps: readonly FlowStep[], fromIndex = 0): FlowJob {
  let node: FlowJob | undefined;
  for (const s of steps.filter((x) => x.index >= fromIndex)) {
    const job: FlowJob = {
      name: stepJobName(generationId, s),
      queueName: QUEUES.steps,
      data: JOBS.step.schema.parse({ generationId, index: s.index }),
      opts: {
        jobId: stepJobId(generationId, s.index),
        attempts: JOBS.step.retry.attempts,
        backoff: JOBS.step.retry.backoff,
        priority: JOBS.step.priority.submit,
        failParentOnFailure: true,
        ...KEEP,
      },
      ...(node ? { children: [node] } : {}),
    };
    node = job;
  }
  if (!node) throw new Error('a flow needs at least one step');
  return node;
}

export async function enqueueGeneration(kit: QueueKit, generationId: string, steps: readonly FlowStep[], fromIndex = 0) {
  return kit.flowProducer().add(buildStepFlow(generationId, steps, fromIndex));
}

export const KEEP_JOBS = KEEP;
