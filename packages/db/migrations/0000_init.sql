CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"hash" text NOT NULL,
	"prefix" text NOT NULL,
	"name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "clips" (
	"provider" text NOT NULL,
	"id" text NOT NULL,
	"generation_id" text NOT NULL,
	"step_index" smallint NOT NULL,
	"position" smallint NOT NULL,
	"status" text NOT NULL,
	"status_rank" smallint NOT NULL,
	"title" text,
	"tags" text,
	"lyrics" text,
	"audio_url" text,
	"video_url" text,
	"image_url" text,
	"duration" double precision,
	"model" text,
	"error_message" text,
	"uploaded" boolean DEFAULT false NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clips_provider_id_pk" PRIMARY KEY("provider","id")
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"generation_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"event" text NOT NULL,
	"url" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text NOT NULL,
	"attempts" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "generation_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"generation_id" text NOT NULL,
	"type" text NOT NULL,
	"data" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "generations" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"status" text NOT NULL,
	"provider" text NOT NULL,
	"scenario" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"callback_url" text,
	"webhook_events" text[] DEFAULT '{}'::text[] NOT NULL,
	"output" jsonb,
	"error" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status" text NOT NULL,
	"response_status" integer,
	"response_body" jsonb,
	"response_headers" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key")
);
--> statement-breakpoint
CREATE TABLE "steps" (
	"generation_id" text NOT NULL,
	"index" smallint NOT NULL,
	"op" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"input" jsonb NOT NULL,
	"submit_attempts" integer DEFAULT 0 NOT NULL,
	"upstream_task_id" text,
	"clip_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"upstream_state" text,
	"upstream_error" text,
	"lyrics" jsonb,
	"callback_token_hash" text,
	"error" jsonb,
	"deadline_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "steps_generation_id_index_pk" PRIMARY KEY("generation_id","index")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"webhook_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clips" ADD CONSTRAINT "clips_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generation_events" ADD CONSTRAINT "generation_events_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "generations" ADD CONSTRAINT "generations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "steps" ADD CONSTRAINT "steps_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_idx" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "api_keys_tenant_idx" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "clips_generation_idx" ON "clips" USING btree ("generation_id");--> statement-breakpoint
CREATE INDEX "deliveries_generation_idx" ON "deliveries" USING btree ("generation_id");--> statement-breakpoint
CREATE INDEX "generation_events_gen_idx" ON "generation_events" USING btree ("generation_id","id");--> statement-breakpoint
CREATE INDEX "generations_tenant_created_idx" ON "generations" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "generations_active_idx" ON "generations" USING btree ("status") WHERE status in ('queued','running');--> statement-breakpoint
CREATE INDEX "steps_waiting_idx" ON "steps" USING btree ("provider") WHERE status = 'waiting' and upstream_state = 'running';--> statement-breakpoint
CREATE UNIQUE INDEX "steps_callback_token_idx" ON "steps" USING btree ("callback_token_hash");