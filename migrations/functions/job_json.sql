-- A job as the operators' jobs extension shows it (GET /jobs, POST
-- /jobs/{id}/retry). The payload carries no secret (jobs_without_secrets).
-- waits: the tries that found the job's route server unreachable (not
-- attempts: such a job waits for it, it never goes dead).
CREATE OR REPLACE FUNCTION job_json(j jobs) RETURNS jsonb LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT jsonb_build_object(
        'id', j.id::text, 'kind', j.kind, 'object', j.object, 'state', j.state, 'attempts', j.attempts,
        'waits', j.waits,
        'run_after', rfc3339(j.run_after), 'last_error', j.last_error, 'payload', j.payload,
        'created_at', rfc3339(j.created_at), 'updated_at', rfc3339(j.updated_at),
        'finished_at', CASE WHEN j.finished_at IS NOT NULL THEN rfc3339(j.finished_at) END)
$$;
