-- needs: jobs_object_key, jobs_set_object, jobs_notify
-- Issue 10: the jobs table becomes an outbox that workers carry out.
--
-- * `object`: the IX-API object a job is about ('network_service_config:12'),
--   derived on insert from kind and payload (jobs_set_object), so the writers
--   need no change; a job never starts while an earlier unfinished job of
--   its object exists.
-- * states: pending (due at run_after), running (claimed: locked_by,
--   locked_at; a lease), failed (an attempt failed, retried at run_after),
--   dead (gave up after the attempts allowed; an operator re-drives it),
--   done.
-- * NOTIFY ixapi_jobs on insert, so workers wake at once.
-- * status_entries: the IX-API `status` of objects (severity, tag, message,
--   attrs, timestamp).
-- * error_from: the state an object was in when a dead job put it in
--   `error`; a successful re-drive brings it back from there.
ALTER TABLE jobs DROP CONSTRAINT jobs_state_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_state_check
    CHECK (state IN ('pending', 'running', 'done', 'failed', 'dead'));
ALTER TABLE jobs ADD COLUMN object text;
ALTER TABLE jobs ADD COLUMN finished_at timestamptz;
UPDATE jobs SET object = jobs_object_key(kind, payload);
ALTER TABLE jobs ALTER COLUMN object SET NOT NULL;
ALTER TABLE jobs ADD CONSTRAINT jobs_last_error_check CHECK (char_length(last_error) <= 1000);

CREATE INDEX jobs_due_idx ON jobs (run_after, id) WHERE state IN ('pending', 'failed', 'running');
CREATE INDEX jobs_object_open_idx ON jobs (object, id) WHERE state <> 'done';

CREATE TRIGGER jobs_set_object BEFORE INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_set_object();
CREATE TRIGGER jobs_notify AFTER INSERT ON jobs FOR EACH STATEMENT EXECUTE FUNCTION jobs_notify();

CREATE TABLE status_entries (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    object_type text NOT NULL CHECK (object_type IN ('network_service_config', 'connection', 'port_reservation',
                                                     'network_feature_config', 'network_service')),
    object_id bigint NOT NULL,
    severity integer NOT NULL CHECK (severity BETWEEN 0 AND 7),
    tag text NOT NULL CHECK (char_length(tag) <= 80),
    message text NOT NULL CHECK (char_length(message) <= 1000),
    attrs jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_entries_object_idx ON status_entries (object_type, object_id, id);

ALTER TABLE network_service_configs ADD COLUMN error_from text;
ALTER TABLE connections ADD COLUMN error_from text;
ALTER TABLE port_reservations ADD COLUMN error_from text;
