import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** BullMQ job states reported as queue depth. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed'] as const;

/** Circuit-breaker states as gauge values: 0 closed (calls flow), 1 half-open (probing), 2 open (calls refused). */
export const CIRCUIT_STATES = { closed: 0, half_open: 1, open: 2 } as const;
export type CircuitState = keyof typeof CIRCUIT_STATES;

/**
 * Every `refrain_` metric in one Registry. Process metrics (process_*, nodejs_*) keep
 * their standard names so stock Node.js dashboards work unchanged.
 */
export function createMetrics(opts: { processMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    queueDepth: new Gauge({
      name: 'refrain_queue_depth',
      help: 'Jobs in each BullMQ queue by state, read from the queue at scrape time.',
      labelNames: ['queue', 'state'] as const,
      registers,
    }),
    stepDuration: new Histogram({
      name: 'refrain_step_duration_seconds',
      help: 'Time from a step starting (its first submission) to its final state.',
      labelNames: ['operation', 'provider', 'outcome'] as const,
      buckets: [1, 5, 15, 30, 60, 120, 180, 300, 600, 1200, 3600],
      registers,
    }),
    upstreamRequests: new Counter({
      name: 'refrain_upstream_requests_total',
      help: 'HTTP requests to upstream providers by outcome (ok, rejected, unavailable, timeout, bad_response, failed).',
      labelNames: ['provider', 'operation', 'outcome'] as const,
      registers,
    }),
    upstreamRequestDuration: new Histogram({
      name: 'refrain_upstream_request_duration_seconds',
      help: 'Latency of upstream HTTP requests, answered or not.',
      labelNames: ['provider', 'operation'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 240],
      registers,
    }),
    callbacksReceived: new Counter({
      name: 'refrain_callbacks_received_total',
      help: 'notify_hook callbacks received from providers.',
      labelNames: ['provider'] as const,
      registers,
    }),
    callbacksRejected: new Counter({
      name: 'refrain_callbacks_rejected_total',
      help: 'notify_hook callbacks answered with an error (unknown_hook, bad_body, too_large, error).',
      labelNames: ['provider', 'reason'] as const,
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'refrain_webhook_deliveries_total',
      help: 'Outbound webhook delivery attempts by outcome.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    circuitBreakerState: new Gauge({
      name: 'refrain_circuit_breaker_state',
      help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open.',
      labelNames: ['provider'] as const,
      registers,
    }),
    gateRequests: new Counter({
      name: 'refrain_upstream_gate_requests_total',
      help: 'Requests let through the shared rate gate, by kind (submit, poll, other); rate() is the budget used.',
      labelNames: ['provider', 'kind'] as const,
      registers,
    }),
    gateWait: new Histogram({
      name: 'refrain_upstream_gate_wait_seconds',
      help: 'How long a request waited at the shared rate gate for its slot.',
      labelNames: ['provider', 'kind'] as const,
      buckets: [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    gateDropped: new Counter({
      name: 'refrain_upstream_gate_slots_dropped_total',
      help: 'Request slots not used because this process could only use them too late (a busy event loop, a slow intent): budget wasted to keep the ceiling.',
      labelNames: ['provider', 'reason'] as const,
      registers,
    }),
    budget: new Gauge({
      name: 'refrain_upstream_budget_rps',
      help: 'A provider\'s request budget as the last poll tick saw it: limit (what the gate allows now), used (last whole second, all workers), left.',
      labelNames: ['provider', 'state'] as const,
      registers,
    }),
    budgetFactor: new Gauge({
      name: 'refrain_upstream_budget_factor',
      help: 'Share of max_rps the budget allows: 1, or less for a while after a 429.',
      labelNames: ['provider'] as const,
      registers,
    }),
    pollTasks: new Gauge({
      name: 'refrain_poll_tasks',
      help: 'Tasks at the last poll tick: waiting, due (an answer can have changed), asked, overdue (due, but left for a later tick by the budget), callback_overdue (their callback is late).',
      labelNames: ['provider', 'state'] as const,
      registers,
    }),
    tasksPerQuery: new Histogram({
      name: 'refrain_poll_tasks_per_request',
      help: 'Tasks one status request asked about.',
      labelNames: ['provider'] as const,
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500],
      registers,
    }),
    pollInterval: new Gauge({
      name: 'refrain_poll_interval_effective_seconds',
      help: 'How often a due task is asked about: poll_interval_ms, stretched when the budget cannot cover every due task each tick.',
      labelNames: ['provider'] as const,
      registers,
    }),
    poolChoices: new Counter({
      name: 'refrain_pool_choices_total',
      help: 'Members a pool chose for a step submission, by the condition it was in (ready, busy, resting, no_credits) or pinned (the step works on a clip that member holds).',
      labelNames: ['pool', 'provider', 'condition'] as const,
      registers,
    }),
    poolFailovers: new Counter({
      name: 'refrain_pool_failovers_total',
      help: 'Submissions that provably made nothing on a member and moved on to the next, by reason.',
      labelNames: ['pool', 'provider', 'reason'] as const,
      registers,
    }),
    poolSubmissions: new Counter({
      name: 'refrain_pool_submissions_total',
      help: 'Submissions of pool steps per member, by outcome: accepted, failed_over, failed (refused with no member left to try), unknown (sent, no answer: never failed over).',
      labelNames: ['pool', 'provider', 'outcome'] as const,
      registers,
    }),
    credits: new Gauge({
      name: 'refrain_provider_credits',
      help: 'Songs left on a provider\'s account, where its dialect reports them (refreshed on a schedule and after a refusal for lack of credits).',
      labelNames: ['provider'] as const,
      registers,
    }),
    taskDuration: new Gauge({
      name: 'refrain_upstream_task_duration_seconds',
      help: 'Learned upstream task duration per operation (quantiles of recently finished tasks), which decides when a task is first asked about.',
      labelNames: ['provider', 'operation', 'quantile'] as const,
      registers,
    }),
  };
}
export type RefrainMetrics = ReturnType<typeof createMetrics>;

/** The process-wide metrics; instrumentation points call it directly, so no wiring is needed. */
export const metrics: RefrainMetrics = createMetrics();

/**
 * A bounded operation label for an upstream request, read from its method and path
 * (the HTTP client does not know the step; ids in paths must not become labels).
 */
export function upstreamOperation(method: string, path: string): string {
  const p = path.split('?')[0]!.toLowerCase();
  if (/lyric/.test(p)) return 'lyrics';
  if (/limit|credit|quota|balance/.test(p)) return 'credits';
  if (/feed|fetch|query|status|tasks/.test(p) || method === 'GET') return 'query';
  if (/upload/.test(p)) return 'upload';
  if (/concat/.test(p)) return 'concat';
  return 'submit';
}

/** The outcome label of a failed upstream call, from its classified error code. */
export function upstreamOutcome(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const known = ['upstream_rejected', 'upstream_unavailable', 'upstream_timeout', 'upstream_bad_response', 'upstream_failed'];
  return known.includes(code) ? code.slice('upstream_'.length) : 'failed';
}

/** Count and time one upstream request; the promise passes through unchanged. */
export function trackUpstream<T>(provider: string, method: string, path: string, call: Promise<T>, m: RefrainMetrics = metrics): Promise<T> {
  const operation = upstreamOperation(method, path);
  const end = m.upstreamRequestDuration.startTimer({ provider, operation });
  return call.then(
    (value) => {
      end();
      m.upstreamRequests.inc({ provider, operation, outcome: 'ok' });
      return value;
    },
    (err: unknown) => {
      end();
      m.upstreamRequests.inc({ provider, operation, outcome: upstreamOutcome(err) });
      throw err;
    },
  );
}

/** A step reached a final state; its duration runs from its first submission (or now when it never started). */
export function observeStepDuration(
  operation: string,
  provider: string,
  outcome: 'succeeded' | 'failed' | 'canceled',
  startedAt: Date | null | undefined,
  now: number = Date.now(),
  m: RefrainMetrics = metrics,
): void {
  const seconds = startedAt ? Math.max(0, (now - startedAt.getTime()) / 1000) : 0;
  m.stepDuration.observe({ operation, provider, outcome }, seconds);
}

/** The least of an HTTP response that callback counting needs (express's Response fits). */
export interface FinishingResponse {
  statusCode: number;
  once(event: 'finish', fn: () => void): unknown;
}

const REJECT_REASONS: Record<number, string> = { 400: 'bad_body', 404: 'unknown_hook', 413: 'too_large' };

/** Count a callback when it arrives, and as rejected when its answer is an error. */
export function countCallback(provider: string, res: FinishingResponse, m: RefrainMetrics = metrics): void {
  m.callbacksReceived.inc({ provider });
  res.once('finish', () => {
    if (res.statusCode >= 400) m.callbacksRejected.inc({ provider, reason: REJECT_REASONS[res.statusCode] ?? 'error' });
  });
}

/** One outbound webhook attempt (e.g. delivered, failed, retrying, refused). */
export function recordWebhookDelivery(outcome: string, m: RefrainMetrics = metrics): void {
  m.webhookDeliveries.inc({ outcome });
}

export function setCircuitBreakerState(provider: string, state: CircuitState, m: RefrainMetrics = metrics): void {
  m.circuitBreakerState.set({ provider }, CIRCUIT_STATES[state]);
}

/** Replace one queue's depth with fresh counts (states missing from `counts` read as 0). */
export function setQueueDepth(queue: string, counts: Record<string, number>, m: RefrainMetrics = metrics): void {
  for (const state of QUEUE_STATES) m.queueDepth.set({ queue, state }, counts[state] ?? 0);
}

/** A request went through the rate gate after waiting `seconds` for its slot. */
export function observeGateWait(provider: string, kind: string, seconds: number, m: RefrainMetrics = metrics): void {
  m.gateRequests.inc({ provider, kind });
  m.gateWait.observe({ provider, kind }, seconds);
}

/** A slot went unused: handed out too late ('late'), or a submission's intent took too long ('stale_intent'). */
export function countDroppedSlot(provider: string, reason: 'late' | 'stale_intent', m: RefrainMetrics = metrics): void {
  m.gateDropped.inc({ provider, reason });
}

export interface BudgetGauges {
  limitRps: number;
  usedRps: number;
  factor: number;
}

export function setBudgetGauges(provider: string, b: BudgetGauges, m: RefrainMetrics = metrics): void {
  m.budget.set({ provider, state: 'limit' }, b.limitRps);
  m.budget.set({ provider, state: 'used' }, b.usedRps);
  m.budget.set({ provider, state: 'left' }, Math.max(0, b.limitRps - b.usedRps));
  m.budgetFactor.set({ provider }, b.factor);
}

export interface PollTickGauges {
  waiting: number;
  due: number;
  asked: number;
  overdue: number;
  callbackOverdue: number;
  effectiveIntervalS: number;
}

export function setPollGauges(provider: string, g: PollTickGauges, m: RefrainMetrics = metrics): void {
  m.pollTasks.set({ provider, state: 'waiting' }, g.waiting);
  m.pollTasks.set({ provider, state: 'due' }, g.due);
  m.pollTasks.set({ provider, state: 'asked' }, g.asked);
  m.pollTasks.set({ provider, state: 'overdue' }, g.overdue);
  m.pollTasks.set({ provider, state: 'callback_overdue' }, g.callbackOverdue);
  m.pollInterval.set({ provider }, g.effectiveIntervalS);
}

export function observeTasksPerQuery(provider: string, tasks: number, m: RefrainMetrics = metrics): void {
  m.tasksPerQuery.observe({ provider }, tasks);
}

/** Learned durations: seconds per operation at each quantile. */
export function setTaskDurations(provider: string, byOp: Record<string, Record<string, number>>, m: RefrainMetrics = metrics): void {
  for (const [operation, qs] of Object.entries(byOp)) {
    for (const [quantile, seconds] of Object.entries(qs)) m.taskDuration.set({ provider, operation, quantile }, seconds);
  }
}

export type PoolSubmissionOutcome = 'accepted' | 'failed_over' | 'failed' | 'unknown';

/** A pool chose `provider` for a submission (condition: ready, busy, resting, no_credits, or pinned). */
export function countPoolChoice(pool: string, provider: string, condition: string, m: RefrainMetrics = metrics): void {
  m.poolChoices.inc({ pool, provider, condition });
}

/** A pool submission on `provider` ended so; a failover also counts its reason. */
export function countPoolSubmission(pool: string, provider: string, outcome: PoolSubmissionOutcome, failoverReason?: string, m: RefrainMetrics = metrics): void {
  m.poolSubmissions.inc({ pool, provider, outcome });
  if (failoverReason) m.poolFailovers.inc({ pool, provider, reason: failoverReason });
}

export function setProviderCredits(provider: string, songsLeft: number, m: RefrainMetrics = metrics): void {
  m.credits.set({ provider }, songsLeft);
}
