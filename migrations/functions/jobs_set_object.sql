-- Trigger of jobs: the object a new job is about (jobs_object_key), unless
-- the writer named it.
CREATE OR REPLACE FUNCTION jobs_set_object() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.object IS NULL THEN
        NEW.object := coalesce(jobs_object_key(NEW.kind, NEW.payload), NEW.kind);
    END IF;
    RETURN NEW;
END
$$;
