ALTER TABLE "steps" ADD COLUMN "pool" text;--> statement-breakpoint
ALTER TABLE "steps" ADD COLUMN "route" jsonb;--> statement-breakpoint
-- A step of a pool runs on the member chosen at its intent: the intent writes that member
-- (and the choice, `route`) with the status, under the member's in-flight lock (docs/providers.md).
-- A new overload: the six-argument one stays for workers of the release before, during a rolling upgrade.
CREATE OR REPLACE FUNCTION refrain_mark_submitting(
  p_generation_id text,
  p_index integer,
  p_now timestamptz,
  p_token_hash text,
  p_provider text,
  p_max_in_flight integer,
  p_route jsonb
) RETURNS TABLE (in_flight integer, step steps)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  n integer := 0;
  s steps;
  started boolean;
BEGIN
  IF p_max_in_flight IS NOT NULL THEN
    PERFORM pg_advisory_xact_lock(hashtext('inflight:' || p_provider));
    SELECT count(*)::int INTO n FROM steps
     WHERE provider = p_provider AND (status = 'submitting' OR (status = 'waiting' AND upstream_state = 'running'));
    IF n >= p_max_in_flight THEN
      RETURN QUERY SELECT n, NULL::steps;
      RETURN;
    END IF;
  END IF;
  UPDATE steps SET status = 'submitting', submit_attempts = submit_attempts + 1,
         provider = coalesce(p_provider, provider), route = coalesce(p_route, route),
         started_at = coalesce(started_at, p_now), callback_token_hash = p_token_hash, updated_at = p_now
   WHERE generation_id = p_generation_id AND index = p_index AND status = 'pending'
  RETURNING * INTO s;
  IF NOT FOUND THEN
    RETURN QUERY SELECT n, NULL::steps;
    RETURN;
  END IF;
  UPDATE generations SET status = 'running', updated_at = p_now WHERE id = p_generation_id AND status = 'queued';
  started := FOUND;
  INSERT INTO generation_events (generation_id, type, data)
  SELECT p_generation_id, e.type, e.data
    FROM (VALUES (1, 'generation', '{"status":"running"}'::jsonb),
                 (2, 'step', jsonb_build_object('index', p_index, 'status', 'submitting'))) AS e(n, type, data)
   WHERE e.n = 2 OR started
   ORDER BY e.n;
  RETURN QUERY SELECT n, s;
END
$$;
