import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const tenants = pgTable('tenants', {
  id: text('id').primaryKey(),
  webhookSecret: text('webhook_secret').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    /** sha256 of the key; the key itself is shown once and never stored. */
    hash: text('hash').notNull(),
    prefix: text('prefix').notNull(),
    name: text('name'),
    createdAt: ts('created_at').notNull().defaultNow(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_hash_idx').on(t.hash), index('api_keys_tenant_idx').on(t.tenantId)],
);

export const generations = pgTable(
  'generations',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull().references(() => tenants.id),
    status: text('status').notNull(),
    provider: text('provider').notNull(),
    scenario: text('scenario'),
    metadata: jsonb('metadata').notNull().default({}),
    callbackUrl: text('callback_url'),
    webhookEvents: text('webhook_events').array().notNull().default(sql`'{}'::text[]`),
    output: jsonb('output'),
    error: jsonb('error'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    finishedAt: ts('finished_at'),
  },
  (t) => [
    index('generations_tenant_created_idx').on(t.tenantId, t.createdAt.desc(), t.id.desc()),
    // The generations not final yet (the reconciler's list). Keyed by id, not status: a statement that looks a
    // generation up by id and status can then only ever find it by id, whatever the statistics say.
    index('generations_active_idx').on(t.id).where(sql`status in ('queued','running')`),
  ],
);

export const steps = pgTable(
  'steps',
  {
    generationId: text('generation_id').notNull().references(() => generations.id, { onDelete: 'cascade' }),
    index: smallint('index').notNull(),
    op: text('op').notNull(),
    provider: text('provider').notNull(),
    status: text('status').notNull(),
    input: jsonb('input').notNull(),
    /** How many times this step was sent upstream (more than 1 = a retry after the crash window). */
    submitAttempts: integer('submit_attempts').notNull().default(0),
    upstreamTaskId: text('upstream_task_id'),
    clipIds: text('clip_ids').array().notNull().default(sql`'{}'::text[]`),
    upstreamState: text('upstream_state'),
    upstreamError: text('upstream_error'),
    lyrics: jsonb('lyrics'),
    /** The pool the generation named (docs/providers.md): `provider` is then the member chosen at the intent. */
    pool: text('pool'),
    /** The pool's choice for the last submission: member, reason, members passed, failovers. */
    route: jsonb('route'),
    /** sha256 of the notify_hook token of this step's submission. */
    callbackTokenHash: text('callback_token_hash'),
    error: jsonb('error'),
    deadlineAt: ts('deadline_at'),
    startedAt: ts('started_at'),
    submittedAt: ts('submitted_at'),
    finishedAt: ts('finished_at'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.generationId, t.index] }),
    // The steps upstream is working on (submitting, or waiting while running): the max_in_flight count
    // under the provider's lock and the poller's list of waiting tasks are scans of this small index.
    // (Keyed by the primary key's columns for the same reason as generations_active_idx.)
    index('steps_in_flight_idx').on(t.generationId, t.index).where(sql`status = 'submitting' or (status = 'waiting' and upstream_state = 'running')`),
    // Poll answers and callbacks find their steps by upstream task id.
    index('steps_task_idx').on(t.provider, t.upstreamTaskId).where(sql`upstream_task_id is not null`),
    // Only steps submitted with a notify_hook have a token: the others cost this index nothing on each update.
    uniqueIndex('steps_callback_token_idx').on(t.callbackTokenHash).where(sql`callback_token_hash is not null`),
    // The poller's ranges: a provider's waiting steps of one operation, oldest first, only those old enough to be done
    // (poll-queries.ts). No statement looks a step up by id under this predicate, so it cannot be mistaken for an id lookup.
    index('steps_poll_idx').on(t.provider, t.op, t.submittedAt, t.generationId, t.index).where(sql`status = 'waiting' and upstream_state = 'running'`),
    // Steps whose task is over but whose job has not settled them yet (normally for milliseconds): the lost-promote sweep.
    index('steps_unsettled_idx').on(t.generationId, t.index).where(sql`status = 'waiting' and upstream_state in ('complete', 'error')`),
  ],
);

