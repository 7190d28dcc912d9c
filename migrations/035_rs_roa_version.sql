-- needs: rs_roas_digest
-- Issue 11: a full RPKI table is half a million ROAs (30 MB of JSON). Sent
-- inside every route server's desired state it made each session change
-- read and send all of it (8.5 s in rs_desired_facts, over the adapter's
-- body limit). The table now goes to the adapters once per version (PUT
-- /v1/roas); desired states name the version (`roas_version`). One row: the
-- loaded table's version and size, set by the load in its transaction.
CREATE TABLE rs_roa_version (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    version text NOT NULL CHECK (version ~ '^roas-[0-9a-f]{32}$'),
    roas integer NOT NULL CHECK (roas >= 0),
    loaded_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO rs_roa_version (version, roas) SELECT rs_roas_digest(), (SELECT count(*) FROM rs_roas);
