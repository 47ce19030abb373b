CREATE TABLE "upstream_durations" (
	"provider" text NOT NULL,
	"op" text NOT NULL,
	"samples" double precision[] DEFAULT '{}'::double precision[] NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "upstream_durations_provider_op_pk" PRIMARY KEY("provider","op")
);
--> statement-breakpoint
CREATE INDEX "steps_poll_idx" ON "steps" USING btree ("provider","op","submitted_at","generation_id","index") WHERE status = 'waiting' and upstream_state = 'running';--> statement-breakpoint
CREATE INDEX "steps_unsettled_idx" ON "steps" USING btree ("generation_id","index") WHERE status = 'waiting' and upstream_state in ('complete', 'error');