/**
 * How long each provider's tasks took, per operation: the last samples (seconds from the
 * submission to the task's end as Refrain noticed it). The poller asks about a task only
 * once it is old enough to be done (docs/architecture.md, "Upstream budget").
 */
export const upstreamDurations = pgTable(
  'upstream_durations',
  {
    provider: text('provider').notNull(),
    op: text('op').notNull(),
    samples: doublePrecision('samples').array().notNull().default(sql`'{}'::double precision[]`),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.op] })],
);

export const clips = pgTable(
  'clips',
  {
    provider: text('provider').notNull(),
    id: text('id').notNull(),
    generationId: text('generation_id').notNull().references(() => generations.id, { onDelete: 'cascade' }),
    stepIndex: smallint('step_index').notNull(),
    position: smallint('position').notNull(),
    status: text('status').notNull(),
    /** CLIP_STATUS_RANK of status: updates only move up (compare-and-set). */
    statusRank: smallint('status_rank').notNull(),
    title: text('title'),
    tags: text('tags'),
    lyrics: text('lyrics'),
    audioUrl: text('audio_url'),
    videoUrl: text('video_url'),
    imageUrl: text('image_url'),
    duration: doublePrecision('duration'),
    model: text('model'),
    errorMessage: text('error_message'),
    uploaded: boolean('uploaded').notNull().default(false),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.id] }), index('clips_generation_idx').on(t.generationId)],
);

/** Every visible change of a generation, in order: SSE replays from here (Last-Event-ID). */
export const generationEvents = pgTable(
  'generation_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    generationId: text('generation_id').notNull().references(() => generations.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [index('generation_events_gen_idx').on(t.generationId, t.id)],
);

export const deliveries = pgTable(
  'deliveries',
  {
    id: text('id').primaryKey(),
    generationId: text('generation_id').notNull().references(() => generations.id, { onDelete: 'cascade' }),
    tenantId: text('tenant_id').notNull(),
    event: text('event').notNull(),
    /** `webhook`: a signed Standard Webhook of the generation; `door`: a front door's own callback body (notify_hook, callback_url). */
    kind: text('kind').notNull().default('webhook'),
    url: text('url').notNull(),
    payload: jsonb('payload').notNull(),
    status: text('status').notNull(),
    attempts: jsonb('attempts').notNull().default([]),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('deliveries_generation_idx').on(t.generationId)],
);

export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: text('tenant_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status').notNull(),
    responseStatus: integer('response_status'),
    responseBody: jsonb('response_body'),
    responseHeaders: jsonb('response_headers'),
    createdAt: ts('created_at').notNull().defaultNow(),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

/**
 * Ids a front door handed out at submit time (relay task ids, native clip ids, gateway song
 * ids…), before upstream has said anything. Each names a step of a generation, and a clip
 * id also its slot in that step's answer: it resolves to the upstream clip at that position
 * once it exists, so the id stays valid for the life of the generation (docs/doors.md).
 */
export const doorIds = pgTable(
  'door_ids',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    door: text('door').notNull(),
    /** `task`: the step's task (or lyrics) id; `clip`: one clip slot of the step. */
    kind: text('kind').notNull(),
    generationId: text('generation_id').notNull().references(() => generations.id, { onDelete: 'cascade' }),
    stepIndex: smallint('step_index').notNull(),
    /** The clip's place in the step's answer (0, 1, …); null for a task id. */
    position: smallint('position'),
    /** The door request as the client sent it (AceData's task records show it back). */
    request: jsonb('request'),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [
    index('door_ids_generation_idx').on(t.generationId, t.stepIndex),
    // gcui's GET /api/get without ids: the tenant's clips of one door, newest first.
    index('door_ids_tenant_door_idx').on(t.tenantId, t.door, t.createdAt.desc()),
  ],
);
