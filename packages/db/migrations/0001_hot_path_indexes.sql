DROP INDEX "steps_waiting_idx";--> statement-breakpoint
DROP INDEX "generations_active_idx";--> statement-breakpoint
DROP INDEX "steps_callback_token_idx";--> statement-breakpoint
CREATE INDEX "steps_in_flight_idx" ON "steps" USING btree ("generation_id","index") WHERE status = 'submitting' or (status = 'waiting' and upstream_state = 'running');--> statement-breakpoint
CREATE INDEX "steps_task_idx" ON "steps" USING btree ("provider","upstream_task_id") WHERE upstream_task_id is not null;--> statement-breakpoint
CREATE INDEX "generations_active_idx" ON "generations" USING btree ("id") WHERE status in ('queued','running');--> statement-breakpoint
CREATE UNIQUE INDEX "steps_callback_token_idx" ON "steps" USING btree ("callback_token_hash") WHERE callback_token_hash is not null;