-- Trigger of jobs (per statement): wakes the workers of every node
-- (LISTEN ixapi_jobs); delivered when the writing transaction commits.
CREATE OR REPLACE FUNCTION jobs_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('ixapi_jobs', '');
    RETURN NULL;
END
$$;
