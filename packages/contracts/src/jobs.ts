import { z } from 'zod';

/** Queue names. One place, so producers and processors never disagree. */
export const QUEUES = {
  steps: 'steps',
  poll: 'poll',
  deliveries: 'deliveries',
  maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

interface RetryPolicy {
  attempts: number;
  /** `custom` = exponential from `delay`, or the upstream's Retry-After when it gave one. */
  backoff: { type: 'exponential' | 'fixed' | 'custom'; delay: number };
}

/**
 * The job catalog: each job name maps to its queue, payload schema and retry policy.
 * Producers parse payloads with it; processors parse them again before acting.
 */
export const JOBS = {
  step: {
    queue: QUEUES.steps,
    schema: z.object({ generationId: z.string(), index: z.number().int().min(0) }),
    retry: { attempts: 8, backoff: { type: 'custom', delay: 1000 } } satisfies RetryPolicy,
    /**
     * BullMQ priorities: a step job is added at `submit`; once submitted, it waits at
     * `waiting` (0, BullMQ's plain wait list, which workers serve before any prioritized
     * job), so a step whose task just ended never queues behind a backlog of submissions.
     */
    priority: { submit: 10, waiting: 0 },
  },
  poll: {
    queue: QUEUES.poll,
    schema: z.object({ provider: z.string() }),
    retry: { attempts: 1, backoff: { type: 'fixed', delay: 0 } } satisfies RetryPolicy,
  },
  deliver: {
    queue: QUEUES.deliveries,
    schema: z.object({ deliveryId: z.string() }),
    retry: { attempts: 8, backoff: { type: 'exponential', delay: 2000 } } satisfies RetryPolicy,
  },
  reconcile: {
    queue: QUEUES.maintenance,
    schema: z.object({ reason: z.string() }),
    retry: { attempts: 1, backoff: { type: 'fixed', delay: 0 } } satisfies RetryPolicy,
  },
} as const;
export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;

/** Deterministic job ids (no colons: BullMQ reserves them). */
export const stepJobId = (generationId: string, index: number): string => `${generationId}-${index}`;
