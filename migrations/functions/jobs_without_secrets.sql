-- Trigger of jobs: no secret reaches the job queue (jsonb_without_secrets on
-- the payload, on every insert and update).
CREATE OR REPLACE FUNCTION jobs_without_secrets() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.payload := jsonb_without_secrets(NEW.payload);
    RETURN NEW;
END
$$;
