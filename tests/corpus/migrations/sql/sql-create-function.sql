CREATE OR REPLACE FUNCTION api_rate_limit(user_id bigint)
  RETURNS integer
  AS $$
  DECLARE
    min_changes_per_hour int8 := 100;
    recent_changes int4;
  BEGIN
    SELECT COALESCE(SUM(changesets.num_changes), 0) INTO STRICT recent_changes
    FROM changesets
    WHERE changesets.user_id = api_rate_limit.user_id
      AND changesets.created_at >= CURRENT_TIMESTAMP AT TIME ZONE 'UTC' - '1 hour'::interval;

    RETURN GREATEST(min_changes_per_hour - recent_changes, 0);
  END;
  $$ LANGUAGE plpgsql STABLE;
