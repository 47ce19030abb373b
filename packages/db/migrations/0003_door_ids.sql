CREATE TABLE "door_ids" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"door" text NOT NULL,
	"kind" text NOT NULL,
	"generation_id" text NOT NULL,
	"step_index" smallint NOT NULL,
	"position" smallint,
	"request" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "kind" text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE "door_ids" ADD CONSTRAINT "door_ids_generation_id_generations_id_fk" FOREIGN KEY ("generation_id") REFERENCES "public"."generations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "door_ids_generation_idx" ON "door_ids" USING btree ("generation_id","step_index");--> statement-breakpoint
CREATE INDEX "door_ids_tenant_door_idx" ON "door_ids" USING btree ("tenant_id","door","created_at" DESC NULLS LAST);